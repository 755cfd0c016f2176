import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { decodeTbsCertificate } from '../../src/decode/certificate.js';
import { sha256Hex } from '../../src/decode/digest.js';
import { createDemoCa, buildCertificate, generateKeyPair } from '../../src/demo/certificate_builder.js';
import { writeIssuanceDatabase } from '../../src/demo/demo_db.js';
import { tbsOfCertificate, writeGetEntriesPages, writeStaticCtTree, type LogEntrySpec } from '../../src/demo/ct_export.js';
import { OperationalError } from '../../src/errors.js';
import { runScan } from '../../src/scan.js';
import { readRfc6962Page } from '../../src/sources/ct/rfc6962.js';
import { TileBuffers, listDataTiles, parseTilePath, readDataTile, tileIndexPath } from '../../src/sources/ct/static_ct.js';
import { spkiSha256 } from '../../src/sources/ct/issuers.js';
import { ATTRIBUTE } from '../../src/decode/oids.js';
import { FIXTURES, SCAN_TIME, certificateFor, configFor, order, tempDir } from '../helpers.js';
import type { CtEntry } from '../../src/sources/ct/entries.js';

const clock = fixedClock(SCAN_TIME);
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });
const NAVIGLI = join(FIXTURES, 'ct/static-ct/navigli2025h2');

