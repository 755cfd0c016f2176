import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import { parseConfig } from '../../../../src/config.js';
import { writeIssuanceDatabase } from '../../../../src/demo/demo_db.js';
import { runScan, type ScanOutcome } from '../../../../src/scan.js';
import { mergeShards } from '../../../../src/jobs/merge.js';
import { runNightly, type NightlyOutcome } from '../../../../src/jobs/nightly.js';
import type { ScanSummary } from '../../../../src/reports/summary.js';
import { SCAN_TIME, certificateFor, order, sha256File, tempDir } from '../../../helpers.js';
import { mustRunServerTests, serversAvailable, startMariadb, type TestServer } from '../../servers.js';

const clock = fixedClock(SCAN_TIME);
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });

/**
 * The tables certscan reads, with the columns and types of Boulder's own schema:
 * letsencrypt/boulder sa/db/01-boulder_sa.sql at 2d00c8e27919fe945e53b2cf857838e68a1da111
 * (certificates, precertificates, certificateStatus, registrations; columns certscan does not read
 * are left out).
 */
const BOULDER_TABLES = `
CREATE TABLE certificates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  registrationID bigint(20) NOT NULL,
  serial varchar(255) NOT NULL,
  digest varchar(255) NOT NULL,
  der mediumblob NOT NULL,
  issued datetime NOT NULL,
  expires datetime NOT NULL
);
CREATE INDEX issued_idx ON certificates (issued);
CREATE TABLE precertificates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  registrationID bigint(20) NOT NULL,
  serial varchar(255) NOT NULL,
  der mediumblob NOT NULL,
  issued datetime NOT NULL,
  expires datetime NOT NULL
);
CREATE INDEX issued_precertificates_idx ON precertificates (issued);
CREATE TABLE certificateStatus (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  serial varchar(255) NOT NULL,
  status varchar(255) NOT NULL,
  ocspLastUpdated datetime NOT NULL,
  revokedDate datetime NOT NULL,
  revokedReason int(11) NOT NULL,
  lastExpirationNagSent datetime NOT NULL
);
CREATE INDEX certificateStatus_serial ON certificateStatus (serial);
CREATE TABLE registrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  jwk mediumblob NOT NULL,
  jwk_sha256 varchar(255) NOT NULL,
  createdAt datetime NOT NULL
);`;

/** DATETIME as Boulder writes it through MySQL: 'YYYY-MM-DD HH:MM:SS', UTC. */
const datetime = (iso: string) => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
const GO_ZERO_TIME = '0001-01-01 00:00:00';

/**
 * DV certificates as Boulder stores them: the precertificate, the final certificate (null when
 * Boulder never issued it), the status row written with the precertificate.
 */
interface BoulderRow {
  serial: string;
  precertificate: Buffer;
  der: Buffer | null;
  issued: string;
  status: string;
  revokedDate: string;
  revokedReason: number;
}
const boulderRows: BoulderRow[] = [];

/**
 * What Boulder writes for row `index` of boulderRows (SQL that SQLite and MariaDB both take): the
 * precertificate and its status row, or later the final certificate.
 */
function boulderWrites(index: number, what: 'precertificate' | 'certificate'): string[] {
  const row = boulderRows[index]!;
  if (what === 'certificate') return [`INSERT INTO certificates (registrationID, serial, digest, der, issued, expires) VALUES (1, '${row.serial}', 'd', X'${row.der!.toString('hex')}', '${row.issued}', '${row.issued}')`];
  return [
    `INSERT INTO precertificates (registrationID, serial, der, issued, expires) VALUES (1, '${row.serial}', X'${row.precertificate.toString('hex')}', '${row.issued}', '${row.issued}')`,
    `INSERT INTO certificateStatus (serial, status, ocspLastUpdated, revokedDate, revokedReason, lastExpirationNagSent) VALUES ('${row.serial}', '${row.status}', '${row.issued}', '${row.revokedDate}', ${row.revokedReason}, '${GO_ZERO_TIME}')`,
  ];
}

