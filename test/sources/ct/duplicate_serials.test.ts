// RFC 5280 4.1.2.2 in CT scans: two different final certificates of one issuer and serial are two
// appendix rows, each with e_serial_number_duplicate naming where the other was logged; a
// precertificate and its final certificate still share one row; the same certificate logged twice
// is one certificate. The whole log counts, whatever the shard. Real signed certificates, a real
// static-ct tile tree and RFC 6962 get-entries pages.
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { sha256Hex } from '../../../src/decode/certificate.js';
import { createDemoCa, generateKeyPair } from '../../../src/demo/certificate_builder.js';
import { buildDemoCertificate, writeIssuanceDatabase } from '../../../src/demo/demo_db.js';
import { tbsOfCertificate, writeGetEntriesPages, writeStaticCtTree, type LogEntrySpec } from '../../../src/demo/ct_export.js';
import { runScan, type ScanRequest } from '../../../src/scan.js';
import { SCAN_TIME, certificateFor, configFor, order, tempDir } from '../../helpers.js';

const clock = fixedClock(SCAN_TIME);
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });
const DUPLICATE = 'e_serial_number_duplicate';
const MISMATCH = 'e_subject_country_order_mismatch';

describe('duplicate serials in a CT scan', () => {
  const dir = tempDir();
  const db = join(dir, 'issuance.sqlite');
  const tiles = join(dir, 'tiles');
  const pages = join(dir, 'pages');
  const issuerFile = join(dir, 'issuer.pem');
  let entries: LogEntrySpec[] = [];
  let serialA = '';

  beforeAll(() => {
    const now = new Date(SCAN_TIME);
    const ca = createDemoCa(now);
    const mm = order('MM-1', { country: 'MM' });
    const lr = order('LR-1', { country: 'LR' });
    // A: issued C=AD for an order vetted MM (its precertificate and certificate are affected anyway).
    const written = writeIssuanceDatabase(
      db,
      { orders: [mm, lr], certificates: [certificateFor(mm, { country: 'AD' }), certificateFor(lr), certificateFor(lr, { commonName: 'c.example' })] },
      { now, ca, keepIssued: true },
    );
    const [a, b, c] = written.issued as [Buffer, Buffer, Buffer];
    const stored = new Database(db, { readonly: true });
    serialA = stored.prepare('SELECT serial FROM certificates WHERE id = 1').pluck().get() as string;
    stored.close();
    // Another certificate of the same CA with A's serial, issued as its order was vetted.
    const second = buildDemoCertificate(certificateFor(mm, { commonName: 'second.example' }), Buffer.from(serialA, 'hex'), ca.issuing, generateKeyPair());
    const chain = [ca.issuing.certificate, ca.root.certificate];
    const final = (certificate: Buffer, k: number): LogEntrySpec => ({ timestamp: 1_790_000_000_000 + k, certificate, chain });
    const precert = (index: number, k: number): LogEntrySpec => ({
      timestamp: 1_790_000_000_000 + k,
      certificate: written.issuedPrecertificates[index]!,
      precertificate: { tbsWithoutPoison: tbsOfCertificate(written.issued[index]!), issuerCertificate: ca.issuing.certificate },
      chain,
    });
    entries = [
      precert(0, 0), // 0: A's precertificate
      final(a, 1), // 1: A
      final(b, 2), // 2: B
      final(b, 3), // 3: B logged again: one certificate
      final(a, 4), // 4: A logged again
      final(second, 5), // 5: another certificate with A's serial
      precert(2, 6), // 6: C's precertificate
      final(c, 7), // 7: C
    ];
    writeStaticCtTree(tiles, entries, { origin: 'demo.example/log2026' });
    writeGetEntriesPages(pages, entries, 2);
    writeFileSync(issuerFile, `-----BEGIN CERTIFICATE-----\n${ca.issuing.certificate.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`);
  });

  async function scan(path: string, name: string, request: Partial<ScanRequest> = {}) {
    const { summary, outDir } = await runScan({ config: configFor(db), ct: path, issuers: [issuerFile], outDir: join(dir, name), workers: 2, ledgerPath: null, ...request }, { clock });
    return { summary, findings: readCsv(join(outDir, 'findings.csv')), appendix: readCsv(join(outDir, 'ccadb-appendix.csv')) };
  }

  it('both certificates get the finding, naming where the other was logged; two rows; the precertificate shares its certificate\'s row', async () => {
    const { summary, findings, appendix } = await scan(tiles, 'tiles');
    const duplicates = findings.filter((row) => row.check === DUPLICATE);
    expect(duplicates.map((row) => [row.leaf_index, row.serial, row.detail!.replace(/.*: /, '')])).toEqual([
      ['1', serialA, 'demo.example/log2026 leaf 5'],
      ['4', serialA, 'demo.example/log2026 leaf 5'],
      ['5', serialA, 'demo.example/log2026 leaf 1 (also demo.example/log2026 leaf 4)'],
    ]);
    expect(duplicates[2]!.detail).toContain('also used by another certificate');
    expect(appendix.map((row) => [row.leaf_index, row.checks!.split(' ').sort().join(' ')])).toEqual([
      ['0 1 4', [DUPLICATE, MISMATCH].sort().join(' ')],
      ['5', DUPLICATE],
    ]);
    expect(appendix[0]!['Precertificate SHA-256 hash']).toBe(sha256Hex(entries[0]!.certificate));
    expect(appendix[0]!['Certificate SHA-256 hash']).toBe(sha256Hex(entries[1]!.certificate));
    expect(appendix[1]!['Certificate SHA-256 hash']).toBe(sha256Hex(entries[5]!.certificate));
    expect(summary.findingsByCheck[DUPLICATE]).toBe(3);
    // B logged twice and C's precertificate + certificate: nothing to report.
    expect(findings.filter((row) => ['2', '3', '6', '7'].includes(row.leaf_index!))).toEqual([]);
  });

  it('RFC 6962 pages give the same findings and rows', async () => {
    const fromTiles = await scan(tiles, 'tiles-again', { workers: 1 });
    const fromPages = await scan(pages, 'pages');
    const strip = (rows: Record<string, string>[]) => rows.map(({ log_origin: _origin, detail: _detail, ...rest }) => rest);
    expect(strip(fromPages.findings)).toEqual(strip(fromTiles.findings));
    expect(strip(fromPages.appendix)).toEqual(strip(fromTiles.appendix));
  });

  it('--shard 0/2 and 1/2 over four pages: a duplicate in the other shard is still found', async () => {
    const first = await scan(pages, 'shard-0', { shard: { index: 0, count: 2 } });
    const second = await scan(pages, 'shard-1', { shard: { index: 1, count: 2 } });
    const duplicates = (findings: Record<string, string>[]) => findings.filter((row) => row.check === DUPLICATE).map((row) => [row.leaf_index, row.detail!.replace(/.*: /, '')]);
    expect(duplicates(first.findings)).toEqual([['1', 'pages leaf 5']]);
    expect(duplicates(second.findings)).toEqual([
      ['4', 'pages leaf 5'],
      ['5', 'pages leaf 1 (also pages leaf 4)'],
    ]);
  });
});