describe('static-ct tiles: the real Sunlight sample (navigli2025h2)', () => {
  const expected = readFileSync(join(FIXTURES, 'ct/static-ct/navigli2025h2.expected.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'));

  it('tile paths in x001/x234/067 form', () => {
    expect(tileIndexPath(0)).toBe('000');
    expect(tileIndexPath(1234067)).toBe('x001/x234/067');
    expect(parseTilePath('x001/x234/067')).toEqual({ index: 1234067, width: 256 });
    expect(parseTilePath('003.p/10')).toEqual({ index: 3, width: 10 });
    expect(parseTilePath('003.p/300')).toBeNull();
  });

  it('reads all 1,024 precert entries with their index, timestamp, serial, subject and issuer key hash; every leaf hash matches tile/0', () => {
    const tiles = listDataTiles(NAVIGLI);
    expect(tiles.map((tile) => [tile.index, tile.width])).toEqual([[0, 256], [1, 256], [2, 256], [3, 256]]); // the full 003 wins over 003.p/10
    let count = 0;
    for (const tile of tiles) {
      const { entries, problems } = readDataTile(tile, NAVIGLI);
      expect(problems).toEqual([]);
      for (const entry of entries) {
        const row = expected[entry.leafIndex]!;
        expect([String(entry.leafIndex), entry.entryType, String(entry.timestamp)]).toEqual(row.slice(0, 3));
        expect(entry.issuerKeyHash!.toString('hex')).toBe(row[8]);
        expect(entry.issuerFingerprint).toBe(row[9]);
        // Decoded with pkijs as a TBSCertificate.
        const decoded = decodeTbsCertificate(entry.der, sha256Hex(entry.preCertificate!), true);
        expect(decoded.serialHex).toBe(row[3]);
        expect(decoded.subject.find((attribute) => attribute.oid === ATTRIBUTE.commonName)?.value ?? '').toBe(row[6]);
        expect(decoded.issuer.find((attribute) => attribute.oid === ATTRIBUTE.commonName)?.value).toBe(row[7]);
        count++;
      }
    }
    expect(count).toBe(1024);
  });

  it('every data tile is paired with its level-0 hash tile: full ones with tile/0/NNN, partial ones with tile/0/NNN.p/W', () => {
    const hashTiles = listDataTiles(NAVIGLI).map((tile) => tile.hashPath && relative(NAVIGLI, tile.hashPath).split(sep).join('/'));
    expect(hashTiles).toEqual(['tile/0/000', 'tile/0/001', 'tile/0/002', 'tile/0/003']);
    const partial = join(tempDir(), 'partial');
    mkdirSync(join(partial, 'tile', 'data', '003.p'), { recursive: true });
    mkdirSync(join(partial, 'tile', '0', '003.p'), { recursive: true });
    copyFileSync(join(NAVIGLI, 'tile/data/003.p/10'), join(partial, 'tile/data/003.p/10'));
    copyFileSync(join(NAVIGLI, 'tile/0/003.p/10'), join(partial, 'tile/0/003.p/10'));
    expect(listDataTiles(partial).map((tile) => [tile.width, tile.hashPath && relative(partial, tile.hashPath).split(sep).join('/')])).toEqual([[10, 'tile/0/003.p/10']]);
  });

  it('a leaf hash altered in a full tile is reported', () => {
    const altered = join(tempDir(), 'navigli-altered');
    cpSync(NAVIGLI, altered, { recursive: true });
    const hashTile = join(altered, 'tile/0/002');
    const hashes = readFileSync(hashTile);
    hashes[17 * 32 + 5]! ^= 0x01;
    writeFileSync(hashTile, hashes);
    const tile = listDataTiles(altered).find((candidate) => candidate.index === 2)!;
    expect(tile.width).toBe(256);
    const { entries, problems } = readDataTile(tile, altered);
    expect(entries).toHaveLength(256);
    expect(problems).toEqual([{ file: 'tile/data/002', at: expect.stringContaining('(entry 17)'), message: expect.stringContaining(`leaf hash of log index ${2 * 256 + 17} does not match tile/0`) }]);
  });

  it('reads the same entries through reused tile buffers (as the workers do), tile after tile', () => {
    const buffers = new TileBuffers();
    for (const tile of listDataTiles(NAVIGLI)) {
      const plain = readDataTile(tile, NAVIGLI);
      const reused = readDataTile(tile, NAVIGLI, buffers);
      expect(reused.problems).toEqual([]);
      // The reused buffers hold this tile until the next read: compare what the entries say now.
      const comparable = (entry: CtEntry) => ({
        ...entry,
        der: sha256Hex(entry.der),
        preCertificate: entry.preCertificate && sha256Hex(entry.preCertificate),
        issuerKeyHash: entry.issuerKeyHash?.toString('hex'),
        location: entry.location(),
      });
      expect(reused.entries.map(comparable)).toEqual(plain.entries.map(comparable));
    }
  });

  it('a partial tile is a prefix of the full one', () => {
    const partial = readDataTile({ index: 3, width: 10, dataPath: join(NAVIGLI, 'tile/data/003.p/10'), hashPath: join(NAVIGLI, 'tile/0/003.p/10') }, NAVIGLI);
    expect(partial.problems).toEqual([]);
    expect(partial.entries.map((entry) => entry.leafIndex)).toEqual([768, 769, 770, 771, 772, 773, 774, 775, 776, 777]);
  });

  it('a scan counts entries of other issuers and reports own ones unknown to the database, with their log index', async () => {
    const dir = tempDir();
    const db = join(dir, 'empty.sqlite');
    writeIssuanceDatabase(db, { orders: [], certificates: [] }, { now: new Date(SCAN_TIME) });
    // R10 (54588456...) is "our" issuer here: 65 entries are ours, the rest belong to other issuers.
    const r10 = join(NAVIGLI, 'issuer/54588456f084df53d35714fb90760edaf1d222500858b4c07d3a4d91308dec42');
    const { summary, outDir } = await runScan({ config: configFor(db), ct: NAVIGLI, issuers: [r10], outDir: join(dir, 'out'), workers: 2 }, { clock });
    expect(summary.logEntries).toEqual({ read: 1024, ownIssuers: 65, otherIssuers: 959, issuerFilter: true, otherObjects: 0 });
    expect(summary.findingsByCheck).toEqual({ e_ct_unknown_issuance: 65 });
    const appendix = readCsv(join(outDir, 'ccadb-appendix.csv'));
    expect(appendix).toHaveLength(65);
    const r10Rows = expected.filter((row) => row[7] === '(STAGING) Counterfeit Cashew R10');
    expect(appendix.map((row) => row.leaf_index)).toEqual(r10Rows.map((row) => row[0]));
    expect(appendix.map((row) => row['Serial # (hex)'])).toEqual(r10Rows.map((row) => row[3]));
    expect(appendix.every((row) => row['Precertificate SHA-256 hash']?.length === 64 && row['Certificate SHA-256 hash'] === '')).toBe(true);
    expect(new Set(appendix.map((row) => row.log_origin))).toEqual(new Set(['navigli2025h2']));
  });
});

