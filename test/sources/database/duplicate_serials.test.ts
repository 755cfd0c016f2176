// RFC 5280 4.1.2.2 in database scans: two rows holding different certificates with one issuer and
// serial each get e_serial_number_duplicate naming the other row, and are two appendix rows. One
// certificate stored in two rows is one certificate; the same serial under another issuer is no
// duplicate. The whole table counts, whatever the shard, night or audit window. Real signed
// certificates in a real SQLite file, and the same rows in a real PostgreSQL and MariaDB.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { parseConfig } from '../../../src/config.js';
import { createDemoCa, generateKeyPair } from '../../../src/demo/certificate_builder.js';
import { ISSUANCE_SCHEMA, buildDemoCertificate, writeIssuanceDatabase } from '../../../src/demo/demo_db.js';
import { children, readTlv } from '../../../src/decode/der_walk.js';
import { serialHexOf } from '../../../src/decode/serial.js';
import { runNightly } from '../../../src/jobs/nightly.js';
import { runScan, type ScanRequest } from '../../../src/scan.js';
import { issuerNameHex } from '../../../src/sources/ct/issuers.js';
import { openDatabaseSource } from '../../../src/sources/database/database_source.js';
import { duplicateSerialMap, duplicateSerialRows, findDuplicateSerialRows, markDuplicateSerials, type DuplicateSerialQueries } from '../../../src/sources/database/duplicate_serials.js';
import type { SourceRow } from '../../../src/sources/types.js';
import { SCAN_TIME, certificateFor, configFor, order, tempDir } from '../../helpers.js';
import { loadSqliteInto, mustRunServerTests, serversAvailable, startMariadb, startPostgres, type TestServer } from '../servers.js';

const clock = fixedClock(SCAN_TIME);
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });
const DUPLICATE = 'e_serial_number_duplicate';

/**
 * Rows 1-6: six clean certificates of one order. Row 7: another certificate (other subject) with
 * row 2's serial, stored in upper case with a leading zero. Row 8: row 3's certificate again.
 * Row 9: a certificate of another CA with row 2's serial.
 */
function writeCorpus(path: string): { serialOfRow2: string } {
  const now = new Date(SCAN_TIME);
  const ca = createDemoCa(now);
  const vetted = order('ORD-1', { organization: 'Example Org', country: 'US' });
  const specs = Array.from({ length: 6 }, (_, k) => certificateFor(vetted, { commonName: `host${k + 1}.example`, notBefore: new Date(Date.UTC(2026, 8, 1 + k)) }));
  const demo = writeIssuanceDatabase(path, { orders: [vetted], certificates: specs }, { now, ca, keepIssued: true });
  const db = new Database(path);
  try {
    const serialOfRow2 = db.prepare('SELECT serial FROM certificates WHERE id = 2').pluck().get() as string;
    const other = certificateFor(vetted, { commonName: 'other.example', notBefore: new Date('2026-10-15T00:00:00Z') });
    const insert = db.prepare('INSERT INTO certificates (id, order_id, serial, der, issued_at) VALUES (?, ?, ?, ?, ?)');
    insert.run(7, 'ORD-1', `0${serialOfRow2.toUpperCase()}`, buildDemoCertificate(other, Buffer.from(serialOfRow2, 'hex'), ca.issuing, generateKeyPair()), '2026-10-15T00:00:00.000Z');
    insert.run(8, 'ORD-1', db.prepare('SELECT serial FROM certificates WHERE id = 3').pluck().get(), demo.issued[2], '2026-10-16T00:00:00.000Z');
    const anotherCa = createDemoCa(now, 'Another');
    insert.run(9, 'ORD-1', serialOfRow2, buildDemoCertificate(other, Buffer.from(serialOfRow2, 'hex'), anotherCa.issuing, generateKeyPair()), '2026-10-17T00:00:00.000Z');
    return { serialOfRow2 };
  } finally {
    db.close();
  }
}

