// summary.md as a Bugzilla reviewer reads it: the CCADB v3.2 template, field by field and in
// order; numbers that agree across every report (demo and CT scans); deadlines that can be right.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { createDemoCa } from '../../src/demo/certificate_builder.js';
import { writeIssuanceDatabase } from '../../src/demo/demo_db.js';
import { tbsOfCertificate, writeGetEntriesPages, type LogEntrySpec } from '../../src/demo/ct_export.js';
import { OperationalError } from '../../src/errors.js';
import { runScan } from '../../src/scan.js';
import { ROOT, SCAN_TIME, certificateFor, configFor, order, tempDir } from '../helpers.js';
import { expectReportsAgree } from './agreement.js';

const clock = fixedClock(SCAN_TIME);
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });

/** The v3.2 Full Incident Report's headings and fields, in the template's order. */
const FULL_TEMPLATE = [
  '## Full Incident Report',
  '### Summary',
  '- **CA Owner CCADB unique ID:**',
  '- **Incident description:**',
  '- **Timeline summary:**',
  '   - **Non-compliance start date:**',
  '   - **Non-compliance identified date:**',
  '   - **Non-compliance end date:**',
  '- **Relevant policies:**',
  '- **Source of incident disclosure:**',
  '### Impact',
  '- **Total number of certificates:**',
  '- **Total number of "remaining valid" certificates:**',
  '- **Affected certificate types:**',
  '- **Incident heuristic:**',
  '- **Was issuance stopped in response to this incident, and why or why not?:**',
  '- **Analysis:**',
  '- **Additional considerations:**',
  '### Timeline',
  '### Related Incidents',
  '| Bug | Date | Description |',
  '### Root Cause Analysis',
  '**Contributing Factor #1:',
  '- **Description:**',
  '- **Timeline:**',
  '- **Detection:**',
  '- **Interaction with other factors:**',
  '- **Root Cause Analysis methodology used:**',
  '### Lessons Learned',
  '- **What went well:**',
  '- **What didn’t go well:**',
  '- **Where we got lucky:**',
  '- **Additional:**',
  '### Action Items',
  '| Action Item | Kind | Corresponding Root Cause(s) | Evaluation Criteria | Due Date | Status |',
  '### Appendix',
];

/** The template's lines found in order (each line starts with the next one expected). */
function templateLines(markdown: string, template: readonly string[]): string[] {
  const found: string[] = [];
  for (const line of markdown.split('\n')) if (found.length < template.length && line.startsWith(template[found.length]!)) found.push(template[found.length]!);
  return found;
}