describe('archival tiles and RFC 6962 get-entries pages (the 2013 ct-go entries)', () => {
  it('reads the archival x509 leaves (no leaf index extension) and the same entries from JSON', () => {
    const root = join(FIXTURES, 'ct/static-ct/ctgo-scanner-2013-archival-derived');
    const [tile] = listDataTiles(root);
    const fromTiles = readDataTile(tile!, root);
    expect(fromTiles.problems).toEqual([]);
    const dir = tempDir();
    copyFileSync(join(FIXTURES, 'ct/rfc6962/ctgo-scanner-2013-four-x509.get-entries.json'), join(dir, '0-3.json'));
    const fromJson = readRfc6962Page(join(dir, '0-3.json'));
    expect(fromJson.problems).toEqual([]);
    expect(fromJson.entries.map((entry) => [entry.leafIndex, entry.entryType, Buffer.from(entry.der).toString('hex')])).toEqual(
      fromTiles.entries.map((entry) => [entry.leafIndex, entry.entryType, Buffer.from(entry.der).toString('hex')]),
    );
    // The same issuer, by fingerprint (tiles) or by DER (JSON).
    expect(sha256Hex(fromJson.entries[1]!.chainCertificates[0]!)).toBe(fromTiles.entries[1]!.issuerFingerprint);
  });

  it('a "start" wrapper gives the first index; a page without one is a problem, not a guess', () => {
    const dir = tempDir();
    const page = JSON.parse(readFileSync(join(FIXTURES, 'ct/rfc6962/test-cas-precert-and-x509.get-entries.json'), 'utf8'));
    writeFileSync(join(dir, 'page.json'), JSON.stringify({ start: 4096, ...page }));
    const read = readRfc6962Page(join(dir, 'page.json'));
    expect(read.entries.map((entry) => [entry.leafIndex, entry.entryType])).toEqual([[4096, 'precert'], [4097, 'x509']]);
    expect(readRfc6962Page(join(FIXTURES, 'ct/rfc6962/test-cas-precert-and-x509.get-entries.json')).problems[0]!.message).toMatch(/no first log index/);
  });

  it('bad input is one problem naming the entry, and the rest of the page is read', () => {
    const dir = tempDir();
    const good = JSON.parse(readFileSync(join(FIXTURES, 'ct/rfc6962/ctgo-scanner-2013-four-x509.get-entries.json'), 'utf8')).entries;
    const proof = JSON.parse(readFileSync(join(FIXTURES, 'ct/rfc6962/fake-ca.get-entry-and-proof.json'), 'utf8'));
    const unknownType = Buffer.from(good[2].leaf_input, 'base64');
    unknownType.writeUInt16BE(7, 10);
    const trailing = Buffer.concat([Buffer.from(good[3].leaf_input, 'base64'), Buffer.from([0])]);
    const entries = [
      good[0],
      { leaf_input: 'not*base64', extra_data: good[1].extra_data },
      { leaf_input: unknownType.toString('base64'), extra_data: good[2].extra_data },
      { leaf_input: trailing.toString('base64'), extra_data: good[3].extra_data },
      { leaf_input: proof.leaf_input, extra_data: proof.extra_data }, // extra_data is the text "Extra\n"
      good[1],
    ];
    writeFileSync(join(dir, '10-15.json'), JSON.stringify({ entries }));
    const read = readRfc6962Page(join(dir, '10-15.json'));
    expect(read.entries.map((entry) => entry.leafIndex)).toEqual([10, 15]);
    expect(read.problems.map((problem) => [problem.at, problem.message.replace(/:.*/, '')])).toEqual([
      ['entry 1 (log index 11)', 'leaf_input is not valid base64'],
      ['entry 2 (log index 12)', 'unknown entry type 7'],
      ['entry 3 (log index 13)', '1 trailing bytes after the MerkleTreeLeaf'],
      ['entry 4 (log index 14)', 'extra_data offset 3'],
    ]);
    expect(read.problems[2]!.message).toContain('1 trailing bytes');
  });
});

