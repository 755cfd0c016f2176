// report.html in a real headless browser (Debian's chromium through playwright-core): the page
// loads with no console error and no request leaving the file, the picture shows (and looks the
// same as affected-by-month.svg opened on its own), the table sorts and filters. With no chromium
// the test fails: it never skips.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { writeDemoDatabase } from '../../src/demo/demo_db.js';
import { runScan } from '../../src/scan.js';
import { renderHtmlReport } from '../../src/reports/html_report.js';
import type { ScanSummary } from '../../src/reports/summary.js';
import { SCAN_TIME, configFor, tempDir } from '../helpers.js';

const CHROMIUM = process.env.CERTSCAN_CHROMIUM ?? '/usr/bin/chromium';
const clock = fixedClock(SCAN_TIME);

describe('report.html in headless chromium', () => {
  let browser: Browser;
  let outDir: string;
  let appendix: Record<string, string>[];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium (or set CERTSCAN_CHROMIUM)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const dir = tempDir();
    const dbPath = join(dir, 'demo.sqlite');
    writeDemoDatabase(dbPath, { count: 400, clock });
    const config = configFor(dbPath);
    config.checks.placeholderCountries = ['AD'];
    ({ outDir } = await runScan({ config, outDir: join(dir, 'out'), discoveredAt: new Date('2026-11-20T00:00:00Z') }, { clock }));
    appendix = parse(readFileSync(join(outDir, 'ccadb-appendix.csv')), { columns: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function openReport() {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // Self-contained: any request other than the page itself is a defect.
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.endsWith('/report.html')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(join(outDir, 'report.html')).href);
    return { page, problems, requests };
  }

  const cellTexts = (page: Awaited<ReturnType<typeof openReport>>['page'], column: number) =>
    page.locator(`#affected tbody tr td:nth-child(${column})`).allTextContents();

  it('loads with no console error and no outside request; the summary and the picture show', async () => {
    const { page, problems, requests } = await openReport();
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await expect(page.locator('h2').first().textContent()).resolves.toBe('Full Incident Report');
    const chart = page.locator('#affected-by-month svg');
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(150);
    // Bars were drawn: one path per stacked segment, inside the bar mark group.
    expect(await page.locator('#affected-by-month svg .mark-rect path').count()).toBeGreaterThanOrEqual(4);
    await expect(page.locator('#affected-by-month svg').textContent()).resolves.toContain('discovered 2026-11-20');
    await page.close();
  });

  it('the picture in the page is drawn as affected-by-month.svg is on its own: same elements, same boxes, same text', async () => {
    // Every drawn element's box in the SVG's own coordinates, and its text.
    interface Drawn {
      tagName: string;
      textContent: string | null;
      getBBox(): { x: number; y: number; width: number; height: number };
    }
    const layout = (svg: { querySelectorAll(selector: string): Iterable<unknown> }) =>
      [...svg.querySelectorAll('path, text, line, rect')].map((node) => {
        const element = node as Drawn;
        const box = element.getBBox();
        return [element.tagName, Math.round(box.x * 10), Math.round(box.y * 10), Math.round(box.width * 10), Math.round(box.height * 10), element.textContent ?? ''];
      });
    const { page } = await openReport();
    const inPage = await page.locator('#affected-by-month svg').evaluate(layout);
    const alone = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await alone.goto(pathToFileURL(join(outDir, 'affected-by-month.svg')).href);
    const standalone = await alone.locator('svg').first().evaluate(layout);
    expect(inPage.length).toBeGreaterThan(20);
    expect(inPage).toEqual(standalone);
    await page.close();
    await alone.close();
  });

  it('the table lists every affected certificate with its crt.sh link, sorts by a heading click and filters as one types', async () => {
    const { page, problems } = await openReport();
    await expect(page.locator('#affected tbody tr').count()).resolves.toBe(appendix.length);
    const links = await page.locator('#affected tbody a').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute("href")));
    expect(links).toEqual(readFileSync(join(outDir, 'crtsh.txt'), 'utf8').split('\n').filter(Boolean));

    const ids = appendix.map((row) => Number(row.cert_id));
    await page.locator('#affected th', { hasText: 'cert_id' }).click();
    expect((await cellTexts(page, 1)).map(Number)).toEqual([...ids].sort((a, b) => a - b));
    await expect(page.locator('#affected th', { hasText: 'cert_id' }).getAttribute('aria-sort')).resolves.toBe('ascending');
    await page.locator('#affected th', { hasText: 'cert_id' }).click();
    expect((await cellTexts(page, 1)).map(Number)).toEqual([...ids].sort((a, b) => b - a));
    await page.locator('#affected th', { hasText: 'subject' }).click();
    const subjects = appendix.map((row) => row.Subject!).sort((a, b) => a.localeCompare(b));
    expect(await cellTexts(page, 3)).toEqual(subjects);

    await page.locator('#filter').fill('undecodable');
    expect(await cellTexts(page, 6)).toEqual(['undecodable']);
    await expect(page.locator('#shown').textContent()).resolves.toBe('1');
    await page.locator('#filter').fill('');
    await expect(page.locator('#affected tbody tr').count()).resolves.toBe(appendix.length);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('markup in the summary or in a certificate value is shown as text, never run', async () => {
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as ScanSummary;
    const markdown = '- **Incident description:** in /tmp/<img src=x onerror="console.error(1)">\n\n<script>console.error(2)</script>\n';
    const rows = [{ ...appendix[0]!, Subject: '</script><script>console.error(3)</script>' }];
    const html = renderHtmlReport(summary, markdown, readFileSync(join(outDir, 'affected-by-month.svg'), 'utf8'), rows);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.setContent(html);
    expect(problems).toEqual([]);
    await expect(page.locator('main li').first().textContent()).resolves.toContain('/tmp/<img src=x onerror="console.error(1)">');
    await expect(page.locator('#affected tbody td:nth-child(3)').textContent()).resolves.toBe('</script><script>console.error(3)</script>');
    await page.close();
  });
});