describe('the demo report set (npm start)', () => {
  it('has every v3.2 heading and field in order, and its numbers agree with summary.json, the appendix, crtsh.txt and the CLI line', () => {
    const dir = tempDir();
    const config = structuredClone(DEFAULT_CONFIG);
    config.database.path = join(dir, 'demo.sqlite');
    config.output.baseDir = join(dir, 'reports');
    config.checks.placeholderCountries = ['AD'];
    writeFileSync(join(dir, 'scan.config.json'), JSON.stringify(config));
    const run = spawnSync(process.execPath, [CLI, 'demo', '--config', join(dir, 'scan.config.json'), '--out', join(dir, 'out'), '--count', '600'], {
      encoding: 'utf8',
      env: { ...process.env, CERTSCAN_NOW: SCAN_TIME },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const markdown = readFileSync(join(dir, 'out', 'summary.md'), 'utf8');
    expect(templateLines(markdown, FULL_TEMPLATE)).toEqual(FULL_TEMPLATE);
    // The template's heading levels: the report is "##", its sections "###".
    expect(markdown.split('\n').filter((line) => /^#{1,2} /.test(line))).toEqual(['## Full Incident Report']);
    const counts = expectReportsAgree(join(dir, 'out'), run.stdout);
    // The demo's planted cases: 2019 MM/AD (revoked), 2019 LR/GH, EV jurisdiction, orphan, truncated row,
    // and issue #15's eleven (nine EV, two OV).
    expect(counts).toEqual({ total: 16, stillValid: 14, revoked: 1, expired: 0, undecodable: 1 });
    expect(markdown).toContain('Revoke the 15 affected certificates with an error finding that are neither revoked nor expired (14 still valid, 1 undecodable)');
    expect(markdown).toContain('- **Affected certificate types:** OV 5, EV 10, unknown 1 ');
    expect(markdown).toContain('![Affected certificates by notBefore month, stacked by check](affected-by-month.svg)');
    // The truncated row: no certificate hash, its stored bytes' hash in certscan's own column.
    const damaged = readCsv(join(dir, 'out', 'ccadb-appendix.csv')).find((row) => row.class === 'undecodable')!;
    expect([damaged['Certificate SHA-256 hash'], damaged['Precertificate SHA-256 hash'], damaged['Is revoked?']]).toEqual(['', '', 'Planned']);
    expect(damaged.stored_der_sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('summary.md for other scans', () => {
  it('a clean scan: N/A where nothing applies, no revocation action, no first affected certificate', async () => {
    const dir = tempDir();
    const db = join(dir, 'clean.sqlite');
    const mm = order('MM-1', { country: 'MM' });
    writeIssuanceDatabase(db, { orders: [mm], certificates: [certificateFor(mm), certificateFor(mm)] }, { now: new Date(SCAN_TIME) });
    const { outDir } = await runScan({ config: configFor(db), outDir: join(dir, 'out') }, { clock });
    const markdown = readFileSync(join(outDir, 'summary.md'), 'utf8');
    expect(templateLines(markdown, FULL_TEMPLATE)).toEqual(FULL_TEMPLATE);
    expect(markdown).not.toContain('Revoke the');
    expect(markdown).not.toContain('first affected certificate issued');
    expect(markdown).toContain('- **Non-compliance start date:** N/A');
    expect(markdown).toContain('| N/A | N/A | N/A |');
    expect(markdown).toContain('- **Total number of certificates:** 0\n');
    expect(existsSync(join(outDir, 'affected-by-month.svg'))).toBe(true);
  });

  it('--report preliminary gives the Preliminary Incident Report; config report.* fills the CA fields', async () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    const mm = order('MM-1', { country: 'MM' });
    writeIssuanceDatabase(db, { orders: [mm], certificates: [certificateFor(mm, { country: 'AD' })] }, { now: new Date(SCAN_TIME) });
    const config = configFor(db);
    config.report = { caOwner: 'Example CA', ccadbId: 'A012345', relevantPolicies: ['Example CA CPS 4.2, section 3.2.2'] };
    const preliminary = await runScan({ config, outDir: join(dir, 'pre'), reportTemplate: 'preliminary' }, { clock });
    const text = readFileSync(join(preliminary.outDir, 'summary.md'), 'utf8');
    const fields = ['## Preliminary Incident Report', '### Summary', '- **Incident description:**', '- **Relevant policies:**', '- **Source of incident disclosure:**'];
    expect(templateLines(text, fields)).toEqual(fields);
    expect(text).not.toContain('### Impact');
    expect(text).toMatch(/- \*\*Relevant policies:\*\* BR 3\.2\.2\.3 .*; Example CA CPS 4\.2, section 3\.2\.2\n/);
    const full = await runScan({ config, outDir: join(dir, 'full') }, { clock });
    expect(readFileSync(join(full.outDir, 'summary.md'), 'utf8')).toContain('- **CA Owner CCADB unique ID:** A012345 (Example CA)');
  });

  it('a CT scan: a precertificate without its final certificate is counted as one, and the numbers agree', async () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    const now = new Date(SCAN_TIME);
    const ca = createDemoCa(now);
    const mm = order('MM-1', { country: 'MM' });
    const written = writeIssuanceDatabase(
      db,
      {
        orders: [mm],
        certificates: [
          certificateFor(mm, { country: 'AD' }), // 1: only its precertificate is logged
          certificateFor(mm, { country: 'AD' }), // 2: precertificate and certificate
          certificateFor(mm), // 3: clean
          certificateFor(mm, { country: 'AD', revokedAt: new Date('2026-11-02T00:00:00Z'), revocationReason: 4 }), // 4: revoked
        ],
      },
      { now, ca, keepIssued: true },
    );
    const chain = [ca.issuing.certificate];
    const precertificate = (index: number, timestamp: number): LogEntrySpec => ({
      timestamp,
      certificate: written.issuedPrecertificates[index]!,
      precertificate: { tbsWithoutPoison: tbsOfCertificate(written.issued[index]!), issuerCertificate: ca.issuing.certificate },
      chain,
    });
    const entries: LogEntrySpec[] = [
      precertificate(0, 1),
      precertificate(1, 2),
      { timestamp: 3, certificate: written.issued[1]!, chain },
      { timestamp: 4, certificate: written.issued[2]!, chain },
      { timestamp: 5, certificate: written.issued[3]!, chain },
    ];
    writeGetEntriesPages(join(dir, 'pages'), entries, 2);
    writeFileSync(join(dir, 'issuer.der'), ca.issuing.certificate);
    const { summary, outDir } = await runScan({ config: configFor(db), ct: join(dir, 'pages'), issuers: [join(dir, 'issuer.der')], outDir: join(dir, 'out') }, { clock });
    expect(summary.precertificatesOnly).toBe(1);
    expect(expectReportsAgree(outDir)).toEqual({ total: 3, stillValid: 2, revoked: 1, expired: 0, undecodable: 0 });
    const markdown = readFileSync(join(outDir, 'summary.md'), 'utf8');
    expect(markdown).toContain('Of these, 1 are precertificates whose final certificate was not found in the log; the other 2 are certificates.');
  });
});

describe('BR 4.9.1.1 deadlines', () => {
  const dir = tempDir();
  const db = join(dir, 'db.sqlite');
  const mm = order('MM-1', { country: 'MM' });
  writeIssuanceDatabase(
    db,
    {
      orders: [mm],
      certificates: [
        certificateFor(mm, { country: 'AD', notBefore: new Date('2026-10-01T00:00:00Z') }), // 1
        certificateFor(mm, { country: 'AD', notBefore: new Date('2026-11-10T00:00:00Z') }), // 2: issued after the discovery
        certificateFor(mm, { country: 'AD', notBefore: new Date('2026-10-20T00:00:00Z'), revokedAt: new Date('2026-10-25T00:00:00Z'), revocationReason: 4 }), // 3
      ],
    },
    { now: new Date(SCAN_TIME) },
  );

  it('run from the discovery date, never before the notBefore; none for a revoked certificate', async () => {
    const { outDir } = await runScan({ config: configFor(db), outDir: join(dir, 'out'), discoveredAt: new Date('2026-11-01T00:00:00Z') }, { clock: fixedClock('2026-11-12T00:00:00Z') });
    expect(readCsv(join(outDir, 'ccadb-appendix.csv')).map((row) => [row.cert_id, row.revocation_status, row.revocation_deadline, row['Is revoked?'], row['Revocation date']])).toEqual([
      ['1', 'overdue', '2026-11-06T00:00:00Z', 'Delayed', '2026-11-06T00:00:00Z'],
      ['2', 'due', '2026-11-15T00:00:00Z', 'Planned', '2026-11-15T00:00:00Z'],
      ['3', 'revoked', '', 'Yes', '2026-10-25T00:00:00Z'],
    ]);
    expectReportsAgree(outDir);
  });

  it('a discovery date in the future is refused before anything is read', async () => {
    const out = join(dir, 'future');
    await expect(runScan({ config: configFor(db), outDir: out, discoveredAt: new Date('2026-12-01T00:00:00Z') }, { clock })).rejects.toThrow(OperationalError);
    await expect(runScan({ config: configFor(db), outDir: out, discoveredAt: new Date('2026-12-01T00:00:00Z') }, { clock })).rejects.toThrow(/is after this scan/);
    expect(existsSync(join(out, 'summary.md'))).toBe(false);
  });

  it('a discovery date before the first affected notBefore is refused, and no report looks finished', async () => {
    const out = join(dir, 'early');
    await expect(runScan({ config: configFor(db), outDir: out, discoveredAt: new Date('2026-09-01T00:00:00Z') }, { clock })).rejects.toThrow(
      /before the first affected certificate was issued \(notBefore 2026-10-01T00:00:00.000Z\)/,
    );
    expect(existsSync(join(out, 'summary.md'))).toBe(false);
    expect(existsSync(join(out, 'ccadb-appendix.csv'))).toBe(false);
  });
});