describe('a CT export of the demo CA: pairing, unknown issuance, other issuers, damaged input', () => {
  const dir = tempDir();
  const db = join(dir, 'issuance.sqlite');
  const tiles = join(dir, 'tiles');
  const pages = join(dir, 'pages');
  const issuerFile = join(dir, 'issuer.pem');
  let entries: LogEntrySpec[] = [];

  beforeAll(() => {
    const now = new Date(SCAN_TIME);
    const ca = createDemoCa(now);
    const other = createDemoCa(now, 'Some Other');
    const mm = order('MM-1', { country: 'MM' });
    const lr = order('LR-1', { country: 'LR' });
    const written = writeIssuanceDatabase(
      db,
      { orders: [mm, lr], certificates: [certificateFor(mm), certificateFor(mm, { country: 'AD' }), certificateFor(lr)] },
      { now, ca, keepIssued: true },
    );
    // Issued by our CA, but not in the database: what the CA must explain.
    const stray = buildCertificate(
      { serial: Buffer.from('7e57ab1e', 'hex'), subject: [{ oid: ATTRIBUTE.countryName, value: 'LR', type: 'PrintableString' }, { oid: ATTRIBUTE.commonName, value: 'stray.example' }], notBefore: new Date('2026-11-01T00:00:00Z'), notAfter: new Date('2027-01-30T00:00:00Z'), subjectPublicKeyInfo: generateKeyPair().spki },
      ca.issuing,
    );
    const foreign = buildCertificate(
      { serial: Buffer.from([9, 9]), subject: [{ oid: ATTRIBUTE.countryName, value: 'ZZ', type: 'PrintableString' }], notBefore: new Date('2026-11-01T00:00:00Z'), notAfter: new Date('2027-01-30T00:00:00Z'), subjectPublicKeyInfo: generateKeyPair().spki },
      other.issuing,
    );
    const chain = [ca.issuing.certificate, ca.root.certificate];
    const precert = (index: number): LogEntrySpec => ({
      timestamp: 1_790_000_000_000 + index,
      certificate: written.issuedPrecertificates[index]!,
      precertificate: { tbsWithoutPoison: tbsOfCertificate(written.issued[index]!), issuerCertificate: ca.issuing.certificate },
      chain,
    });
    const final = (index: number): LogEntrySpec => ({ timestamp: 1_790_000_100_000 + index, certificate: written.issued[index]!, chain });
    entries = [
      precert(0), // 0
      final(0), // 1
      precert(1), // 2: C=AD where MM was vetted
      final(1), // 3: its final certificate
      final(2), // 4
      { timestamp: 1_790_000_200_000, certificate: stray, chain }, // 5: unknown issuance
      { timestamp: 1_790_000_300_000, certificate: foreign, chain: [other.issuing.certificate] }, // 6: another CA's
    ];
    writeStaticCtTree(tiles, entries, { origin: 'demo.example/log2026' });
    writeGetEntriesPages(pages, entries, 4);
    writeFileSync(issuerFile, `-----BEGIN CERTIFICATE-----\n${ca.issuing.certificate.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`);
  });

  async function scanCt(path: string, out: string, workers = 2) {
    return runScan({ config: configFor(db), ct: path, issuers: [issuerFile], outDir: join(dir, out), workers }, { clock });
  }

  it('pairs a precertificate with its certificate as one affected certificate with both hashes', async () => {
    const { summary, outDir } = await scanCt(tiles, 'tiles-out');
    expect(summary.source).toMatchObject({ kind: 'static-ct', input: { origin: 'demo.example/log2026', treeSize: 7 } });
    expect(summary.logEntries).toEqual({ read: 7, ownIssuers: 6, otherIssuers: 1, issuerFilter: true, otherObjects: 0 });
    expect(summary.inputProblems).toBe(0);
    const appendix = readCsv(join(outDir, 'ccadb-appendix.csv'));
    expect(appendix.map((row) => [row.cert_id, row.checks, row.leaf_index])).toEqual([
      ['2', 'e_subject_country_order_mismatch', '2 3'],
      ['', 'e_ct_unknown_issuance', '5'],
    ]);
    expect(appendix[0]!['Precertificate SHA-256 hash']).toBe(sha256Hex(entries[2]!.certificate));
    expect(appendix[0]!['Certificate SHA-256 hash']).toBe(sha256Hex(entries[3]!.certificate));
    expect(appendix[1]!['Serial # (hex)']).toBe('7e57ab1e');
    expect(appendix[0]!.log_origin).toBe('demo.example/log2026');
    const findings = readCsv(join(outDir, 'findings.csv'));
    expect(findings.map((row) => [row.check, row.leaf_index, row.entry_type])).toEqual([
      ['e_subject_country_order_mismatch', '2', 'precert'],
      ['e_subject_country_order_mismatch', '3', 'x509'],
      ['e_ct_unknown_issuance', '5', 'x509'],
    ]);
    expect(summary.affectedCertificates).toBe(2);
    const markdown = readFileSync(join(outDir, 'summary.md'), 'utf8');
    expect(markdown).toContain("Scanned: 6 entries of the CA's own issuers (1 of other issuers skipped), of 7 entries read from the CT export of `demo.example/log2026`");
    expect(markdown).toMatch(/Entries were read from 1 data tiles under `.*tiles`, checkpoint tree size 7, root hash `[A-Za-z0-9+/]+=*`/);
  });

  it('the same entries as RFC 6962 pages give the same appendix; so do gzip-compressed tiles', async () => {
    const fromTiles = readCsv(join(dir, 'tiles-out', 'ccadb-appendix.csv'));
    const strip = (rows: Record<string, string>[]) => rows.map(({ log_origin: _origin, ...rest }) => rest);
    const fromPages = await scanCt(pages, 'pages-out', 1);
    expect(strip(readCsv(join(fromPages.outDir, 'ccadb-appendix.csv')))).toEqual(strip(fromTiles));

    const gzipped = join(dir, 'tiles-gz');
    writeStaticCtTree(gzipped, entries, { origin: 'demo.example/log2026', gzip: true });
    expect(readFileSync(join(gzipped, 'tile/data/000.p/7'))[0]).toBe(0x1f);
    expect(gunzipSync(readFileSync(join(gzipped, 'tile/data/000.p/7'))).length).toBeGreaterThan(1000);
    const fromGzip = await scanCt(gzipped, 'gz-out');
    expect(readCsv(join(fromGzip.outDir, 'ccadb-appendix.csv'))).toEqual(fromTiles);
  });

  it('a leaf hash that does not match tile/0 is reported, not ignored', async () => {
    const altered = join(dir, 'tiles-altered');
    cpSync(tiles, altered, { recursive: true });
    const hashTile = join(altered, 'tile/0/000.p/7');
    const hashes = readFileSync(hashTile);
    hashes[4 * 32]! ^= 0xff;
    writeFileSync(hashTile, hashes);
    const { summary, outDir } = await scanCt(altered, 'altered-out');
    expect(summary.inputProblems).toBe(1);
    const problems = readCsv(join(outDir, 'input-errors.csv'));
    // column and value are for database values: empty for a file.
    expect(problems).toEqual([{ file: 'tile/data/000.p/7', at: expect.stringContaining('(entry 4)'), column: '', value: '', problem: expect.stringContaining('leaf hash of log index 4 does not match tile/0') }]);
  });

  it('a truncated tile: the entries before the fault are scanned, the fault is named with its offset', async () => {
    const truncated = join(dir, 'tiles-truncated');
    cpSync(tiles, truncated, { recursive: true });
    const dataTile = join(truncated, 'tile/data/000.p/7');
    const bytes = readFileSync(dataTile);
    writeFileSync(dataTile, bytes.subarray(0, bytes.length - 40));
    const { summary, outDir } = await scanCt(truncated, 'truncated-out');
    expect(summary.logEntries!.read).toBe(6);
    const [problem] = readCsv(join(outDir, 'input-errors.csv'));
    expect(problem!.at).toMatch(/^offset \d+/);
    expect(problem!.problem).toMatch(/truncated: .* the rest of the tile is skipped/);
  });

  it('a missing issuer file is one clear operational error', async () => {
    await expect(
      runScan({ config: configFor(db), ct: tiles, issuers: [join(dir, 'nope.pem')], outDir: join(dir, 'x') }, { clock }),
    ).rejects.toThrow(new OperationalError(`issuer file ${join(dir, 'nope.pem')}: ENOENT`));
  });

  it('PEM files: the same certificates from files, own issuer by name', async () => {
    const pemDir = join(dir, 'pem');
    mkdirSync(pemDir);
    entries.forEach((entry, index) => {
      if (!entry.precertificate) writeFileSync(join(pemDir, `cert-${index}.pem`), `Certificate:\n  (text an openssl dump would put here)\n-----BEGIN CERTIFICATE-----\n${entry.certificate.toString('base64')}\n-----END CERTIFICATE-----\n`);
    });
    writeFileSync(join(pemDir, 'cert-9.der'), entries[5]!.certificate);
    const { summary, outDir } = await runScan({ config: configFor(db), pem: pemDir, issuers: [issuerFile], outDir: join(dir, 'pem-out') }, { clock });
    expect(readdirSync(pemDir)).toHaveLength(6);
    expect(summary.logEntries).toEqual({ read: 6, ownIssuers: 5, otherIssuers: 1, issuerFilter: true, otherObjects: 0 });
    const appendix = readCsv(join(outDir, 'ccadb-appendix.csv'));
    expect(appendix.map((row) => [row.cert_id, row.checks])).toEqual([
      ['2', 'e_subject_country_order_mismatch'],
      ['', 'e_ct_unknown_issuance'],
    ]);
    expect(spkiSha256(entries[0]!.chain[0]!)).toMatch(/^[0-9a-f]{64}$/);
  });
});
