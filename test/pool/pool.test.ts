// One certificate never stops a scan: an exception while decoding or checking it stays with it,
// and a worker thread that dies is replaced, its batch redone without the certificate it died on.
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runScan } from '../../src/scan.js';
import { readPageOrdersInThread } from '../../src/pool/pool.js';
import { OperationalError } from '../../src/errors.js';
import { ISSUANCE_SCHEMA, writeDemoDatabase } from '../../src/demo/demo_db.js';
import { FIXTURES, SCAN_TIME, configFor, tempDir } from '../helpers.js';

const clock = fixedClock(SCAN_TIME);
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });
const FAULT = 'CERTSCAN_TEST_WORKER_EXIT_AT_REF';

describe('a certificate that breaks the decoder or a worker', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'issuance.sqlite');

  beforeAll(() => {
    writeDemoDatabase(dbPath, { count: 300, clock });
  });

  afterEach(() => {
    delete process.env[FAULT];
  });

  it('asn1js throwing RangeError on an odd-length BMPString (zlint explicitTextBMPNotNFC.pem) is a finding on that certificate', async () => {
    const folder = join(dir, 'bmp');
    mkdirSync(folder);
    copyFileSync(join(FIXTURES, 'peers/zlint/explicitTextBMPNotNFC.pem'), join(folder, 'a.pem'));
    copyFileSync(join(FIXTURES, 'peers/zlint/country_not_upcase_ko1.pem'), join(folder, 'b.pem'));
    const empty = join(dir, 'empty.sqlite');
    const db = new Database(empty);
    db.exec(ISSUANCE_SCHEMA);
    db.close();
    const { summary, outDir } = await runScan({ config: configFor(empty), pem: folder, outDir: join(dir, 'bmp-out') }, { clock });
    expect(summary.certificatesScanned).toBe(2);
    const findings = readCsv(join(outDir, 'findings.csv'));
    const undecodable = findings.find((row) => row.check === 'e_certificate_undecodable')!;
    expect(undecodable.log_origin).toBe(join(folder, 'a.pem'));
    expect(undecodable.detail).toMatch(/a\.pem PEM block 0 at byte \d+\) \(1179 bytes\): Offset is outside the bounds of the DataView/);
    // The scan went on: the next file's lowercase country is reported.
    expect(findings.some((row) => row.check === 'e_subject_country_not_uppercase' && row.log_origin === join(folder, 'b.pem'))).toBe(true);
  });

  it('a worker that dies is replaced; its batch is redone without the certificate it died on, which gets a finding; the rest is as without the fault', async () => {
    const reference = await runScan({ config: { ...configFor(dbPath), workers: 2, database: { ...configFor(dbPath).database, pageSize: 20 } }, outDir: join(dir, 'reference') }, { clock });
    process.env[FAULT] = '57';
    const faulty = await runScan({ config: { ...configFor(dbPath), workers: 2, database: { ...configFor(dbPath).database, pageSize: 20 } }, outDir: join(dir, 'faulty') }, { clock });
    expect(faulty.summary.workerRestarts).toBe(1);
    expect(faulty.summary.certificatesScanned).toBe(300);
    const died = readCsv(join(faulty.outDir, 'findings.csv')).filter((row) => row.cert_id === '57');
    expect(died.map((row) => [row.check, row.severity])).toEqual([['e_certificate_undecodable', 'fatal']]);
    expect(died[0]!.detail).toMatch(/^row 57 \(\d+ bytes\) could not be inspected: the worker thread died while inspecting it \(exit code 70\); the batch was redone without it$/);
    expect(died[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Everything else is exactly what the scan without the fault found.
    const without57 = (path: string) => readCsv(path).filter((row) => row.cert_id !== '57');
    expect(without57(join(faulty.outDir, 'findings.csv'))).toEqual(without57(join(reference.outDir, 'findings.csv')));
    expect(readCsv(join(faulty.outDir, 'ccadb-appendix.csv')).find((row) => row.cert_id === '57')).toBeDefined();
    expect(reference.summary.workerRestarts).toBe(0);
  });

  it('a worker dying on a file entry: the file is redone without it, and the scan finishes', async () => {
    const folder = join(dir, 'files');
    mkdirSync(folder);
    for (const name of ['country_not_upcase_ko1.pem', 'country_not_upcase_ok1.pem']) copyFileSync(join(FIXTURES, 'peers/zlint', name), join(folder, name));
    writeFileSync(join(folder, 'README.txt'), 'not a certificate file name: not listed');
    process.env[FAULT] = '0';
    const { summary, outDir } = await runScan({ config: { ...configFor(dbPath), workers: 1 }, pem: folder, outDir: join(dir, 'files-out') }, { clock });
    // Each file's only certificate is block 0: each file's batch lost its worker once.
    expect(summary.workerRestarts).toBe(2);
    const fatal = readCsv(join(outDir, 'findings.csv')).filter((row) => row.severity === 'fatal');
    expect(fatal.map((row) => row.log_origin)).toEqual([join(folder, 'country_not_upcase_ko1.pem'), join(folder, 'country_not_upcase_ok1.pem')]);
  });
});

describe('the orders thread (readPageOrdersInThread)', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'issuance.sqlite');

  beforeAll(() => {
    writeDemoDatabase(dbPath, { count: 20, clock });
  });

  it('opens the database on its own thread and answers what ordersForPages answers there (SQLite without --orders: none)', async () => {
    const config = configFor(dbPath);
    await expect(readPageOrdersInThread({ location: dbPath, database: config.database, filter: undefined, snapshot: null })).resolves.toBeNull();
  });

  it('a database the thread cannot open fails the call with the one line an open on this thread gives', async () => {
    const missing = join(dir, 'missing.sqlite');
    const config = configFor(missing);
    const read = readPageOrdersInThread({ location: missing, database: config.database, filter: undefined, snapshot: null });
    await expect(read).rejects.toBeInstanceOf(OperationalError);
    await expect(read).rejects.toThrow(`database not found: ${missing}`);
  });
});