describe('duplicate serials in a database scan', () => {
  const dir = tempDir();
  const path = join(dir, 'issuance.sqlite');
  let serialOfRow2 = '';

  beforeAll(() => {
    ({ serialOfRow2 } = writeCorpus(path));
  });

  async function scan(request: Omit<ScanRequest, 'config' | 'outDir'>, name: string, dbPath = path) {
    const outDir = join(dir, name);
    const outcome = await runScan({ ...request, config: configFor(path, { workers: 2 }), dbPath, outDir, ledgerPath: null }, { clock });
    return { outcome, findings: readCsv(join(outDir, 'findings.csv')), appendix: readCsv(join(outDir, 'ccadb-appendix.csv')) };
  }

  it('finds the two rows of one issuer + serial, stored in different case and zeros; not one certificate in two rows, not another issuer', async () => {
    const database = await openDatabaseSource(path, configFor(path).database);
    try {
      expect(await database.duplicateSerialRows()).toEqual({ 2: ['row 7'], 7: ['row 2'] });
    } finally {
      await database.close();
    }
  });

  it('gives both rows the finding, naming the other, and two appendix rows', async () => {
    const { outcome, findings, appendix } = await scan({}, 'full');
    const duplicates = findings.filter((row) => row.check === DUPLICATE);
    expect(duplicates.map((row) => [row.cert_id, row.serial])).toEqual([
      ['2', serialOfRow2],
      // The report gives the certificate's serial, whatever the stored spelling.
      ['7', serialOfRow2],
    ]);
    expect(duplicates[0]!.detail).toBe(`serial ${serialOfRow2} of this issuer is also used by another certificate: row 7`);
    expect(duplicates[1]!.detail).toContain('row 2');
    expect(duplicates[0]!.citation).toContain('RFC 5280 4.1.2.2');
    // Rows 3 and 8 (one certificate) and row 9 (another issuer) have nothing to report.
    expect(appendix.map((row) => [row.cert_id, row.checks])).toEqual([
      ['2', DUPLICATE],
      ['7', DUPLICATE],
    ]);
    expect(outcome.summary.findingsByCheck[DUPLICATE]).toBe(2);
    expect(outcome.reportedKeys).toEqual([`2:${DUPLICATE}`, `7:${DUPLICATE}`]);
  });

  it('a worker that dies and is replaced: the replacement is given the duplicate rows too (they reach workers as a message)', async () => {
    // Row 5's worker exits; its batch (rows 1-9 with one worker and page size 500) is redone by a new
    // worker, which must mark rows 2 and 7 as the first one would have.
    process.env.CERTSCAN_TEST_WORKER_EXIT_AT_REF = '5';
    try {
      const outDir = join(dir, 'restarted');
      const outcome = await runScan({ config: configFor(path, { workers: 1 }), outDir, ledgerPath: null }, { clock });
      expect(outcome.summary.workerRestarts).toBe(1);
      const findings = readCsv(join(outDir, 'findings.csv'));
      expect(findings.filter((row) => row.check === DUPLICATE).map((row) => row.cert_id)).toEqual(['2', '7']);
    } finally {
      delete process.env.CERTSCAN_TEST_WORKER_EXIT_AT_REF;
    }
  });

  it('--shard 0/2 and 1/2: each shard reports its own row, naming the one in the other shard', async () => {
    const first = await scan({ shard: { index: 0, count: 2 } }, 'shard-0');
    const second = await scan({ shard: { index: 1, count: 2 } }, 'shard-1');
    // Nine rows in two quantiles of the key (NTILE): five, then four.
    expect(first.outcome.summary.source).toMatchObject({ firstId: 1, lastId: 5 });
    expect(second.outcome.summary.source).toMatchObject({ firstId: 6, lastId: 9 });
    expect(first.findings.map((row) => [row.cert_id, row.check, row.detail!.replace(/.*: /, '')])).toEqual([['2', DUPLICATE, 'row 7']]);
    expect(second.findings.map((row) => [row.cert_id, row.check, row.detail!.replace(/.*: /, '')])).toEqual([['7', DUPLICATE, 'row 2']]);
  });

  it('an audit window holding only row 7 reports it, naming row 2 outside the window', async () => {
    const { findings, appendix } = await scan({ filter: { issuedFrom: '2026-10-01T00:00:00Z', issuedTo: '2026-10-16T00:00:00Z' } }, 'audit');
    expect(findings.map((row) => [row.cert_id, row.check, row.detail!.replace(/.*: /, '')])).toEqual([['7', DUPLICATE, 'row 2']]);
    expect(appendix).toHaveLength(1);
  });

  it('nightly: a certificate that reuses an old serial is reported the night it is issued', async () => {
    const nightlyDir = tempDir();
    const nightlyDb = join(nightlyDir, 'issuance.sqlite');
    const { serialOfRow2: reused } = writeCorpus(nightlyDb);
    const db = new Database(nightlyDb);
    const row7 = db.prepare('SELECT * FROM certificates WHERE id = 7').get() as Record<string, unknown>;
    db.prepare('DELETE FROM certificates WHERE id >= 7').run();
    db.close();
    const config = configFor(nightlyDb, { workers: 1 });
    config.nightly = { ...config.nightly, stateFile: join(nightlyDir, 'state.json'), lookbackIds: 0, outputDir: join(nightlyDir, 'nightly') };
    const first = await runNightly(config, { clock });
    expect(first.summary.findingsByCheck[DUPLICATE]).toBeUndefined();
    const writable = new Database(nightlyDb);
    writable.prepare('INSERT INTO certificates (id, order_id, serial, der, issued_at) VALUES (@id, @order_id, @serial, @der, @issued_at)').run(row7);
    writable.close();
    const second = await runNightly(config, { clock: fixedClock('2026-11-27T12:00:00Z') });
    const findings = readCsv(join(second.outDir, 'findings.csv'));
    expect(findings.map((row) => [row.cert_id, row.check, row.serial, row.detail!.replace(/.*: /, '')])).toEqual([['7', DUPLICATE, reused, 'row 2']]);
  });
});

