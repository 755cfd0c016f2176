import Database from 'better-sqlite3';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import { parseConfig, type ScanConfig } from '../../../../src/config.js';
import { runScan, type ScanRequest } from '../../../../src/scan.js';
import { SCAN_TIME, runCli, sha256File, tempDir } from '../../../helpers.js';
import { addCertReqHistory, writeEjbcaDatabase, type EjbcaDatabase } from './ejbca_layout.js';
import { expectIssueTimeNights } from '../../../jobs/issue_time_nights.js';
import { mergeShards } from '../../../../src/jobs/merge.js';
import { loadSqliteInto, mustRunServerTests, serversAvailable, startMariadb, startPostgres, type TestServer } from '../../servers.js';

const clock = fixedClock(SCAN_TIME);
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });
/** Expected rows in the order a scan reports them: by fingerprint, the last column. */
const byFingerprint = (rows: string[][]) => [...rows].sort((a, b) => (a[a.length - 1]! < b[b.length - 1]! ? -1 : 1));

/** The demo's issue #15 cases (by the start of their planted text) and the one check each must raise. */
const ISSUE_15_EXPECTED: Record<string, string[]> = {
  'businessCategory "Government Entity"': ['e_ev_business_category_order_mismatch'],
  'serialNumber "00"': ['e_subject_registration_number_order_mismatch'],
  'jurisdictionST "Utreht"': ['e_ev_jurisdiction_state_order_mismatch'],
  'jurisdictionL holds a county': ['e_ev_jurisdiction_locality_order_mismatch'],
  'street and postalCode swapped': ['e_subject_fields_swapped_order'],
  'postalCode "1012"': ['e_subject_postal_code_order_mismatch'],
  'organizationIdentifier with transposed': ['e_subject_org_identifier_order_mismatch'],
  'EV certificate without the vetted jurisdictionL': ['e_ev_vetted_attribute_missing'],
};

/** The error checks each issue #15 case raised, keyed as ISSUE_15_EXPECTED. */
function issue15Errors(findings: Record<string, string>[], plantedId: (text: string) => string): Record<string, string[]> {
  return Object.fromEntries(
    Object.keys(ISSUE_15_EXPECTED).map((what) => [what, findings.filter((row) => row.cert_id === plantedId(what) && row.check?.startsWith('e_')).map((row) => row.check!).sort()]),
  );
}

/**
 * --ct and --pem scans of the demo's certificates (demo_exports.ts) joined by serial with the same
 * certificates in EJBCA's layout, whose key is the TEXT fingerprint: the planted cases the database
 * scan reports, named by fingerprint, and the same counts by check (the truncated row is in the
 * database only: a log or a file would not hold half a certificate).
 */
async function expectLogAndFilesLikeDatabase(database: EjbcaDatabase, config: (out: string) => ScanRequest, planted: (what: string) => string): Promise<{ ct: string; pem: string }> {
  const exports = database.exports();
  const fromDb = await runScan(config('db'), { clock });
  const fromCt = await runScan({ ...config('ct'), ct: exports.ctDir, issuers: [exports.issuerPem] }, { clock });
  const fromPem = await runScan({ ...config('pem'), pem: exports.pemDir, issuers: [exports.issuerPem] }, { clock });
  expect(fromDb.summary.certificatesScanned).toBe(200);
  const { e_certificate_undecodable: undecodable, ...dbChecks } = fromDb.summary.findingsByCheck;
  expect(undecodable).toBe(1);
  for (const [name, outcome] of [['ct', fromCt], ['pem', fromPem]] as const) {
    expect(outcome.summary.certificatesScanned, name).toBe(199);
    expect(outcome.summary.findingsByCheck, name).toEqual(dbChecks);
    const findings = readCsv(join(outcome.outDir, 'findings.csv'));
    const byCheck = (check: string) => findings.filter((row) => row.check === check);
    expect(byCheck('e_subject_country_order_mismatch').map((row) => [row.subject_country, row.vetted_country, row.order_id, row.cert_id]).sort(), name).toEqual(
      [
        ['AD', 'MM', 'ORD-2019-MM', planted('C=AD')],
        ['GH', 'LR', 'ORD-2019-LR', planted('C=GH')],
      ].sort(),
    );
    expect(byCheck('e_ev_jurisdiction_country_order_mismatch').map((row) => row.cert_id), name).toEqual([planted('jurisdictionC=AT')]);
    expect(byCheck('e_order_record_missing').map((row) => row.cert_id), name).toEqual([planted('no order row')]);
    // The report-only columns come from the row read back by its fingerprint: the AD certificate's revocation.
    const ad = readCsv(join(outcome.outDir, 'ccadb-appendix.csv')).find((row) => row.cert_id === planted('C=AD'))!;
    expect([ad['Is revoked?'], ad['Revocation date']], name).toEqual(['Yes', '2019-06-20T12:00:00Z']);
  }
  return { ct: fromCt.outDir, pem: fromPem.outDir };
}

