import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/clock.js';
import { parseConfig } from '../../../../src/config.js';
import { writeIssuanceDatabase } from '../../../../src/demo/demo_db.js';
import { runScan } from '../../../../src/scan.js';
import { SCAN_TIME, certificateFor, order, sha256File, tempDir } from '../../../helpers.js';
import { mustRunServerTests, serversAvailable, startMariadb, type TestServer } from '../../servers.js';

const clock = fixedClock(SCAN_TIME);
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });

/**
 * The tables certscan reads, with the columns and types of Boulder's own schema:
 * letsencrypt/boulder sa/db/01-boulder_sa.sql at 2d00c8e27919fe945e53b2cf857838e68a1da111
 * (certificates, certificateStatus, registrations; columns certscan does not read are left out).
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

/** Three DV certificates as Boulder stores them: [serial, DER, issued, status row]. */
interface BoulderRow {
  serial: string;
  der: Buffer;
  issued: string;
  status: string;
  revokedDate: string;
  revokedReason: number;
}
const boulderRows: BoulderRow[] = [];

describe('--preset boulder on a database in Boulder layout (SQLite)', () => {
  const dir = tempDir();
  const path = join(dir, 'boulder.sqlite');
  // Three DV certificates issued one second apart around midnight; the second one is revoked.
  const issued = ['2026-10-31T23:59:59Z', '2026-11-01T00:00:00Z', '2026-11-01T00:00:01Z'];

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
    const insertStatus = db.prepare('INSERT INTO certificateStatus (serial, status, ocspLastUpdated, revokedDate, revokedReason, lastExpirationNagSent) VALUES (?, ?, ?, ?, ?, ?)');
    issued.forEach((at, index) => {
      const der = written.issued[index]!;
      insertCertificate.run(serials[index], createHash('sha256').update(der).digest('base64'), der, datetime(at), datetime(new Date(Date.parse(at) + 90 * 86_400_000).toISOString()));
      const revoked = index === 1;
      insertStatus.run(serials[index], revoked ? 'revoked' : 'good', datetime(at), revoked ? '2026-11-02 10:00:00' : GO_ZERO_TIME, revoked ? 1 : 0, GO_ZERO_TIME);
      boulderRows.push({ serial: serials[index]!, der, issued: datetime(at), status: revoked ? 'revoked' : 'good', revokedDate: revoked ? '2026-11-02 10:00:00' : GO_ZERO_TIME, revokedReason: revoked ? 1 : 0 });
    });
    db.close();
  });

  const boulder = (out: string) => parseConfig({ database: { preset: 'boulder', path }, workers: 1, output: { baseDir: join(dir, out) } });

  it('scans the certificates with their revocation from certificateStatus (zero time: not revoked)', async () => {
    const before = sha256File(path);
    const { summary, outDir } = await runScan({ config: boulder('scan'), outDir: join(dir, 'scan') }, { clock });
    expect(sha256File(path)).toBe(before);
    expect(summary.certificatesScanned).toBe(3);
    expect(summary.findingsByCheck).toMatchObject({ e_subject_country_not_uppercase: 3 });
    const appendix = readCsv(join(outDir, 'ccadb-appendix.csv'));
    expect(appendix.map((row) => [row.cert_id, row['Is revoked?'], row['Revocation reason']])).toEqual([
      ['1', 'Planned', ''],
      ['2', 'Yes', 'keyCompromise'],
      ['3', 'Planned', ''],
    ]);
    // DATETIME text read as UTC and reported in ISO 8601.
    expect(appendix[1]!['Revocation date']).toBe('2026-11-02T10:00:00Z');
    expect(summary.revoked).toBe(1);
  });

  it('an audit window is exact to the second on DATETIME text', async () => {
    const window = (from: string, to: string) => runScan({ config: boulder(`audit-${from}`), outDir: join(dir, `audit-${from}-${to}`), kind: 'audit', filter: { issuedFrom: from, issuedTo: to } }, { clock });
    expect((await window('2026-11-01T00:00:00.000Z', '2026-11-01T00:00:01.000Z')).summary.certificatesScanned).toBe(1);
    expect((await window('2026-10-31T23:59:59.000Z', '2026-11-01T00:00:01.000Z')).summary.certificatesScanned).toBe(2);
    expect((await window('2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z')).summary.certificatesScanned).toBe(2);
  });
});

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
      "INSERT INTO registrations (jwk, jwk_sha256, createdAt) VALUES (X'7b7d', 'x', '2026-01-01 00:00:00')",
      ...boulderRows.map((row) => `INSERT INTO certificates (registrationID, serial, digest, der, issued, expires) VALUES (1, '${row.serial}', 'd', X'${row.der.toString('hex')}', '${row.issued}', '${row.issued}')`),
      ...boulderRows.map((row) => `INSERT INTO certificateStatus (serial, status, ocspLastUpdated, revokedDate, revokedReason, lastExpirationNagSent) VALUES ('${row.serial}', '${row.status}', '${row.issued}', '${row.revokedDate}', ${row.revokedReason}, '${GO_ZERO_TIME}')`),
    ];
    server.admin(`${BOULDER_MARIADB}\n${inserts.join(';\n')}`, 'boulder_sa');
    // The SELECT-only user, on the three tables only (as Boulder's sa_ro).
    server.admin(['certificates', 'certificateStatus', 'registrations'].map((table) => `GRANT SELECT ON boulder_sa.${table} TO 'certscan_ro'@'localhost'`).join('; '));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  const boulder = () => parseConfig({ database: { preset: 'boulder' }, workers: 1, output: { baseDir: join(dir, 'reports') } });

  it('reads the certificates, revocation from certificateStatus, and an audit window to the second', async () => {
    const url = server!.readOnlyUrl('boulder_sa');
    const { summary, outDir } = await runScan({ config: boulder(), dbPath: url, outDir: join(dir, 'scan') }, { clock });
    expect(summary.certificatesScanned).toBe(3);
    const appendix = readCsv(join(outDir, 'ccadb-appendix.csv'));
    expect(appendix.map((row) => [row.cert_id, row['Is revoked?'], row['Revocation reason']])).toEqual([
      ['1', 'Planned', ''],
      ['2', 'Yes', 'keyCompromise'],
      ['3', 'Planned', ''],
    ]);
    expect(appendix[1]!['Revocation date']).toBe('2026-11-02T10:00:00Z');
    const window = await runScan({ config: boulder(), dbPath: url, outDir: join(dir, 'audit'), kind: 'audit', filter: { issuedFrom: '2026-11-01T00:00:00.000Z', issuedTo: '2026-11-01T00:00:01.000Z' } }, { clock });
    expect(window.summary.certificatesScanned).toBe(1);
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
    expect(mismatches.map((row) => [row.cert_id, row.subject_country, row.vetted_country])).toEqual([
      ['1', 'mm', 'LR'],
      ['2', 'mm', 'LR'],
      ['3', 'mm', 'LR'],
    ]);
  }, 120_000);
});