describe('duplicate serials with the EJBCA preset (decimal serials, base64, a second certificate table, the text fingerprint key)', () => {
  it('finds row 2 and row 7 whose certificate is in Base64CertData and whose decimal serial has a leading zero', async () => {
    const dir = tempDir();
    const corpus = join(dir, 'corpus.sqlite');
    writeCorpus(corpus);
    const path = join(dir, 'ejbca.sqlite');
    const db = new Database(path);
    // The columns the preset reads (EJBCA's fingerprint key holds one certificate once: row 8, a
    // second copy of row 3's, has no place here).
    db.exec(`CREATE TABLE CertificateData (fingerprint VARCHAR(250) PRIMARY KEY, base64Cert LONGTEXT, serialNumber VARCHAR(250) NOT NULL, notBefore BIGINT,
      expireDate BIGINT NOT NULL, revocationDate BIGINT NOT NULL, revocationReason INT NOT NULL, status INT NOT NULL, username VARCHAR(250));
      CREATE TABLE Base64CertData (fingerprint VARCHAR(250) PRIMARY KEY, base64Cert LONGTEXT);
      CREATE TABLE UserData (username VARCHAR(250) PRIMARY KEY, subjectDN VARCHAR(400));
      INSERT INTO UserData VALUES ('ORD-1', 'CN=ord-1.example,O=Example Org,L=San Francisco,ST=California,C=US');`);
    db.exec(`ATTACH '${corpus}' AS corpus`);
    const rows = db.prepare('SELECT id, serial, der, issued_at FROM corpus.certificates WHERE id <> 8 ORDER BY id').all() as Array<{ id: number; serial: string; der: Buffer; issued_at: string }>;
    const insert = db.prepare('INSERT INTO CertificateData VALUES (?, ?, ?, ?, ?, -1, -1, 20, ?)');
    // The preset keys rows by fingerprint: rows are named by it, in the reports and to each other.
    const fingerprints = new Map<number, string>();
    for (const row of rows) {
      const fingerprint = createHash('sha1').update(row.der).digest('hex');
      fingerprints.set(row.id, fingerprint);
      const separate = row.id === 7;
      const decimal = BigInt(`0x${row.serial}`).toString(10);
      insert.run(fingerprint, separate ? null : row.der.toString('base64'), row.id === 7 ? `0${decimal}` : decimal, Date.parse(row.issued_at), Date.parse(row.issued_at) + 90 * 86_400_000, 'ORD-1');
      if (separate) db.prepare('INSERT INTO Base64CertData VALUES (?, ?)').run(fingerprint, row.der.toString('base64'));
    }
    db.exec('DETACH corpus');
    db.close();
    const config = parseConfig({ database: { preset: 'ejbca', path }, workers: 2, output: { baseDir: join(dir, 'reports') } });
    const database = await openDatabaseSource(path, config.database);
    const [two, seven] = [fingerprints.get(2)!, fingerprints.get(7)!];
    try {
      expect(await database.duplicateSerialRows()).toEqual({ [two]: [`row ${seven}`], [seven]: [`row ${two}`] });
    } finally {
      await database.close();
    }
    const { outDir } = await runScan({ config, outDir: join(dir, 'out'), ledgerPath: null }, { clock });
    // Reported in key order (the fingerprints' text order); the workers marked the rows by their text keys.
    expect(readCsv(join(outDir, 'findings.csv')).filter((row) => row.check === DUPLICATE).map((row) => [row.cert_id, row.detail!.replace(/.*: /, '')])).toEqual(
      [
        [two, `row ${seven}`],
        [seven, `row ${two}`],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
  });
});

const available = serversAvailable();
const servers = mustRunServerTests || (available.postgresql && available.mysql);

describe.runIf(servers)('duplicate serials in PostgreSQL and MariaDB', () => {
  let started: TestServer[] = [];
  const path = join(tempDir(), 'issuance.sqlite');

  beforeAll(async () => {
    writeCorpus(path);
    started = await Promise.all([startPostgres(), startMariadb()]);
    for (const server of started) loadSqliteInto(server, path, 'certscan');
  });

  afterAll(async () => {
    await Promise.all(started.map((server) => server.stop()));
  });

  it('finds the same rows as SQLite, and the scan reports them the same', async () => {
    const sqlite = await runScan({ config: configFor(path, { workers: 2 }), outDir: join(tempDir(), 'sqlite'), ledgerPath: null }, { clock });
    for (const server of started) {
      const url = server.readOnlyUrl('certscan');
      const database = await openDatabaseSource(url, configFor(path).database);
      try {
        expect(await database.duplicateSerialRows(), server.engine).toEqual({ 2: ['row 7'], 7: ['row 2'] });
      } finally {
        await database.close();
      }
      const outcome = await runScan({ config: configFor(path, { workers: 2 }), dbPath: url, outDir: join(tempDir(), server.engine), ledgerPath: null }, { clock });
      expect(readFileSync(join(outcome.outDir, 'findings.csv'), 'utf8'), server.engine).toBe(readFileSync(join(sqlite.outDir, 'findings.csv'), 'utf8'));
      expect(readFileSync(join(outcome.outDir, 'ccadb-appendix.csv'), 'utf8'), server.engine).toBe(readFileSync(join(sqlite.outDir, 'ccadb-appendix.csv'), 'utf8'));
      expect(outcome.summary.findingsByCheck[DUPLICATE], server.engine).toBe(2);
    }
  });
});

/** The same TBSCertificate field (after the version) with another tag: a row that does not decode in one place. */
function withFieldTag(certificate: Buffer, field: number, tag: number): Buffer {
  const outer = readTlv(certificate, 0, certificate.length)!;
  const tbs = readTlv(certificate, outer.contentStart, outer.end)!;
  const fields = children(certificate, tbs).filter((tlv) => tlv.tag !== 0xa0);
  const copy = Buffer.from(certificate);
  copy[fields[field]!.start] = tag;
  return copy;
}

describe('the duplicate-serial functions, called directly', () => {
  const now = new Date(SCAN_TIME);
  const ca = createDemoCa(now);
  const vetted = order('ORD-1');
  const serial = Buffer.from('1a2b3c4d5e6f708192a3b4c5d6e7f801', 'hex');
  const issue = (commonName: string, issuer = ca.issuing) => buildDemoCertificate(certificateFor(vetted, { commonName }), serial, issuer, generateKeyPair());
  const [x, y, z] = [issue('x.example'), issue('y.example'), issue('z.example')];
  const ofAnotherCa = issue('w.example', createDemoCa(now, 'Another').issuing);

  it('names each row the other certificates\' rows in key order; one certificate in two rows is one; another issuer is none', () => {
    const rows = [
      { ref: 10, der: x },
      { ref: 9, der: y },
      { ref: 2, der: x },
      { ref: 5, der: z },
      { ref: 7, der: ofAnotherCa },
    ];
    expect(duplicateSerialRows(rows)).toEqual({
      2: ['row 5', 'row 9'],
      10: ['row 5', 'row 9'],
      9: ['row 2', 'row 5', 'row 10'],
      5: ['row 2', 'row 9', 'row 10'],
    });
  });

  it('leaves out rows whose issuer Name or serial cannot be read, even when two different ones share what can be read', () => {
    // Subject tag broken: the issuer Name is unreadable (the fields do not parse), the serial is read.
    const [noNameX, noNameY] = [withFieldTag(x, 4, 0x1f), withFieldTag(y, 4, 0x1f)];
    // Serial tag made OCTET STRING: the issuer Name is read, the serial is not.
    const [noSerialX, noSerialY] = [withFieldTag(x, 0, 0x04), withFieldTag(y, 0, 0x04)];
    expect([issuerNameHex(noNameX, false), serialHexOf(noNameX, false)]).toEqual([null, serial.toString('hex')]);
    expect([issuerNameHex(noSerialX, false), serialHexOf(noSerialX, false)]).toEqual([issuerNameHex(x, false), null]);
    const garbage = [Buffer.from('not a certificate'), Buffer.from('not one either')];
    const rows = [noNameX, noNameY, noSerialX, noSerialY, ...garbage].map((der, k) => ({ ref: k + 1, der }));
    expect(duplicateSerialRows(rows)).toEqual({});
    expect(duplicateSerialRows([...rows, { ref: 20, der: x }, { ref: 21, der: y }])).toEqual({ 20: ['row 21'], 21: ['row 20'] });
  });

  it('reads the candidates ROWS_BY_ID (500) at a time: 1000 rows of one stored serial in two reads of 500 ids', async () => {
    const path = join(tempDir(), 'many.sqlite');
    const db = new Database(path);
    try {
      db.exec(ISSUANCE_SCHEMA);
      const insert = db.prepare('INSERT INTO certificates (id, order_id, serial, der, issued_at) VALUES (?, ?, ?, ?, ?)');
      db.transaction(() => {
        // Rows 1-999: certificate x, its serial spelled in three ways; row 1000: y; row 1001: a serial used once.
        for (let id = 1; id <= 999; id++) insert.run(id, 'ORD-1', ['', '0', '00'][id % 3] + (id % 2 ? serial.toString('hex') : serial.toString('hex').toUpperCase()), x, '2026-10-01T00:00:00.000Z');
        insert.run(1000, 'ORD-1', serial.toString('hex'), y, '2026-10-01T00:00:00.000Z');
        insert.run(1001, 'ORD-1', 'ff01', z, '2026-10-01T00:00:00.000Z');
      })();
      const parameterCounts: number[] = [];
      const queries: DuplicateSerialQueries = {
        engine: 'sqlite',
        keyKind: 'integer',
        quote: (name) => `"${name}"`,
        parameter: () => '?',
        read: async (sql, parameters) => {
          parameterCounts.push(parameters.length);
          return db.prepare(sql).raw().all(...parameters) as unknown[][];
        },
      };
      const found = await findDuplicateSerialRows(queries, configFor(path).database.certificates);
      // The first repeated serial, the candidates' ids, then their certificates in two chunks.
      expect(parameterCounts).toEqual([0, 0, 500, 500]);
      const rowsOfX = Array.from({ length: 999 }, (_, k) => k + 1);
      expect(found).toEqual({ ...Object.fromEntries(rowsOfX.map((id) => [id, ['row 1000']])), 1000: rowsOfX.map((id) => `row ${id}`) });
    } finally {
      db.close();
    }
  });

  it('duplicateSerialMap turns the text keys back into the table\'s key kind; none is an empty map', () => {
    expect(duplicateSerialMap(undefined, 'integer')).toEqual(new Map());
    const found = { 2: ['row 10'], 10: ['row 2'] };
    expect([...duplicateSerialMap(found, 'integer')]).toEqual([
      [2, ['row 10']],
      [10, ['row 2']],
    ]);
    expect([...duplicateSerialMap({ ab12: ['row cd34'] }, 'text')]).toEqual([['ab12', ['row cd34']]]);
  });

  it('markDuplicateSerials marks only the rows found, with where the others are', () => {
    const page = (): SourceRow[] => [1, 2, 3].map((ref) => ({ ref, orderId: 'ORD-1', order: null, der: x }));
    const marked = page();
    markDuplicateSerials(marked, new Map([[2, ['row 7']]]));
    expect(marked.map((row) => row.duplicateSerialOf)).toEqual([undefined, ['row 7'], undefined]);
    expect(marked.map((row) => 'duplicateSerialOf' in row)).toEqual([false, true, false]);
    const untouched = page();
    markDuplicateSerials(untouched, new Map());
    expect(untouched).toStrictEqual(page());
  });
});