const REGISTRATION = "INSERT INTO registrations (jwk, jwk_sha256, createdAt) VALUES (X'7b7d', 'x', '2026-01-01 00:00:00')";

/**
 * Three nights of issuance: row 1's precertificate is written on the first night (23:59:59) and
 * its final certificate on the second; row 3's certificate is never issued; nothing on the third.
 */
const NIGHTS: Array<Array<[number, 'precertificate' | 'certificate']>> = [
  [[0, 'precertificate'], [0, 'certificate'], [1, 'precertificate']],
  [[1, 'certificate'], [2, 'precertificate'], [2, 'certificate'], [3, 'precertificate']],
  [],
];

/**
 * Ids that do not line up: precertificate 3 is written first (id 1) and its certificate last, the
 * precertificate of row 4, never issued, second. Precertificates 1..4 are rows 3, 4, 1, 2;
 * certificates 1..3 are rows 1, 2, 3.
 */
const SHARD_CORPUS: Array<[number, 'precertificate' | 'certificate']> = [
  [2, 'precertificate'], [3, 'precertificate'], [0, 'precertificate'], [0, 'certificate'], [1, 'precertificate'], [1, 'certificate'], [2, 'certificate'],
];

/**
 * `--shard K/3` of SHARD_CORPUS: each shard reports its certificates with their precertificates
 * (pairs intact, whatever the precertificate's id), the precertificate without a certificate in
 * exactly one shard, and `certscan merge` gives byte for byte the findings.csv and
 * ccadb-appendix.csv of one scan.
 */
async function expectShardsMerge(scan: (out: string, shard?: { index: number; count: number }) => Promise<ScanOutcome>, dir: string): Promise<void> {
  const whole = await scan('whole');
  const shards: ScanOutcome[] = [];
  for (const index of [0, 1, 2]) shards.push(await scan(`shard-${index}`, { index, count: 3 }));
  const [p, c] = [(index: number) => sha256Hex(boulderRows[index]!.precertificate), (index: number) => sha256Hex(boulderRows[index]!.der)];
  const appendix = (outDir: string) => readCsv(join(outDir, 'ccadb-appendix.csv')).map((row) => [row['Precertificate SHA-256 hash'], row['Certificate SHA-256 hash'], row.cert_id]);
  expect(appendix(whole.outDir)).toEqual([[p(0), c(0), '1'], [p(1), c(1), '2'], [p(2), c(2), '3'], [p(3), '', '2']]);
  // Certificate 3's shard has its precertificate, id 1, though precertificate ids 1.. fall in shard 0.
  expect(appendix(shards[2]!.outDir)).toContainEqual([p(2), c(2), '3']);
  expect(shards.map((shard) => shard.summary.certificatesScanned)).toEqual([1, 1, 1]);
  expect(shards.reduce((total, shard) => total + (shard.summary.source.precertificates?.scanned ?? 0), 0)).toBe(4);
  expect(shards.reduce((total, shard) => total + shard.summary.precertificatesOnly, 0)).toBe(1);
  // The shards list precertificate 1 (certificate 3's) after 2..4: the merge puts it in key order.
  const merged = join(dir, 'merged');
  const summary = await mergeShards(shards.map((shard) => shard.outDir), merged, { now: new Date(SCAN_TIME), ledgerPath: null });
  for (const file of ['findings.csv', 'ccadb-appendix.csv']) expect(readFileSync(join(merged, file), 'utf8'), file).toBe(readFileSync(join(whole.outDir, file), 'utf8'));
  expect([summary.certificatesScanned, summary.affectedCertificates, summary.precertificatesOnly, summary.revoked]).toEqual([3, 4, 1, 1]);
  expect(summary.source.precertificates).toMatchObject({ scanned: 4, firstId: 1, lastId: 4 });
}

const sha256Hex = (der: Buffer | null) => (der ? createHash('sha256').update(der).digest('hex') : '');

