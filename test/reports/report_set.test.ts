// ReportSet: temp-file-and-rename for scans, resumable partial files for audits.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSet } from '../../src/reports/report_set.js';
import { findingsHeader } from '../../src/reports/findings_csv.js';
import { inputProblemsHeader } from '../../src/reports/input_errors.js';
import { REPORT_FILES } from '../../src/reports/report_dir.js';
import { tempDir } from '../helpers.js';
import { appendixHeader, appendixRows, recordOf } from '../../src/reports/ccadb_appendix.js';
import { renderChartSvg } from '../../src/reports/chart.js';
import { renderSummaryMarkdown } from '../../src/reports/summary.js';
import { affected, certificate, scanSummary, scanTime } from './affected_fixture.js';

const summary = scanSummary();
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

describe('ReportSet', () => {
  it('a scan writes under temp names and shows the reports only on commit, headers first', async () => {
    const dir = tempDir();
    const reports = new ReportSet(dir, false);
    reports.write('findings.csv', 'a\n');
    reports.write('crtsh.txt', '');
    expect(readdirSync(dir).filter((name) => !name.startsWith('.'))).toEqual([]);
    await reports.commit(summary);
    expect(read(dir, 'findings.csv')).toBe(`${findingsHeader()}a\n`);
    expect(read(dir, 'ccadb-appendix.csv')).toBe(appendixHeader());
    expect(read(dir, 'input-errors.csv')).toBe(inputProblemsHeader());
    expect(read(dir, 'crtsh.txt')).toBe('');
    expect(JSON.parse(read(dir, 'summary.json'))).toEqual(summary);
    expect(readdirSync(dir).sort()).toEqual([...REPORT_FILES].sort());
  });

  it('an aborted scan leaves no file', () => {
    const dir = tempDir();
    const reports = new ReportSet(dir, false);
    reports.write('findings.csv', 'a\n');
    reports.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a resumed audit drops what was written after the last checkpoint, and a write hook sees each write', async () => {
    const dir = tempDir();
    const writes: string[] = [];
    const first = new ReportSet(dir, true, undefined, (name) => writes.push(name));
    first.write('findings.csv', 'row 1\n');
    first.write('crtsh.txt', '');
    const offsets = first.checkpoint();
    expect(offsets['findings.csv']).toBe(Buffer.byteLength(`${findingsHeader()}row 1\n`));
    first.write('findings.csv', 'row 2 (after the checkpoint: lost with the crash)\n');
    first.write('crtsh.txt', 'https://crt.sh/?sha256=ab\n');
    first.abort();
    expect(writes).toEqual(['findings.csv', 'findings.csv', 'crtsh.txt']);
    expect(existsSync(join(dir, '.findings.csv.partial'))).toBe(true);
    expect(existsSync(join(dir, 'findings.csv'))).toBe(false);

    // A temp file of a process killed mid-write is removed by the resumed run.
    writeFileSync(join(dir, '.summary.json.12345.tmp'), '{');
    const resumed = new ReportSet(dir, true, offsets);
    expect(existsSync(join(dir, '.summary.json.12345.tmp'))).toBe(false);
    resumed.write('findings.csv', 'row 2\n');
    await resumed.commit(summary);
    expect(read(dir, 'findings.csv')).toBe(`${findingsHeader()}row 1\nrow 2\n`);
    expect(read(dir, 'crtsh.txt')).toBe('');
    expect(existsSync(join(dir, '.findings.csv.partial'))).toBe(false);
  });

  it('resume offsets without partial files start the files afresh, without headers written twice', async () => {
    const dir = tempDir();
    const reports = new ReportSet(dir, true, { 'findings.csv': 100 });
    reports.write('findings.csv', 'x\n');
    await reports.commit(summary);
    expect(read(dir, 'findings.csv')).toBe('x\n');
  });

  it('the summary reports are written from the summary and the appendix beside them: summary.md, the chart, report.html with the rows', async () => {
    const dir = tempDir();
    const reports = new ReportSet(dir, false);
    reports.write('ccadb-appendix.csv', appendixRows([recordOf(affected())], scanTime, null));
    const withOne = scanSummary({ affectedCertificates: 1, stillValid: 1, crtshLinks: 1, affectedByValidationType: { OV: 1 }, affectedByMonth: { '2026-10': { e_subject_country_order_mismatch: 1 } } });
    await reports.commit(withOne);
    expect(read(dir, 'summary.md')).toBe(renderSummaryMarkdown(withOne));
    expect(read(dir, 'affected-by-month.svg')).toBe(await renderChartSvg(withOne));
    const data = JSON.parse(/<script type="application\/json" id="affected-data">(.*?)<\/script>/s.exec(read(dir, 'report.html'))![1]!) as string[][];
    expect(data).toEqual([['42', '0a1b2c', 'C=AD, ST=Yangon Region, L=Yangon, O=Myanma Demo Bank, CN=bank.example', '2026-10-01T08:30:00Z', '2026-12-30T08:29:59Z', 'still-valid', 'OV', 'Planned', '2026-12-01T12:00:00Z', 'e_subject_country_order_mismatch w_subject_country_placeholder', certificate.sha256]]);
  });

  it('an abort closes every file, a scan\'s or an audit\'s: no descriptor is left open', () => {
    const open = () => readdirSync('/proc/self/fd').length;
    for (const resumable of [false, true]) {
      const before = open();
      const reports = new ReportSet(tempDir(), resumable);
      expect(open()).toBe(before + 4);
      reports.abort();
      expect(open()).toBe(before);
    }
  });

  it('an abort after the commit (a later step failed) changes nothing and does not throw, which would hide the error of that step', async () => {
    for (const resumable of [false, true]) {
      const dir = tempDir();
      const reports = new ReportSet(dir, resumable);
      reports.write('findings.csv', 'a\n');
      await reports.commit(summary);
      reports.abort();
      reports.abort();
      expect(read(dir, 'findings.csv')).toBe(`${findingsHeader()}a\n`);
      expect(readdirSync(dir).sort()).toEqual([...REPORT_FILES].sort());
    }
  });

  it('a new audit in a folder with an older partial file starts it afresh; only temp names of its own kind are removed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.findings.csv.partial'), 'stale bytes of an earlier audit\n');
    // Not a temp file of certscan's: no leading dot, no pid, or more after ".tmp".
    const others = ['notes.1.tmp', 'my.notes.1.tmp', '.notes.tmp', '.notes.1.tmp.keep'];
    for (const name of others) writeFileSync(join(dir, name), 'mine');
    const reports = new ReportSet(dir, true);
    reports.write('findings.csv', 'a\n');
    expect(reports.checkpoint()['findings.csv']).toBe(Buffer.byteLength(`${findingsHeader()}a\n`));
    await reports.commit(summary);
    expect(read(dir, 'findings.csv')).toBe(`${findingsHeader()}a\n`);
    expect(readdirSync(dir).sort()).toEqual([...REPORT_FILES, ...others].sort());
    // A scan's report set (not resumable) removes no file at all.
    const scanDir = tempDir();
    writeFileSync(join(scanDir, '.summary.json.12345.tmp'), '{');
    new ReportSet(scanDir, false).abort();
    expect(readdirSync(scanDir)).toEqual(['.summary.json.12345.tmp']);
  });
});