describe('--preset ejbca on a database in EJBCA layout (SQLite)', () => {
  const dir = tempDir();
  let database: EjbcaDatabase;
  beforeAll(() => {
    database = writeEjbcaDatabase(dir, clock);
  });

  const presetOnly = (path: string): ScanConfig => {
    const config = parseConfig({ database: { preset: 'ejbca', path }, workers: 2, output: { baseDir: join(dir, 'reports') } });
    return config;
  };

  it('reports exactly the planted cases, reads both certificate tables, and no revocation for -1', async () => {
    const before = sha256File(database.path);
    const { summary, outDir } = await runScan({ config: presetOnly(database.path), outDir: join(dir, 'out') }, { clock });
    expect(sha256File(database.path)).toBe(before);
    expect(summary.certificatesScanned).toBe(200);
    const findings = readCsv(join(outDir, 'findings.csv'));
    const byCheck = (check: string) => findings.filter((row) => row.check === check);
    const plantedId = (text: string) => database.planted.find((item) => item.what.includes(text))!.fingerprint;
    // Certificates are named by their fingerprint, EJBCA's key, and reported in its order.
    expect(byCheck('e_subject_country_order_mismatch').map((row) => [row.subject_country, row.vetted_country, row.order_id, row.cert_id])).toEqual(
      byFingerprint([
        ['AD', 'MM', 'ORD-2019-MM', plantedId('C=AD')],
        ['GH', 'LR', 'ORD-2019-LR', plantedId('C=GH')],
      ]),
    );
    expect(byCheck('e_ev_jurisdiction_country_order_mismatch').map((row) => row.cert_id)).toEqual([plantedId('jurisdictionC=AT')]);
    expect(byCheck('e_order_record_missing').map((row) => row.cert_id)).toEqual([plantedId('no order row')]);
    expect(byCheck('e_certificate_undecodable').map((row) => row.cert_id)).toEqual([plantedId('truncated')]);
    // Issue #15's fields, read from UserData.subjectDN under EJBCA's names: one planted case each.
    expect(issue15Errors(findings, plantedId)).toEqual(ISSUE_15_EXPECTED);
    // Only the planted rows: no certificate of Base64CertData is "undecodable", no other finding.
    const errors = findings.filter((row) => row.check?.startsWith('e_'));
    // The five above, the eight of issue #15, and the demo's certificate valid 400 days (a check on
    // the certificate alone). Not the stale and early vetting cases: EJBCA keeps no vetting date.
    expect(byCheck('e_validity_period_too_long').map((row) => row.cert_id)).toEqual([plantedId('valid 400 days')]);
    expect(new Set(errors.map((row) => row.cert_id)).size).toBe(14);
    expect(byCheck('e_order_vetting_stale')).toEqual([]);
    // -1 is not a revocation: of the affected, only the one the demo revoked (status 40).
    expect(summary.revoked).toBe(1);
    const appendix = readCsv(join(outDir, 'ccadb-appendix.csv'));
    const ad = appendix.find((row) => row.cert_id === plantedId('C=AD'))!;
    expect([ad['Is revoked?'], ad['Revocation date'], ad['Revocation reason']]).toEqual(['Yes', '2019-06-20T12:00:00Z', 'superseded']);
    expect(appendix.filter((row) => row['Is revoked?'] === 'Yes')).toHaveLength(1);
    const markdown = readFileSync(join(outDir, 'summary.md'), 'utf8');
    expect(markdown).toContain('LEFT JOIN "Base64CertData" AS d ON d."fingerprint" = c."fingerprint"');
  });

  it('a --ct and a --pem scan joined with it by the text fingerprint report the planted cases as the database scan', async () => {
    const plantedId = (text: string) => database.planted.find((item) => item.what.includes(text))!.fingerprint;
    await expectLogAndFilesLikeDatabase(database, (out) => ({ config: presetOnly(database.path), outDir: join(dir, `joined-${out}`) }), plantedId);
  });

  it('certscan scan --preset ejbca, with no other setting, finds them too; certscan presets lists it', () => {
    const out = join(dir, 'cli-out');
    const scan = runCli(['scan', '--db', database.path, '--preset', 'ejbca', '--out', out, '--workers', '1'], { cwd: dir, env: { CERTSCAN_NOW: SCAN_TIME } });
    expect(scan.stderr).toBe('');
    expect(scan.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { findingsByCheck: Record<string, number> };
    expect(summary.findingsByCheck).toMatchObject({ e_subject_country_order_mismatch: 2, e_ev_jurisdiction_country_order_mismatch: 1, e_order_record_missing: 1, e_certificate_undecodable: 1 });
    const presets = runCli(['presets']);
    expect(presets.code).toBe(0);
    expect(presets.stdout).toMatch(/^ejbca\n .*CertificateData and UserData\n.*\n  schema read from: Keyfactor\/ejbca-ce doc\/sql-scripts\/create-tables-ejbca-mysql.sql @ fa0cddfb/m);
    expect(presets.stdout).toMatch(/^boulder\n/m);
  });

  it('the same with the vetted data moved to a CSV export given as --orders', () => {
    // The CA engine's database without UserData; the vetting system's export holds the subjects.
    const engineOnly = join(dir, 'engine-only.sqlite');
    copyFileSync(database.path, engineOnly);
    const db = new Database(engineOnly);
    const users = db.prepare('SELECT username, subjectDN FROM UserData ORDER BY username').all() as Array<{ username: string; subjectDN: string }>;
    db.exec('DROP TABLE UserData');
    db.close();
    const quoteCsv = (value: string) => `"${value.replace(/"/g, '""')}"`;
    const csv = join(dir, 'vetting-export.csv');
    writeFileSync(csv, ['username,subjectDN', ...users.map((user) => `${quoteCsv(user.username)},${quoteCsv(user.subjectDN)}`)].join('\n') + '\n');
    const out = join(dir, 'csv-out');
    const scan = runCli(['scan', '--db', engineOnly, '--preset', 'ejbca', '--orders', csv, '--out', out, '--workers', '2'], { cwd: dir, env: { CERTSCAN_NOW: SCAN_TIME } });
    expect(scan.stderr).toBe('');
    expect(scan.code).toBe(1);
    const findings = readCsv(join(out, 'findings.csv'));
    const plantedId = (text: string) => database.planted.find((item) => item.what.includes(text))!.fingerprint;
    expect(findings.filter((row) => row.check === 'e_subject_country_order_mismatch').map((row) => [row.subject_country, row.vetted_country, row.cert_id])).toEqual(
      byFingerprint([
        ['AD', 'MM', plantedId('C=AD')],
        ['GH', 'LR', plantedId('C=GH')],
      ]),
    );
    expect(findings.filter((row) => row.check === 'e_ev_jurisdiction_country_order_mismatch').map((row) => row.cert_id)).toEqual([plantedId('jurisdictionC=AT')]);
    expect(findings.filter((row) => row.check === 'e_order_record_missing').map((row) => row.cert_id)).toEqual([plantedId('no order row')]);
    expect(issue15Errors(findings, plantedId)).toEqual(ISSUE_15_EXPECTED);
    expect(new Set(findings.filter((row) => row.check?.startsWith('e_')).map((row) => row.cert_id)).size).toBe(14);
  });

  it('the same with UserData in another database given as --orders, and a key that repeats there refused', async () => {
    const engineOnly = join(dir, 'engine-only-2.sqlite');
    const vetting = join(dir, 'vetting.sqlite');
    copyFileSync(database.path, engineOnly);
    copyFileSync(database.path, vetting);
    const db = new Database(engineOnly);
    db.exec('DROP TABLE UserData');
    db.close();
    const config = parseConfig({ database: { preset: 'ejbca', path: engineOnly, orders: { source: vetting } }, workers: 2, output: { baseDir: join(dir, 'reports') } });
    const { summary } = await runScan({ config, outDir: join(dir, 'vetting-out') }, { clock });
    expect(summary.findingsByCheck).toMatchObject({ e_subject_country_order_mismatch: 2, e_ev_jurisdiction_country_order_mismatch: 1, e_order_record_missing: 1, e_certificate_undecodable: 1 });
    // A vetting table whose key is not unique: which order a certificate joins would be a guess.
    const repeated = join(dir, 'vetting-repeated.sqlite');
    const copy = new Database(repeated);
    copy.exec("CREATE TABLE UserData (username TEXT, subjectDN TEXT); INSERT INTO UserData VALUES ('ORD-2019-MM', 'C=MM'), ('ORD-2019-MM', 'C=AD')");
    copy.close();
    const refused = parseConfig({ database: { preset: 'ejbca', path: engineOnly, orders: { source: repeated } }, workers: 1, output: { baseDir: join(dir, 'reports') } });
    // Orders keyed by INTEGER in the vetting database join certificates whose key column is text.
    const integerKeyed = join(dir, 'vetting-integer.sqlite');
    const numbered = new Database(integerKeyed);
    numbered.exec("CREATE TABLE UserData (username INTEGER PRIMARY KEY, subjectDN TEXT); INSERT INTO UserData VALUES (7, 'O=Seven,C=MM')");
    numbered.close();
    const { readOrderDatabase } = await import('../../../../src/sources/orders/order_database.js');
    const store = await readOrderDatabase(integerKeyed, parseConfig({ database: { preset: 'ejbca' } }).database);
    expect(store.record(store.ordinalOf('7'))).toMatchObject({ id: '7', organization: 'Seven', country: 'MM' });
    await expect(runScan({ config: refused, outDir: join(dir, 'repeated-out') }, { clock })).rejects.toThrow(/--orders: .*vetting-repeated\.sqlite: order "ORD-2019-MM" occurs more than once in UserData\.username/);
  });

  it('an audit on the text fingerprint resumes after the text key its checkpoint holds, to the same reports; progress stays 0 (a text key has no span)', async () => {
    // Pages of 20 and a checkpoint after every written batch.
    const paged = parseConfig({ database: { preset: 'ejbca', path: database.path, pageSize: 20 }, workers: 2, output: { baseDir: join(dir, 'reports'), checkpointIntervalMs: 0 } });
    const audit = (out: string) => ({ config: paged, outDir: join(dir, out), kind: 'audit' as const, resumable: true });
    const fractions: number[] = [];
    const reference = await runScan(audit('resume-reference'), { clock, onProgress: (progress) => fractions.push(progress.fraction) });
    expect(reference.summary.certificatesScanned).toBe(200);
    expect(fractions.length).toBeGreaterThan(0);
    expect(new Set(fractions)).toEqual(new Set([0]));
    await expect(runScan(audit('resume-3'), { clock, afterCheckpoint: (written) => {
      if (written === 3) throw new Error('interrupted');
    } })).rejects.toThrow('interrupted');
    const state = JSON.parse(readFileSync(join(dir, 'resume-3', '.certscan-audit-state.json'), 'utf8')) as { resumeAfterId: unknown };
    expect(state.resumeAfterId).toMatch(/^[0-9a-f]{40}$/);
    const resumed = await runScan(audit('resume-3'), { clock });
    expect(resumed.summary.certificatesScanned).toBe(200);
    for (const file of readdirSync(reference.outDir)) expect(readFileSync(join(dir, 'resume-3', file), 'utf8'), file).toBe(readFileSync(join(reference.outDir, file), 'utf8'));
  });

  it('keys next to the preset override it', () => {
    const config = parseConfig({ database: { preset: 'ejbca', orders: { columns: { validationType: 'type' } }, certificates: { timeEncoding: 'epoch-s' } } });
    expect(config.database.orders.table).toBe('UserData');
    expect(config.database.orders.columns.validationType).toBe('type');
    expect(config.database.orders.columns.country).toEqual({ dn: 'subjectDN', attribute: 'C' });
    expect(config.database.certificates.timeEncoding).toBe('epoch-s');
    expect(config.database.certificates.derFallback).toEqual({ table: 'Base64CertData', join: 'fingerprint', der: 'base64Cert' });
    expect(() => parseConfig({ database: { preset: 'openxpki' } })).toThrow(/database\.preset: must be one of ejbca, boulder/);
  });
});

describe('--preset ejbca with CertReqHistoryData: the end entity as it was at each issuance', () => {
  const dir = tempDir();
  let database: EjbcaDatabase;
  const path = join(dir, 'history.sqlite');
  // Fingerprints (the reports' cert_id): the organizationIdentifier case, whose snapshot is cut
  // short, and the LR order's unplanted certificate, which has none.
  let unreadable = '';
  let none = '';
  beforeAll(() => {
    database = writeEjbcaDatabase(dir, clock);
    copyFileSync(database.path, path);
    ({ unreadable, none } = addCertReqHistory(path, database.planted));
  });

  it('compares each certificate with its snapshot, UserData where it has none or one that cannot be read, and says which', async () => {
    const config = parseConfig({ database: { preset: 'ejbca', path }, workers: 2, output: { baseDir: join(dir, 'reports') } });
    const { summary, outDir } = await runScan({ config, outDir: join(dir, 'out') }, { clock });
    const findings = readCsv(join(outDir, 'findings.csv'));
    const plantedId = (text: string) => database.planted.find((item) => item.what.includes(text))!.fingerprint;
    // The GH certificate is compared with LR, as vetted when it was issued, not with GH as UserData
    // now says; the LR certificate without a snapshot can only be compared with UserData, and says so.
    expect(findings.filter((row) => row.check === 'e_subject_country_order_mismatch').map((row) => [row.subject_country, row.vetted_country, row.vetted_from, row.cert_id])).toEqual(
      byFingerprint([
        ['AD', 'MM', 'snapshot', plantedId('C=AD')],
        ['GH', 'LR', 'snapshot', plantedId('C=GH')],
        ['LR', 'GH', 'orders', none],
      ]),
    );
    // A snapshot that cannot be read: UserData, which still holds the vetted organizationIdentifier.
    expect(findings.filter((row) => row.cert_id === unreadable).map((row) => [row.check, row.vetted_from])).toEqual([['e_subject_org_identifier_order_mismatch', 'orders']]);
    // The certificate whose UserData row is gone has its snapshot: compared with it, nothing is missing.
    expect(findings.filter((row) => row.check === 'e_order_record_missing')).toEqual([]);
    expect(findings.filter((row) => row.cert_id === plantedId('no order row'))).toEqual([]);
    expect(issue15Errors(findings, plantedId)).toEqual(ISSUE_15_EXPECTED);
    // The planted ones but the orphan, and the LR certificate compared with UserData.
    expect(new Set(findings.filter((row) => row.check?.startsWith('e_')).map((row) => row.cert_id)).size).toBe(14);
    expect(summary.vettedData).toEqual({
      table: 'CertReqHistoryData',
      ordersTable: 'UserData',
      read: 199,
      unreadable: 1,
      notRead: null,
      affectedFromSnapshot: 12,
      affectedFromOrders: 2,
    });
    const markdown = readFileSync(join(outDir, 'summary.md'), 'utf8');
    expect(markdown).toContain('Compared with the vetted data from `CertReqHistoryData` (the end entity as it was at issuance; 199 snapshots read, 1 of them unreadable) where a certificate has a readable one, else `UserData` as it is now');
  });

  it('--ct and --pem scans compare the certificates they join by serial with the same snapshots, and say so', async () => {
    const exports = database.exports();
    const config = parseConfig({ database: { preset: 'ejbca', path }, workers: 2, output: { baseDir: join(dir, 'reports') } });
    const fromDb = await runScan({ config, outDir: join(dir, 'history-db') }, { clock });
    const countryCases = (outDir: string) =>
      readCsv(join(outDir, 'findings.csv'))
        .filter((row) => row.check === 'e_subject_country_order_mismatch' || row.cert_id === unreadable)
        .map((row) => [row.check, row.vetted_country, row.vetted_from, row.cert_id])
        .sort((x, y) => (x.join() < y.join() ? -1 : 1));
    for (const [name, request] of [['ct', { ct: exports.ctDir }], ['pem', { pem: exports.pemDir }]] as const) {
      const outcome = await runScan({ config, outDir: join(dir, `history-${name}`), issuers: [exports.issuerPem], ...request }, { clock });
      // The GH certificate against LR as vetted at issuance, not GH as UserData says now; the
      // certificates without a readable snapshot against UserData, as the database scan does.
      expect(countryCases(outcome.outDir), name).toEqual(countryCases(fromDb.outDir));
      expect(countryCases(outcome.outDir).filter((row) => row[0] === 'e_subject_country_order_mismatch').map((row) => row[1]).sort(), name).toEqual(['GH', 'LR', 'MM']);
      // The database's truncated row (compared with its snapshot there) is in neither a log nor a file.
      expect(outcome.summary.vettedData, name).toEqual({ ...fromDb.summary.vettedData, affectedFromSnapshot: fromDb.summary.vettedData!.affectedFromSnapshot - 1 });
    }
  });

  it('without the table, or with the vetted data from --orders, UserData (or the export) is used and the summary says why', async () => {
    const scan = runCli(['scan', '--db', database.path, '--preset', 'ejbca', '--out', join(dir, 'cli-out'), '--workers', '1'], { cwd: dir, env: { CERTSCAN_NOW: SCAN_TIME } });
    expect(scan.stdout).toContain('vetted data from UserData as it is now (CertReqHistoryData, the end entity at each issuance, not read: the database has no table CertReqHistoryData)');
    const summary = JSON.parse(readFileSync(join(dir, 'cli-out', 'summary.json'), 'utf8')) as { vettedData: { notRead: string } };
    expect(summary.vettedData.notRead).toBe('the database has no table CertReqHistoryData');
    const csv = join(dir, 'export.csv');
    writeFileSync(csv, 'username,subjectDN\nORD-2019-LR,C=LR\n');
    const config = parseConfig({ database: { preset: 'ejbca', path, orders: { source: csv } }, workers: 1, output: { baseDir: join(dir, 'reports') } });
    const outcome = await runScan({ config, outDir: join(dir, 'export-out') }, { clock });
    expect(outcome.summary.vettedData?.notRead).toBe(`the vetted data comes from ${csv} (--orders)`);
    expect(readCsv(join(outcome.outDir, 'findings.csv')).every((row) => row.vetted_from === '')).toBe(true);
  });
});

// EJBCA on the servers it runs on: CertificateData keyed by its TEXT fingerprint, paged by it on
// every engine (PostgreSQL folds the unquoted table and column names of EJBCA's script to lower case).
const available = serversAvailable();
describe.runIf(mustRunServerTests || (available.postgresql && available.mysql))('--preset ejbca on PostgreSQL and MariaDB, paged by the text fingerprint', () => {
  let servers: TestServer[] = [];
  const dir = tempDir();
  let database: EjbcaDatabase;
  /** The same rows in each engine: [name, --db]. */
  let engines: Array<[string, string]> = [];
  /** The same with CertReqHistoryData (addCertReqHistory), and its two certificates compared with UserData. */
  let historyEngines: Array<[string, string]> = [];
  let historyCases = { unreadable: '', none: '' };

  beforeAll(async () => {
    database = writeEjbcaDatabase(dir, clock);
    const settled = await Promise.allSettled([startPostgres(), startMariadb()]);
    servers = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    for (const server of servers) loadSqliteInto(server, database.path, 'ejbca');
    engines = [['sqlite', database.path], ...servers.map((server): [string, string] => [server.engine, server.readOnlyUrl('ejbca')])];
    const history = join(dir, 'history.sqlite');
    copyFileSync(database.path, history);
    historyCases = addCertReqHistory(history, database.planted);
    for (const server of servers) loadSqliteInto(server, history, 'ejbca_history');
    historyEngines = [['sqlite', history], ...servers.map((server): [string, string] => [server.engine, server.readOnlyUrl('ejbca_history')])];
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  const ejbca = (pageSize = 1000) => parseConfig({ database: { preset: 'ejbca', pageSize }, workers: 2, output: { baseDir: join(dir, 'reports') } });
  const reportBytes = (outDir: string) => ({
    findings: readFileSync(join(outDir, 'findings.csv'), 'utf8'),
    appendix: readFileSync(join(outDir, 'ccadb-appendix.csv'), 'utf8'),
  });

  it('reports byte for byte what the SQLite scan reports, certificates named by fingerprint', async () => {
    const outcomes = [];
    // Pages of 7: the keyset walk crosses many page edges.
    for (const [name, db] of engines) outcomes.push({ name, ...(await runScan({ config: ejbca(7), dbPath: db, outDir: join(dir, `scan-${name}`) }, { clock })) });
    const [sqlite, ...others] = outcomes;
    expect(sqlite!.summary.certificatesScanned).toBe(200);
    const mismatches = readCsv(join(sqlite!.outDir, 'findings.csv')).filter((row) => row.check === 'e_subject_country_order_mismatch');
    const fingerprintOf = (text: string) => database.planted.find((item) => item.what.includes(text))!.fingerprint;
    expect(mismatches.map((row) => row.cert_id).sort()).toEqual([fingerprintOf('C=AD'), fingerprintOf('C=GH')].sort());
    for (const outcome of others) {
      expect(outcome.summary.certificatesScanned, outcome.name).toBe(200);
      expect(reportBytes(outcome.outDir), outcome.name).toEqual(reportBytes(sqlite!.outDir));
    }
  }, 180_000);

  it('reads CertReqHistoryData from PostgreSQL and MariaDB as from SQLite: byte for byte the same findings (vetted_from included) and vettedData', async () => {
    const outcomes = [];
    // Pages of 7: the snapshots are read 7 a query too, across many keyset page edges.
    for (const [name, db] of historyEngines) outcomes.push({ name, ...(await runScan({ config: ejbca(7), dbPath: db, outDir: join(dir, `history-${name}`) }, { clock })) });
    const [sqlite, ...others] = outcomes;
    const fingerprintOf = (text: string) => database.planted.find((item) => item.what.includes(text))!.fingerprint;
    const findings = readCsv(join(sqlite!.outDir, 'findings.csv'));
    // As the SQLite tests above pin it: GH compared with LR as vetted at issuance, the certificate
    // without a snapshot with UserData, the cut-short snapshot's certificate with UserData.
    expect(findings.filter((row) => row.check === 'e_subject_country_order_mismatch').map((row) => [row.vetted_country, row.vetted_from, row.cert_id])).toEqual(
      byFingerprint([
        ['MM', 'snapshot', fingerprintOf('C=AD')],
        ['LR', 'snapshot', fingerprintOf('C=GH')],
        ['GH', 'orders', historyCases.none],
      ]),
    );
    expect(findings.filter((row) => row.cert_id === historyCases.unreadable).map((row) => row.vetted_from)).toEqual(['orders']);
    const vettedData = { table: 'CertReqHistoryData', ordersTable: 'UserData', read: 199, unreadable: 1, notRead: null, affectedFromSnapshot: 12, affectedFromOrders: 2 };
    expect(sqlite!.summary.vettedData).toEqual(vettedData);
    for (const outcome of others) {
      expect(outcome.summary.vettedData, outcome.name).toEqual(vettedData);
      expect(reportBytes(outcome.outDir), outcome.name).toEqual(reportBytes(sqlite!.outDir));
      expect(readFileSync(join(outcome.outDir, 'summary.md'), 'utf8'), outcome.name).toContain('`CertReqHistoryData` (the end entity as it was at issuance; 199 snapshots read, 1 of them unreadable)');
    }
    // Without the table (the corpus of the other tests), every engine says so and uses UserData.
    for (const [name, db] of engines) {
      const { summary } = await runScan({ config: ejbca(), dbPath: db, outDir: join(dir, `no-history-${name}`) }, { clock });
      expect(summary.vettedData?.notRead, name).toBe('the database has no table CertReqHistoryData');
    }
  }, 180_000);

  it('--shard K/N by quantiles of the fingerprint: shards 0..2 merge to the one scan on every engine', async () => {
    for (const [name, db] of engines) {
      const whole = await runScan({ config: ejbca(9), dbPath: db, outDir: join(dir, `whole-${name}`) }, { clock });
      const shards = [];
      for (const index of [0, 1, 2]) shards.push(await runScan({ config: ejbca(9), dbPath: db, shard: { index, count: 3 }, outDir: join(dir, `shard-${name}-${index}`) }, { clock }));
      // Each shard holds about a third of the rows, and together all of them once.
      for (const shard of shards) expect(shard.summary.certificatesScanned, `${name} shard`).toBeGreaterThanOrEqual(60);
      expect(shards.reduce((total, shard) => total + shard.summary.certificatesScanned, 0), name).toBe(200);
      const merged = join(dir, `merged-${name}`);
      await mergeShards(shards.map((shard) => shard.outDir), merged, { now: new Date(SCAN_TIME), ledgerPath: null });
      expect(reportBytes(merged), name).toEqual(reportBytes(whole.outDir));
      // The merged summary still says which vetted data the shards compared with.
      const mergedSummary = JSON.parse(readFileSync(join(merged, 'summary.json'), 'utf8')) as typeof whole.summary;
      expect(mergedSummary.vettedData, name).toEqual(whole.summary.vettedData);
      expect(whole.summary.vettedData?.notRead, name).toBe('the database has no table CertReqHistoryData');
    }
  }, 300_000);

  it('--ct and --pem scans joined by the text fingerprint: the planted cases on every engine, byte for byte the reports of SQLite', async () => {
    const plantedId = (text: string) => database.planted.find((item) => item.what.includes(text))!.fingerprint;
    const outcomes = [];
    for (const [name, db] of engines) outcomes.push({ name, ...(await expectLogAndFilesLikeDatabase(database, (out) => ({ config: ejbca(7), dbPath: db, outDir: join(dir, `joined-${name}-${out}`) }), plantedId)) });
    const [sqlite, ...others] = outcomes;
    for (const outcome of others) {
      expect(reportBytes(outcome.ct), `${outcome.name} --ct`).toEqual(reportBytes(sqlite!.ct));
      expect(reportBytes(outcome.pem), `${outcome.name} --pem`).toEqual(reportBytes(sqlite!.pem));
    }
  }, 300_000);

  it('refuses a certificates key that is not unique, with one line', async () => {
    for (const [name, db] of engines) {
      const byUsername = parseConfig({ database: { preset: 'ejbca', certificates: { columns: { id: 'username' } } }, workers: 1, output: { baseDir: join(dir, 'reports') } });
      await expect(runScan({ config: byUsername, dbPath: db, outDir: join(dir, `refused-${name}`) }, { clock }), name).rejects.toThrow(
        /database\.certificates\.columns\.id: "username" of "CertificateData" is not unique \(no primary key or unique index on it alone\)/,
      );
    }
  }, 120_000);

  it('nightly on the text fingerprint goes by issue time: new and late rows are read, no finding is reported twice', async () => {
    // Each engine gets its own copy of the rows, which the CA then adds to between nights.
    const copies = await Promise.all(
      engines.map(async ([name]) => {
        const path = join(dir, `nightly-${name}.sqlite`);
        copyFileSync(database.path, path);
        const server = servers.find((candidate) => candidate.engine === name);
        return { name, path, server };
      }),
    );
    for (const { name, path, server } of copies) {
      const location = () => {
        if (!server) return path;
        // The server's copy is the SQLite file as it is now (the same database name, as a CA's is).
        server.admin(`DROP DATABASE IF EXISTS nightly_${name}`);
        loadSqliteInto(server, path, `nightly_${name}`);
        return server.readOnlyUrl(`nightly_${name}`);
      };
      await expectIssueTimeNights({ dir, name, path, planted: database.planted, location, config: () => ejbca() });
    }
  }, 300_000);
});