/**
 * Runs the three nights (`write` adds a night's rows, `night` runs certscan nightly) and checks
 * that each night reports the rows issued that night, each table from its own checkpoint, and that
 * the certificate issued the night after its precertificate has both hashes in its appendix row,
 * while the precertificate's findings, reported the night before, are not repeated.
 */
async function expectNights(write: (statements: string[]) => void, night: () => Promise<NightlyOutcome>): Promise<void> {
  const outcomes: NightlyOutcome[] = [];
  for (const rows of NIGHTS) {
    write(rows.flatMap(([index, what]) => boulderWrites(index, what)));
    outcomes.push(await night());
  }
  const [first, second, third] = outcomes as [NightlyOutcome, NightlyOutcome, NightlyOutcome];
  const appendix = (outcome: NightlyOutcome) => readCsv(join(outcome.outDir, 'ccadb-appendix.csv')).map((row) => [row['Precertificate SHA-256 hash'], row['Certificate SHA-256 hash'], row.cert_id]);
  const findings = (outcome: NightlyOutcome) => readCsv(join(outcome.outDir, 'findings.csv')).filter((row) => row.check === 'e_subject_country_not_uppercase').map((row) => [row.cert_id, row.entry_type]);
  const [p, c] = [(index: number) => sha256Hex(boulderRows[index]!.precertificate), (index: number) => sha256Hex(boulderRows[index]!.der)];
  // Night 1: certificate 1 with its precertificate; precertificate 2 whose certificate is not issued yet.
  expect(appendix(first)).toEqual([[p(0), c(0), '1'], [p(1), '', '2']]);
  expect(findings(first)).toEqual([['1', ''], ['1', 'precert'], ['2', 'precert']]);
  expect([first.summary.certificatesScanned, first.summary.source.precertificates?.scanned, first.summary.precertificatesOnly]).toEqual([1, 2, 1]);
  expect([first.state.highestId, first.state.precertificatesHighestId]).toEqual([1, 2]);
  expect(first.state.reported).toContain('precertificates:2:e_subject_country_not_uppercase');
  // Night 2: the look-back re-reads both tables; certificate 2 is paired with the precertificate
  // reported last night (both hashes, its id), whose findings are not repeated.
  expect(appendix(second)).toEqual([[p(1), c(1), '2'], [p(2), c(2), '3'], [p(3), '', '4']]);
  expect(findings(second)).toEqual([['2', ''], ['3', ''], ['3', 'precert'], ['4', 'precert']]);
  expect([second.summary.affectedCertificates, second.summary.precertificatesOnly, second.summary.revoked]).toEqual([3, 1, 1]);
  expect([second.state.highestId, second.state.precertificatesHighestId]).toEqual([3, 4]);
  // Night 3: nothing new, nothing reported again.
  expect([third.summary.findings, readCsv(join(third.outDir, 'ccadb-appendix.csv')).length]).toEqual([0, 0]);
  expect([third.state.highestId, third.state.precertificatesHighestId]).toEqual([3, 4]);
}

