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
import { sha256Hex } from '../../../src/decode/digest.js';
import { children, readTlv } from '../../../src/decode/der_walk.js';
import { serialHexOf } from '../../../src/decode/serial.js';
import { createDemoCa, generateKeyPair } from '../../../src/demo/certificate_builder.js';
import { buildDemoCertificate, writeIssuanceDatabase } from '../../../src/demo/demo_db.js';
import { tbsOfCertificate, writeGetEntriesPages, writeStaticCtTree, type LogEntrySpec } from '../../../src/demo/ct_export.js';
import { fnv1a } from '../../../src/fnv.js';
import { runScan, type ScanRequest } from '../../../src/scan.js';
import { SERIAL_KEY_FIELDS, collectSerialKeys, ctDuplicatesOf, groupSerialKeys } from '../../../src/sources/ct/duplicate_serials.js';
import type { CtEntry } from '../../../src/sources/ct/entries.js';
import { plainCertificateEntry } from '../../../src/sources/cert_files.js';
import { issuerNameHex } from '../../../src/sources/ct/issuers.js';
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

/** A DER header: tag and definite length. */
function header(tag: number, length: number): Buffer {
  if (length < 0x80) return Buffer.from([tag, length]);
  if (length < 0x100) return Buffer.from([tag, 0x81, length]);
  return Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
}

/** The TBSCertificate's fields after the version (serial, signature, issuer, validity, subject, spki, ...). */
function tbsFieldsOf(certificate: Buffer) {
  const outer = readTlv(certificate, 0, certificate.length)!;
  const tbs = readTlv(certificate, outer.contentStart, outer.end)!;
  return { outer, tbs, fields: children(certificate, tbs).filter((tlv) => tlv.tag !== 0xa0) };
}

/** The certificate with its issuer Name tagged SET instead of SEQUENCE. */
function issuerTaggedSet(certificate: Buffer): Buffer {
  const copy = Buffer.from(certificate);
  copy[tbsFieldsOf(certificate).fields[2]!.start] = 0x31;
  return copy;
}

/** The certificate with its TBSCertificate's length cut to end one byte before its issuer Name does (the outer SEQUENCE still well formed). */
function tbsEndingInsideIssuer(certificate: Buffer): Buffer {
  const { outer, tbs, fields } = tbsFieldsOf(certificate);
  const content = Buffer.concat([header(0x30, fields[2]!.end - 1 - tbs.contentStart), certificate.subarray(tbs.contentStart, outer.end)]);
  return Buffer.concat([header(0x30, content.length), content]);
}

