// Nights by issue time on EJBCA's text fingerprint (src/jobs/nightly.ts, runNightlyByIssueTime):
// three nights over one database the CA adds to, on whichever engine `location` gives.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { ScanConfig } from '../../src/config.js';
import { writeIssuanceDatabase } from '../../src/demo/demo_db.js';
import { runNightly } from '../../src/jobs/nightly.js';
import { runScan } from '../../src/scan.js';
import { SCAN_TIME, certificateFor, order } from '../helpers.js';
import type { PlantedEjbcaRow } from '../sources/database/presets/ejbca_layout.js';

const HOUR = 3_600_000;
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });
const findingKeys = (outDir: string) => readCsv(join(outDir, 'findings.csv')).map((row) => `${row.cert_id}:${row.check}`);

/**
 * The first night reads every row and reports what a scan reports; a day later the CA has issued
 * two C=AD certificates (one an hour before the night, one written late with a notBefore 30 hours
 * back): the second night reports those and not the first night's; three days on, nothing, and
 * the first night's keys have left the state. `path`: the EJBCA-layout SQLite file the CA writes to;
 * `location()`: where the nights read it (the file, or a server loaded from it).
 */
export async function expectIssueTimeNights(options: { dir: string; name: string; path: string; planted: readonly PlantedEjbcaRow[]; location: () => string; config: () => ScanConfig }): Promise<void> {
  const { dir, name, path, planted } = options;
  const night = (at: string) => {
    const config = options.config();
    config.nightly = { ...config.nightly, stateFile: join(dir, `nightly-${name}.json`), outputDir: join(dir, `nightly-${name}`), lookbackHours: 48 };
    return runNightly(config, { clock: fixedClock(at) }, { dbPath: options.location() });
  };
  const plantedAd = planted.find((item) => item.what.includes('C=AD'))!;
  const first = await night(SCAN_TIME);
  const whole = await runScan({ config: options.config(), dbPath: path, outDir: join(dir, `nightly-whole-${name}`) }, { clock: fixedClock(SCAN_TIME) });
  expect(findingKeys(first.outDir), name).toEqual(findingKeys(whole.outDir));
  expect(first.state, name).toMatchObject({ highestId: null, issuedAtCheckpoint: new Date(SCAN_TIME).toISOString(), issuedAtWindow: { from: null } });
  expect(first.state.reported, name).toContain(`${plantedAd.fingerprint}:e_subject_country_order_mismatch`);

  const nextNight = Date.parse(SCAN_TIME) + 24 * HOUR;
  const reader = new Database(path, { readonly: true });
  const username = reader.prepare('SELECT username FROM CertificateData WHERE fingerprint = ?').pluck().get(plantedAd.fingerprint) as string;
  reader.close();
  const mm = order(username, { country: 'MM' });
  const freshPath = join(dir, `fresh-${name}.sqlite`);
  const fresh = writeIssuanceDatabase(freshPath, { orders: [mm], certificates: [certificateFor(mm, { country: 'AD' }), certificateFor(mm, { country: 'AD' })] }, { now: new Date(SCAN_TIME), keepIssued: true, seed: 11 });
  const freshDb = new Database(freshPath, { readonly: true });
  const serials = freshDb.prepare('SELECT serial FROM certificates ORDER BY id').pluck().all() as string[];
  freshDb.close();
  const writable = new Database(path);
  const insert = writable.prepare(
    `INSERT INTO CertificateData (fingerprint, base64Cert, certificateProfileId, expireDate, issuerDN, notBefore, revocationDate, revocationReason, rowVersion, serialNumber, status, subjectDN, type, updateTime, username)
     VALUES (?, ?, 1, ?, 'CN=certscan Demo Issuing CA', ?, -1, -1, 0, ?, 20, '', 1, ?, ?)`,
  );
  const added = [nextNight - HOUR, nextNight - 30 * HOUR].map((notBefore, index) => {
    const der = fresh.issued[index]!;
    const fingerprint = createHash('sha1').update(der).digest('hex');
    insert.run(fingerprint, der.toString('base64'), notBefore + 90 * 86_400_000, notBefore, BigInt(`0x${serials[index]}`).toString(10), nextNight, username);
    return fingerprint;
  });
  writable.close();

  const second = await night(new Date(nextNight).toISOString());
  // Only the rows issued inside the window were read (the filter is in the query, not after it).
  const windowRows = new Database(path, { readonly: true });
  const inWindow = windowRows.prepare('SELECT count(*) FROM CertificateData WHERE notBefore >= ?').pluck().get(Date.parse(SCAN_TIME) - 48 * HOUR) as number;
  windowRows.close();
  expect(inWindow, name).toBeLessThan(first.summary.certificatesScanned);
  expect(second.summary.certificatesScanned, name).toBe(inWindow);
  expect(second.state.reported, name).toEqual([...second.state.reported].sort());
  const ledger = readFileSync(join(options.config().output.baseDir, 'ledger.jsonl'), 'utf8').trim().split('\n');
  expect(JSON.parse(ledger[ledger.length - 1]!), name).toMatchObject({ kind: 'nightly', scanId: second.summary.scanId });
  // Read: what was issued since 48 h before the first night; not repeated: what it reported.
  expect(second.state.issuedAtWindow, name).toEqual({ from: new Date(Date.parse(SCAN_TIME) - 48 * HOUR).toISOString(), to: new Date(nextNight).toISOString() });
  expect(findingKeys(second.outDir).filter((key) => key.endsWith(':e_subject_country_order_mismatch')), name).toEqual(added.sort().map((fingerprint) => `${fingerprint}:e_subject_country_order_mismatch`));
  expect(findingKeys(second.outDir).some((key) => key.startsWith(`${plantedAd.fingerprint}:`)), name).toBe(false);
  expect(second.state.reportedAt?.[`${plantedAd.fingerprint}:e_subject_country_order_mismatch`], name).toBe(new Date(SCAN_TIME).toISOString());
  expect(second.state.lastScanId, name).toBe(second.summary.scanId);
  expect(second.state.source, name).toBe(first.state.source);

  // A night exactly lookbackHours after the second keeps the keys that night reported (the window includes its edge).
  const edge = await night(new Date(nextNight + 48 * HOUR).toISOString());
  expect(edge.summary.findings, name).toBe(0);
  expect(edge.state.reportedAt?.[`${added[0]}:e_subject_country_order_mismatch`], name).toBe(new Date(nextNight).toISOString());

  const third = await night(new Date(nextNight + 72 * HOUR).toISOString());
  expect(third.summary.findings, name).toBe(0);
  // Every key was reported by a night before the window (24 h after the second night): none is kept.
  expect(third.state.reported, name).toEqual([]);
  expect(third.state.reportedAt, name).toEqual({});
}
