import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AffectedCertificate } from '../../src/inspect.js';
import type { DecodedCertificate } from '../../src/decode/types.js';
import { CtPairing } from '../../src/reports/ct_pairing.js';
import { tempDir } from '../helpers.js';

/**
 * An affected log entry as the workers report it. Pairing reads only whether the entry decoded and
 * whether it is a precertificate, so the decoded certificate carries just that. (An entry that did
 * not decode has no certificate hash to pair.)
 */
function entry(leafIndex: number, serial: string, entryType: 'x509' | 'precert', check = 'e_subject_country_order_mismatch'): AffectedCertificate {
  return {
    row: { ref: 7, orderId: 'MM-1', order: null, serial, issuedAt: null, revokedAt: null, revocationReason: null },
    certificate: { isPrecertificate: entryType === 'precert', serialHex: serial } as unknown as DecodedCertificate,
    sha256: `${entryType}-${leafIndex}`,
    findings: [{ check, severity: 'error', detail: 'd', citation: 'c' }],
    ct: { origin: 'log.example', leafIndex, entryType, timestamp: leafIndex, issuerKeyHash: 'ab' },
  };
}

const all = (pairing: CtPairing) => [...pairing.inLogOrder()].flat();

describe('CtPairing (a scratch file, not memory)', () => {
  it('pairs a precertificate with its certificate and lists records in log order, a chunk at a time', () => {
    const path = join(tempDir(), 'pairs.sqlite');
    const pairing = new CtPairing(path, false);
    pairing.add([entry(5, '0a', 'x509'), entry(0, '0b', 'precert'), entry(2, '00a', 'precert', 'w_subject_country_placeholder')]);
    const records = all(pairing);
    expect(records.map((record) => [record.leafIndexes, record.precertificateSha256, record.certificateSha256, record.checks])).toEqual([
      [[0], 'precert-0', '', ['e_subject_country_order_mismatch']],
      [[5, 2], 'precert-2', 'x509-5', ['e_subject_country_order_mismatch', 'w_subject_country_placeholder']],
    ]);
    expect(records[1]!.item.findings).toHaveLength(2);
    // The final certificate describes the pair, though its precertificate came after it.
    expect([records[1]!.item.sha256, records[1]!.item.ct!.entryType]).toEqual(['x509-5', 'x509']);
    // A waiting record keeps each finding's check and severity, not its detail or citation.
    expect(records[1]!.item.findings).toEqual([
      { check: 'e_subject_country_order_mismatch', severity: 'error', detail: '', citation: '' },
      { check: 'w_subject_country_placeholder', severity: 'error', detail: '', citation: '' },
    ]);
    pairing.add(Array.from({ length: 2500 }, (_, index) => entry(100 + index, (0x1000 + index).toString(16), 'x509')));
    expect([...pairing.inLogOrder()].map((chunk) => chunk.length)).toEqual([1000, 1000, 502]);
    pairing.close(false);
    expect(existsSync(path)).toBe(false);
  });

  it('a resumed audit sees what was checkpointed, loses what was not, and adds a re-read entry only once', () => {
    const path = join(tempDir(), 'pairs.sqlite');
    const first = new CtPairing(path, false);
    first.add([entry(0, '0b', 'precert')]);
    first.checkpoint();
    first.add([entry(3, '0b', 'x509')]); // after the checkpoint: gone with the crash
    first.close(true);

    const resumed = new CtPairing(path, true);
    expect(all(resumed).map((record) => record.leafIndexes)).toEqual([[0]]);
    // The batches after the checkpoint are read again, the one before it too.
    resumed.add([entry(0, '0b', 'precert'), entry(3, '0b', 'x509')]);
    resumed.checkpoint();
    resumed.add([entry(3, '0b', 'x509')]);
    const [record] = all(resumed);
    expect(record!.leafIndexes).toEqual([0, 3]);
    expect(record!.item.findings).toHaveLength(2);
    expect([record!.precertificateSha256, record!.certificateSha256]).toEqual(['precert-0', 'x509-3']);
    // The certificate, seen after its precertificate, describes the pair; a check both had is listed once.
    expect([record!.item.sha256, record!.checks]).toEqual(['x509-3', ['e_subject_country_order_mismatch']]);
    resumed.close(false);

    // Without resume, a stale file (kept for a resume that did not come) is not reused.
    const kept = new CtPairing(path, false);
    kept.add([entry(0, '0b', 'precert')]);
    kept.checkpoint();
    kept.close(true);
    expect(existsSync(path)).toBe(true);
    const fresh = new CtPairing(path, false);
    expect(all(fresh)).toEqual([]);
    fresh.close(false);
  });

  it('records are in order of their first leaf index, and a resumed audit adds records without replacing any', () => {
    const path = join(tempDir(), 'pairs.sqlite');
    const first = new CtPairing(path, false);
    // Certificate 0a at leaf 5 and its precertificate at leaf 2; certificate 0b at leaf 3.
    first.add([entry(5, '0a', 'x509'), entry(3, '0b', 'x509'), entry(2, '0a', 'precert')]);
    expect(all(first).map((record) => record.leafIndexes)).toEqual([[5, 2], [3]]);
    first.checkpoint();
    first.close(true);

    const resumed = new CtPairing(path, true);
    resumed.add([entry(7, '0c', 'x509'), entry(8, '0d', 'x509'), entry(9, '0e', 'x509')]);
    expect(all(resumed).map((record) => record.certificateSha256)).toEqual(['x509-5', 'x509-3', 'x509-7', 'x509-8', 'x509-9']);
    resumed.close(false);
  });

  it('a second, different certificate or precertificate with the same issuer and serial gets a record of its own', () => {
    const pairing = new CtPairing(join(tempDir(), 'pairs.sqlite'), false);
    pairing.add([entry(1, '0a', 'x509'), entry(2, '0a', 'x509'), entry(3, '0a', 'precert'), entry(4, '0a', 'precert')]);
    // The first precertificate pairs with the first record; the second finds its slot there taken.
    expect(all(pairing).map((record) => [record.leafIndexes, record.precertificateSha256, record.certificateSha256])).toEqual([
      [[1, 3], 'precert-3', 'x509-1'],
      [[2], '', 'x509-2'],
      [[4], 'precert-4', ''],
    ]);
    pairing.close(false);
  });

  it('the same certificate logged twice (two leaves, or two logs) is one record; entries of other issuers or other logs are their own', () => {
    const pairing = new CtPairing(join(tempDir(), 'pairs.sqlite'), false);
    const again = (leafIndex: number, of: AffectedCertificate, origin = 'log.example'): AffectedCertificate => ({ ...of, ct: { ...of.ct!, leafIndex, origin } });
    const certificate = entry(1, '0a', 'x509');
    const precertificate = entry(2, '0a', 'precert');
    pairing.add([certificate, precertificate, again(8, certificate), again(9, precertificate)]);
    // Leaf 1 of another log is another entry, of the same certificate.
    pairing.add([again(1, certificate, 'other-log.example')]);
    // The same serial under another issuer key is another certificate, and never pairs with this one.
    pairing.add([{ ...entry(3, '0a', 'x509'), sha256: 'other-issuer', ct: { ...entry(3, '0a', 'x509').ct!, issuerKeyHash: 'ef' } }]);
    pairing.add([{ ...entry(4, '0c', 'precert'), ct: { ...entry(4, '0c', 'precert').ct!, issuerKeyHash: 'ef' } }, entry(5, '0c', 'x509')]);
    expect(all(pairing).map((record) => [record.leafIndexes, record.precertificateSha256, record.certificateSha256])).toEqual([
      [[1, 2, 8, 9, 1], 'precert-2', 'x509-1'],
      [[3], '', 'other-issuer'],
      [[4], 'precert-4', ''],
      [[5], '', 'x509-5'],
    ]);
    pairing.close(false);
  });

  it("addPartners (nightly look-back): a precertificate reported before completes its certificate's record, never makes one, and adds no checks", () => {
    const pairing = new CtPairing(join(tempDir(), 'pairs.sqlite'), false);
    pairing.add([entry(4, '0a', 'x509')]);
    // Precertificate 0a was reported last night (its findings); 0c's certificate was not affected tonight.
    pairing.addPartners([entry(1, '0a', 'precert', 'w_subject_country_placeholder'), entry(2, '0c', 'precert')]);
    pairing.addPartners([entry(1, '0a', 'precert')]); // read twice: no change
    expect(all(pairing).map((record) => [record.precertificateSha256, record.certificateSha256, record.checks, record.item.findings.length, record.leafIndexes])).toEqual([
      ['precert-1', 'x509-4', ['e_subject_country_order_mismatch'], 1, [4, 1]],
    ]);
    // Another precertificate with the same serial is not this certificate's: it completes nothing.
    pairing.addPartners([entry(9, '0a', 'precert')]);
    expect(all(pairing).map((record) => record.precertificateSha256)).toEqual(['precert-1']);
    pairing.close(false);
  });

  it('chunks: none for no records, no empty chunk after a full one; closing twice is harmless', () => {
    const path = join(tempDir(), 'pairs.sqlite');
    const pairing = new CtPairing(path, false);
    expect([...pairing.inLogOrder()]).toEqual([]);
    pairing.add([entry(1, '01', 'x509'), entry(2, '02', 'x509')]);
    expect([...pairing.inLogOrder(2)].map((chunk) => chunk.length)).toEqual([2]);
    // A scan that fails after closing the pairing closes it again on the way out.
    pairing.close(false);
    pairing.close(false);
    expect(existsSync(path)).toBe(false);
  });
});

describe('CtPairing of database rows', () => {
  /** A row of the certificates table, or of the precertificates table (its ids overlap the certificates'). */
  const row = (ref: number, serial: string, precertificateRow: boolean): AffectedCertificate => ({
    row: { ref, orderId: 'MM-1', order: null, serial, issuedAt: null, revokedAt: null, revocationReason: null, ...(precertificateRow ? { precertificateRow: true as const } : {}) },
    certificate: { isPrecertificate: precertificateRow, serialHex: serial } as unknown as DecodedCertificate,
    sha256: `${precertificateRow ? 'precert' : 'cert'}-${ref}`,
    findings: [{ check: 'e_subject_country_order_mismatch', severity: 'error', detail: 'd', citation: 'c' }],
  });

  it('a precertificates-table row is not taken for the certificate row of the same id, and a row read twice counts once', () => {
    const pairing = new CtPairing(join(tempDir(), 'rows.sqlite'), false);
    pairing.add([row(5, '0a', false), row(5, '0b', true), row(5, '0a', false)]);
    expect(all(pairing).map((record) => [record.precertificateSha256, record.certificateSha256])).toEqual([
      ['', 'cert-5'],
      ['precert-5', ''],
    ]);
  });
});