describe('--preset boulder on a database in Boulder layout (SQLite)', () => {
  const dir = tempDir();
  const path = join(dir, 'boulder.sqlite');
  // Three DV certificates issued one second apart around midnight, each after its precertificate;
  // the second one is revoked. A fourth precertificate whose final certificate was never issued.
  const issued = ['2026-10-31T23:59:59Z', '2026-11-01T00:00:00Z', '2026-11-01T00:00:01Z', '2026-11-01T00:00:01Z'];
  const FINALS = 3;

  beforeAll(() => {
    const account = order('1', { organization: null, state: null, locality: null, country: null, validationType: 'DV' });
    const demo = join(dir, 'demo.sqlite');
    const written = writeIssuanceDatabase(
      demo,
      { orders: [account], certificates: issued.map((at) => certificateFor(account, { notBefore: new Date(at), organization: null, state: null, locality: null, country: 'mm', validationType: 'DV' })) },
      { now: new Date(SCAN_TIME), keepIssued: true },
    );
    const source = new Database(demo, { readonly: true });
    const serials = source.prepare('SELECT serial FROM certificates ORDER BY id').pluck().all() as string[];
    source.close();
    const db = new Database(path);
    db.exec(BOULDER_TABLES);
    db.prepare("INSERT INTO registrations (jwk, jwk_sha256, createdAt) VALUES (x'7b7d', 'x', '2026-01-01 00:00:00')").run();
    const insertCertificate = db.prepare('INSERT INTO certificates (registrationID, serial, digest, der, issued, expires) VALUES (1, ?, ?, ?, ?, ?)');
    const insertPrecertificate = db.prepare('INSERT INTO precertificates (registrationID, serial, der, issued, expires) VALUES (1, ?, ?, ?, ?)');
    const insertStatus = db.prepare('INSERT INTO certificateStatus (serial, status, ocspLastUpdated, revokedDate, revokedReason, lastExpirationNagSent) VALUES (?, ?, ?, ?, ?, ?)');
    issued.forEach((at, index) => {
      const precertificate = written.issuedPrecertificates[index]!;
      const der = index < FINALS ? written.issued[index]! : null;
      const expires = datetime(new Date(Date.parse(at) + 90 * 86_400_000).toISOString());
      // As Boulder issues: the precertificate and its status row, then (if it gets that far) the certificate.
      insertPrecertificate.run(serials[index], precertificate, datetime(at), expires);
      const revoked = index === 1;
      insertStatus.run(serials[index], revoked ? 'revoked' : 'good', datetime(at), revoked ? '2026-11-02 10:00:00' : GO_ZERO_TIME, revoked ? 1 : 0, GO_ZERO_TIME);
      if (der) insertCertificate.run(serials[index], createHash('sha256').update(der).digest('base64'), der, datetime(at), expires);
      boulderRows.push({ serial: serials[index]!, precertificate, der, issued: datetime(at), status: revoked ? 'revoked' : 'good', revokedDate: revoked ? '2026-11-02 10:00:00' : GO_ZERO_TIME, revokedReason: revoked ? 1 : 0 });
    });
    db.close();
  });

  const boulder = (out: string) => parseConfig({ database: { preset: 'boulder', path }, workers: 1, output: { baseDir: join(dir, out) } });

  it('scans certificates and precertificates in one scan: paired by serial, revocation from certificateStatus (zero time: not revoked)', async () => {
    const before = sha256File(path);
    const { summary, outDir } = await runScan({ config: boulder('scan'), outDir: join(dir, 'scan') }, { clock });
    expect(sha256File(path)).toBe(before);
    expectBothTables(summary, outDir, { certificates: 3, precertificates: 4, rows: [0, 1, 2, 3] });
    const markdown = readFileSync(join(outDir, 'summary.md'), 'utf8');
    expect(markdown).toContain('3 certificates in');
    expect(markdown).toContain('Of these, 1 are precertificates whose final certificate was not found in the table `certificates`; the other 3 are certificates.');
    expect(markdown).toContain('and 4 precertificates (table `precertificates`, ids 1 to 4), a precertificate and its certificate paired by serial');
    expect(markdown).toMatch(/Then the precertificates, in id ranges of `precertificates` with this query:\n\n  ```sql\n  SELECT [^\n]*\n  FROM "precertificates" AS c/);
  });

  it('an audit window is exact to the second on DATETIME text, in both tables', async () => {
    const window = (from: string, to: string) =>
      runScan({ config: boulder(`audit-${from}`), outDir: join(dir, `audit-${from}-${to}`), kind: 'audit', resumable: true, filter: { issuedFrom: from, issuedTo: to } }, { clock });
    const second = await window('2026-11-01T00:00:00.000Z', '2026-11-01T00:00:01.000Z');
    expectBothTables(second.summary, second.outDir, { certificates: 1, precertificates: 1, rows: [1] });
    const around = await window('2026-10-31T23:59:59.000Z', '2026-11-01T00:00:01.000Z');
    expectBothTables(around.summary, around.outDir, { certificates: 2, precertificates: 2, rows: [0, 1] });
    const last = await window('2026-11-01T00:00:01.000Z', '2026-11-02T00:00:00.000Z');
    expectBothTables(last.summary, last.outDir, { certificates: 1, precertificates: 2, rows: [2, 3] });
  });

  it('an audit interrupted in either table resumes to the same reports', async () => {
    // One row a page and a checkpoint after every page: pages 1-3 are certificates, 4-7 precertificates.
    const paged = parseConfig({ database: { preset: 'boulder', path, pageSize: 1 }, workers: 2, output: { baseDir: join(dir, 'reports'), checkpointIntervalMs: 0 } });
    const audit = (out: string) => ({ config: paged, outDir: join(dir, out), kind: 'audit' as const, resumable: true, filter: { issuedFrom: '2026-10-01T00:00:00.000Z', issuedTo: '2026-12-01T00:00:00.000Z' } });
    const reference = await runScan(audit('resume-reference'), { clock });
    expectBothTables(reference.summary, reference.outDir, { certificates: 3, precertificates: 4, rows: [0, 1, 2, 3] });
    for (const stopAfter of [2, 3, 5]) {
      const out = `resume-${stopAfter}`;
      const interrupt = (written: number) => {
        if (written === stopAfter) throw new Error('interrupted');
      };
      await expect(runScan(audit(out), { clock, afterCheckpoint: interrupt })).rejects.toThrow('interrupted');
      const state = JSON.parse(readFileSync(join(dir, out, '.certscan-audit-state.json'), 'utf8')) as { resumeInPrecertificates: boolean };
      // Batches still in flight may checkpoint after the interruption: from the fifth on, always past the certificates.
      if (stopAfter === 5) expect(state.resumeInPrecertificates).toBe(true);
      await runScan(audit(out), { clock });
      for (const file of readdirSync(reference.outDir)) expect(readFileSync(join(dir, out, file), 'utf8'), `${out}/${file}`).toBe(readFileSync(join(reference.outDir, file), 'utf8'));
    }
  });

  it('nightly: each night reports the rows of both tables issued that night; a certificate issued the night after its precertificate is paired with it', async () => {
    const nightly = join(dir, 'nightly.sqlite');
    const db = new Database(nightly);
    db.exec(BOULDER_TABLES);
    db.exec(REGISTRATION);
    db.close();
    const config = parseConfig({ database: { preset: 'boulder', path: nightly, pageSize: 1 }, workers: 2, output: { baseDir: join(dir, 'reports') }, nightly: { stateFile: join(dir, 'nightly-state.json'), outputDir: join(dir, 'nightly') } });
    const write = (statements: string[]) => {
      const writer = new Database(nightly);
      for (const statement of statements) writer.exec(statement);
      writer.close();
    };
    await expectNights(write, () => runNightly(config, { clock }));
  });

  it('--shard K/N: each shard its certificates with their precertificates, and the merge is one scan byte for byte', async () => {
    const shardsPath = join(dir, 'shards.sqlite');
    const db = new Database(shardsPath);
    db.exec(BOULDER_TABLES);
    db.exec(REGISTRATION);
    for (const [index, what] of SHARD_CORPUS) for (const statement of boulderWrites(index, what)) db.exec(statement);
    db.close();
    const config = parseConfig({ database: { preset: 'boulder', path: shardsPath, pageSize: 1 }, workers: 2, output: { baseDir: join(dir, 'reports') } });
    await expectShardsMerge((out, shard) => runScan({ config, outDir: join(dir, 'shards', out), shard }, { clock }), join(dir, 'shards'));
    // summary.md gives the precertificates' query with the shard's condition.
    expect(readFileSync(join(dir, 'shards', 'shard-1', 'summary.md'), 'utf8')).toContain('(SELECT min(f."id") FROM "certificates" AS f WHERE f."serial" = c."serial") IS NOT NULL AND');
  });

  it('keys next to the preset: "precertificates": null scans the certificates only; id ranges of the certificates alone are refused with one line', async () => {
    const config = parseConfig({ database: { preset: 'boulder', path, precertificates: null }, workers: 1, output: { baseDir: join(dir, 'reports') } });
    const { summary } = await runScan({ config, outDir: join(dir, 'certificates-only') }, { clock });
    expect([summary.certificatesScanned, summary.source.precertificates, summary.precertificatesOnly]).toEqual([3, undefined, 0]);
    await expect(runScan({ config: boulder('range'), outDir: join(dir, 'range'), range: { afterId: 1 } }, { clock })).rejects.toThrow(/database\.precertificates: id ranges .* set "precertificates": null/);
    // A nightly run gives the precertificates their own bound; a run of the certificates' ids without one is refused.
    await expect(runScan({ config: boulder('nightly'), outDir: join(dir, 'nightly-without-bound'), kind: 'nightly', range: { afterId: 1 } }, { clock })).rejects.toThrow(/database\.precertificates/);
    expect(() => parseConfig({ database: { precertificates: { table: 'precertificates', columns: { digest: 'digest' } } } })).toThrow(/database\.precertificates\.columns\.digest: unknown key/);
  });
});

/**
 * One scan's reports over both tables, for the rows of boulderRows at `rows`: each precertificate
 * and its certificate share one appendix row with both hashes (the certificate's id), a
 * precertificate without its certificate has a row of its own and is counted as such; findings.csv
 * has a line for each row of each table (the precertificates' marked "precert").
 */
function expectBothTables(summary: ScanSummary, outDir: string, expected: { certificates: number; precertificates: number; rows: number[] }): void {
  expect(summary.certificatesScanned).toBe(expected.certificates);
  expect(summary.source.precertificates?.scanned).toBe(expected.precertificates);
  const sha256 = (der: Buffer | null) => (der ? createHash('sha256').update(der).digest('hex') : '');
  const appendix = readCsv(join(outDir, 'ccadb-appendix.csv'));
  expect(appendix.map((row) => [row['Precertificate SHA-256 hash'], row['Certificate SHA-256 hash'], row.cert_id, row['Is revoked?'], row['Revocation reason']])).toEqual(
    expected.rows.map((index) => {
      const row = boulderRows[index]!;
      // Ids as Boulder's tables gave them: the certificate's when there is one, else the precertificate's.
      return [sha256(row.precertificate), sha256(row.der), String(index + 1), row.status === 'revoked' ? 'Yes' : 'Planned', row.status === 'revoked' ? 'keyCompromise' : ''];
    }),
  );
  // DATETIME text read as UTC and reported in ISO 8601.
  for (const row of appendix.filter((line) => line['Is revoked?'] === 'Yes')) expect(row['Revocation date']).toBe('2026-11-02T10:00:00Z');
  const precertificateOnly = expected.rows.filter((index) => boulderRows[index]!.der === null).length;
  expect([summary.affectedCertificates, summary.precertificatesOnly, summary.revoked]).toEqual([expected.rows.length, precertificateOnly, expected.rows.includes(1) ? 1 : 0]);
  const findings = readCsv(join(outDir, 'findings.csv')).filter((row) => row.check === 'e_subject_country_not_uppercase');
  expect(findings.map((row) => [row.cert_id, row.entry_type, row.serial])).toEqual([
    ...expected.rows.filter((index) => boulderRows[index]!.der !== null).map((index) => [String(index + 1), '', boulderRows[index]!.serial]),
    ...expected.rows.map((index) => [String(index + 1), 'precert', boulderRows[index]!.serial]),
  ]);
}

/**
 * MariaDB, Boulder's engine: the tables as sa/db/01-boulder_sa.sql (same commit) creates them, the
 * columns certscan does not read left out, and the SELECT-only user as Boulder's sa_ro is granted.
 */
const BOULDER_MARIADB = `
CREATE TABLE \`certificates\` (
  \`id\` bigint(20) NOT NULL AUTO_INCREMENT,
  \`registrationID\` bigint(20) NOT NULL,
  \`serial\` varchar(255) NOT NULL,
  \`digest\` varchar(255) NOT NULL,
  \`der\` mediumblob NOT NULL,
  \`issued\` datetime NOT NULL,
  \`expires\` datetime NOT NULL,
  PRIMARY KEY (\`id\`),
  KEY \`issued_idx\` (\`issued\`),
  KEY \`serial\` (\`serial\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
CREATE TABLE \`precertificates\` (
  \`id\` bigint(20) NOT NULL AUTO_INCREMENT,
  \`registrationID\` bigint(20) NOT NULL,
  \`serial\` varchar(255) NOT NULL,
  \`der\` mediumblob NOT NULL,
  \`issued\` datetime NOT NULL,
  \`expires\` datetime NOT NULL,
  PRIMARY KEY (\`id\`),
  KEY \`regId_precertificates_idx\` (\`registrationID\`),
  KEY \`issued_precertificates_idx\` (\`issued\`),
  KEY \`serial\` (\`serial\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
CREATE TABLE \`certificateStatus\` (
  \`id\` bigint(20) NOT NULL AUTO_INCREMENT,
  \`serial\` varchar(255) NOT NULL,
  \`status\` varchar(255) NOT NULL,
  \`ocspLastUpdated\` datetime NOT NULL,
  \`revokedDate\` datetime NOT NULL,
  \`revokedReason\` int(11) NOT NULL,
  \`lastExpirationNagSent\` datetime NOT NULL,
  PRIMARY KEY (\`id\`),
  KEY \`serial\` (\`serial\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
CREATE TABLE \`registrations\` (
  \`id\` bigint(20) NOT NULL AUTO_INCREMENT,
  \`jwk\` mediumblob NOT NULL,
  \`jwk_sha256\` varchar(255) NOT NULL,
  \`createdAt\` datetime NOT NULL,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;`;

const available = serversAvailable();
describe.runIf(mustRunServerTests || available.mysql)('--preset boulder on MariaDB', () => {
  let server: TestServer | null = null;
  const dir = tempDir();

  beforeAll(async () => {
    server = await startMariadb();
    server.admin('CREATE DATABASE boulder_sa');
    const inserts = [
      REGISTRATION,
      ...boulderRows.flatMap((_, index) => boulderWrites(index, 'precertificate')),
      ...boulderRows.flatMap((row, index) => (row.der ? boulderWrites(index, 'certificate') : [])),
    ];
    server.admin(`${BOULDER_MARIADB}\n${inserts.join(';\n')}`, 'boulder_sa');
    grantBoulderTables('boulder_sa');
  }, 120_000);

  /** The SELECT-only user, on the four tables only (as Boulder's sa_ro, and precertificates). */
  const grantBoulderTables = (database: string) =>
    server!.admin(['certificates', 'precertificates', 'certificateStatus', 'registrations'].map((table) => `GRANT SELECT ON ${database}.${table} TO 'certscan_ro'@'localhost'`).join('; '));

  afterAll(async () => {
    await server?.stop();
  });

  // Two workers: each reads pages of both tables through its own connections.
  const boulder = () => parseConfig({ database: { preset: 'boulder' }, workers: 2, output: { baseDir: join(dir, 'reports') } });

  it('one scan reads certificates and precertificates, pairs them, revocation from certificateStatus, and an audit window to the second', async () => {
    const url = server!.readOnlyUrl('boulder_sa');
    const { summary, outDir } = await runScan({ config: boulder(), dbPath: url, outDir: join(dir, 'scan') }, { clock });
    expectBothTables(summary, outDir, { certificates: 3, precertificates: 4, rows: [0, 1, 2, 3] });
    expect(readFileSync(join(outDir, 'summary.md'), 'utf8')).toContain('FROM `precertificates` AS c');
    const audit = (from: string, to: string) =>
      runScan({ config: boulder(), dbPath: url, outDir: join(dir, `audit-${from}`), kind: 'audit', resumable: true, filter: { issuedFrom: from, issuedTo: to } }, { clock });
    const second = await audit('2026-11-01T00:00:00.000Z', '2026-11-01T00:00:01.000Z');
    expectBothTables(second.summary, second.outDir, { certificates: 1, precertificates: 1, rows: [1] });
    const last = await audit('2026-11-01T00:00:01.000Z', '2026-11-02T00:00:00.000Z');
    expectBothTables(last.summary, last.outDir, { certificates: 1, precertificates: 2, rows: [2, 3] });
  }, 120_000);

  it('nightly: each night the rows of both tables issued that night, a precertificate of the night before paired with its certificate', async () => {
    server!.admin('CREATE DATABASE boulder_nightly');
    server!.admin(`${BOULDER_MARIADB}\n${REGISTRATION}`, 'boulder_nightly');
    grantBoulderTables('boulder_nightly');
    const config = parseConfig({ database: { preset: 'boulder', pageSize: 1 }, workers: 2, output: { baseDir: join(dir, 'reports') }, nightly: { stateFile: join(dir, 'nightly-state.json'), outputDir: join(dir, 'nightly') } });
    await expectNights(
      (statements) => statements.length && server!.admin(statements.join(';\n'), 'boulder_nightly'),
      () => runNightly(config, { clock }, { dbPath: server!.readOnlyUrl('boulder_nightly') }),
    );
  }, 120_000);

  it('--shard K/N: each shard its certificates with their precertificates, and the merge is one scan byte for byte', async () => {
    server!.admin('CREATE DATABASE boulder_shards');
    server!.admin(`${BOULDER_MARIADB}\n${[REGISTRATION, ...SHARD_CORPUS.flatMap(([index, what]) => boulderWrites(index, what))].join(';\n')}`, 'boulder_shards');
    grantBoulderTables('boulder_shards');
    const config = parseConfig({ database: { preset: 'boulder', pageSize: 1 }, workers: 2, output: { baseDir: join(dir, 'reports') } });
    const url = server!.readOnlyUrl('boulder_shards');
    await expectShardsMerge((out, shard) => runScan({ config, dbPath: url, outDir: join(dir, 'shards', out), shard }, { clock }), join(dir, 'shards'));
  }, 120_000);

  it('joins the orders of a vetting database on the same server given as --orders (by registration id)', async () => {
    server!.admin(
      "CREATE DATABASE vetting; CREATE TABLE vetting.accounts (registration_id BIGINT PRIMARY KEY, legal_name TEXT, country VARCHAR(2)); INSERT INTO vetting.accounts VALUES (1, 'Liberia Demo Telecom Inc.', 'LR'); GRANT SELECT ON vetting.accounts TO 'certscan_ro'@'localhost'",
    );
    const config = parseConfig({
      database: {
        preset: 'boulder',
        orders: { source: server!.readOnlyUrl('vetting'), table: 'accounts', columns: { id: 'registration_id', organization: 'legal_name', country: 'country' } },
      },
      workers: 1,
      output: { baseDir: join(dir, 'reports') },
    });
    const { summary, outDir } = await runScan({ config, dbPath: server!.readOnlyUrl('boulder_sa'), outDir: join(dir, 'orders') }, { clock });
    expect(summary.certificatesScanned).toBe(3);
    const mismatches = readCsv(join(outDir, 'findings.csv')).filter((row) => row.check === 'e_subject_country_order_mismatch');
    // The precertificates join the same orders (registrationID) as the certificates.
    expect(mismatches.map((row) => [row.cert_id, row.entry_type, row.subject_country, row.vetted_country])).toEqual([
      ['1', '', 'mm', 'LR'],
      ['2', '', 'mm', 'LR'],
      ['3', '', 'mm', 'LR'],
      ['1', 'precert', 'mm', 'LR'],
      ['2', 'precert', 'mm', 'LR'],
      ['3', 'precert', 'mm', 'LR'],
      ['4', 'precert', 'mm', 'LR'],
    ]);
  }, 120_000);
});