describe('the CT duplicate-serial keys, called directly', () => {
  const now = new Date(SCAN_TIME);
  const ca = createDemoCa(now);
  const anotherCa = createDemoCa(now, 'Another');
  const vetted = order('ORD-1');
  const serial = Buffer.from('3c4d5e6f708192a3b4c5d6e7f8091a2b', 'hex');
  const keyA = generateKeyPair();
  const specA = certificateFor(vetted, { commonName: 'a.example' });
  const a = buildDemoCertificate(specA, serial, ca.issuing, keyA);
  const precertOfA = buildDemoCertificate(specA, serial, ca.issuing, keyA, true);
  const issue = (commonName: string, issuer = ca.issuing, withSerial = serial) => buildDemoCertificate(certificateFor(vetted, { commonName }), withSerial, issuer, generateKeyPair());
  const [second, third] = [issue('second.example'), issue('third.example')];
  const b = issue('b.example', ca.issuing, Buffer.from('0a0b0c0d', 'hex'));
  const ofAnotherCa = issue('other-ca.example', anotherCa.issuing);

  const final = (leafIndex: number, der: Buffer): CtEntry => plainCertificateEntry(der, leafIndex, () => `leaf ${leafIndex}`);
  const precert = (leafIndex: number, certificate: Buffer, preCertificate: Buffer | null): CtEntry => ({ ...final(leafIndex, tbsOfCertificate(certificate)), entryType: 'precert', preCertificate });

  /** The key of an entry as SERIAL_KEY_FIELDS documents it, computed here from the issuer Name and serial another parser finds. */
  function expectedKey(entry: CtEntry): number[] {
    const isTbs = entry.entryType === 'precert';
    const name = Buffer.from(issuerNameHex(entry.der, isTbs)!, 'hex');
    const serialBytes = Buffer.from(serialHexOf(entry.der, isTbs)!, 'hex');
    // A signed certificate is told apart by its last 64 bytes (its signature); a TBSCertificate alone by all of it.
    const signed = isTbs ? entry.preCertificate : entry.der;
    const bytes = signed ?? entry.der;
    const from = signed ? bytes.length - 64 : 0;
    return [
      fnv1a(name, 0, name.length) * 2 + (isTbs ? 1 : 0),
      fnv1a(serialBytes, 0, serialBytes.length),
      fnv1a(serialBytes, 0, serialBytes.length, 0x9e3779b9),
      fnv1a(bytes, from, bytes.length),
      Math.imul(fnv1a(bytes, from, bytes.length, 0x85ebca6b) ^ bytes.length, 0x01000193) >>> 0,
      entry.leafIndex,
    ];
  }
  const keyText = (entry: CtEntry) => expectedKey(entry).slice(0, 3).join(':');
  const fingerprint = (entry: CtEntry) => expectedKey(entry).slice(3, 5).join(':');

  it('collectSerialKeys: six numbers per own entry that decodes (precert bit, serial hashes, fingerprint, leaf index); others left out', () => {
    const brokenIssuer = issuerTaggedSet(a);
    const shortTbs = tbsEndingInsideIssuer(a);
    // Both still have a serial where it belongs: only the issuer Name is wrong.
    expect([serialHexOf(brokenIssuer, false), serialHexOf(shortTbs, false)]).toEqual([serial.toString('hex'), serial.toString('hex')]);
    const entries = [
      precert(100, a, precertOfA),
      final(101, a),
      final(102, Buffer.from('not a certificate')),
      final(103, ofAnotherCa),
      final(104, brokenIssuer),
      final(105, shortTbs),
      precert(106, b, null),
      final(107, b),
    ];
    const keys = collectSerialKeys(entries, (entry) => entry.leafIndex !== 103);
    expect(Array.from(keys)).toEqual([entries[0]!, entries[1]!, entries[6]!, entries[7]!].flatMap(expectedKey));
    expect(keys).toHaveLength(4 * SERIAL_KEY_FIELDS);
    // A precertificate and its certificate: one issuer + serial, told apart by the entry type bit only.
    expect(keys[0]! - keys[6]!).toBe(1);
    expect([keys[1], keys[2]]).toEqual([keys[7], keys[8]]);
    // The other CA's certificate is left out because it is not own: it has a key of its own.
    expect(Array.from(collectSerialKeys([entries[3]!], () => true))).toEqual(expectedKey(entries[3]!));
    expect(collectSerialKeys([], () => true)).toHaveLength(0);
  });

  const logA = [precert(0, a, precertOfA), final(1, a), final(2, b), final(3, b), final(4, a), final(5, second), final(6, ofAnotherCa)];
  const logB = [final(9, a), final(10, third)];
  const parts = () => [
    { keys: collectSerialKeys(logA, () => true), origin: 'log-a' },
    { keys: collectSerialKeys(logB, () => true), origin: 'log-b' },
  ];

  it('groupSerialKeys: only keys of two or more certificates, each certificate once with every place it was logged', () => {
    expect(groupSerialKeys(parts())).toEqual({
      [keyText(final(1, a))]: [
        [fingerprint(final(1, a)), 'log-a leaf 1 (also log-a leaf 4, log-b leaf 9)'],
        [fingerprint(final(5, second)), 'log-a leaf 5'],
        [fingerprint(final(10, third)), 'log-b leaf 10'],
      ],
    });
    // B logged twice is one certificate; nothing repeated at all is nothing.
    expect(groupSerialKeys([{ keys: collectSerialKeys([final(2, b), final(3, b)], () => true), origin: 'log-a' }])).toEqual({});
    expect(groupSerialKeys([])).toEqual({});
  });

  it('groupSerialKeys: keys that agree in the counting number (serial hashes, issuer hash parity) but not in the issuer are no duplicate', () => {
    const keys = collectSerialKeys([final(1, a), final(5, second)], () => true);
    // The second certificate's issuer hash moved by 2: the same first-pass number, another issuer.
    keys[SERIAL_KEY_FIELDS] = keys[SERIAL_KEY_FIELDS]! + 2;
    expect(groupSerialKeys([{ keys, origin: 'log-a' }])).toEqual({});
  });

  it('ctDuplicatesOf: where the other certificates of an entry\'s issuer + serial were logged, never its own places', () => {
    const duplicatesOf = ctDuplicatesOf(groupSerialKeys(parts()));
    expect(duplicatesOf(final(1, a))).toEqual(['log-a leaf 5', 'log-b leaf 10']);
    expect(duplicatesOf(final(5, second))).toEqual(['log-a leaf 1 (also log-a leaf 4, log-b leaf 9)', 'log-b leaf 10']);
    expect(duplicatesOf(final(10, third))).toEqual(['log-a leaf 1 (also log-a leaf 4, log-b leaf 9)', 'log-a leaf 5']);
    // A's precertificate (another entry type), B (logged twice), another CA's certificate with A's serial, and garbage: none.
    for (const entry of [precert(0, a, precertOfA), final(2, b), final(6, ofAnotherCa), final(7, Buffer.from('not a certificate'))]) expect(duplicatesOf(entry)).toBeUndefined();
  });
});
