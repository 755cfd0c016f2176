// Every column of ccadb-appendix.csv, by value: a swapped or misfilled column fails here.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { AffectedCertificate } from '../../src/inspect.js';
import { CCADB_COLUMNS, CERTSCAN_APPENDIX_COLUMNS, appendixHeader, appendixRows, crtshLines, recordOf } from '../../src/reports/ccadb_appendix.js';
import { NO_ROW } from '../../src/sources/types.js';
import { buildCertificate, generateKeyPair } from '../../src/demo/certificate_builder.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { EMPTY_INPUT_SHA256 } from '../../src/reports/affected_counts.js';
import { affected, ca, certificate, mm, scanTime } from './affected_fixture.js';
import { subjectFor } from '../../src/demo/demo_db.js';
import { certificateFor } from '../helpers.js';

const rowsOf = (items: AffectedCertificate[], discoveredAt: Date | null = null): Record<string, string>[] =>
  parse(appendixHeader() + appendixRows(items.map(recordOf), scanTime, discoveredAt), { columns: true });

describe('ccadb-appendix.csv', () => {
  it('the CCADB columns in their order, then certscan\'s own', () => {
    expect(parse(appendixHeader())).toEqual([[...CCADB_COLUMNS, ...CERTSCAN_APPENDIX_COLUMNS]]);
    expect(CCADB_COLUMNS.slice(2, 6)).toEqual(['Subject', 'Issuer', 'Not before', 'Not after']);
  });

  it('fills each column of a certificate from the right field', () => {
    expect(certificate.notBefore).not.toBe(certificate.notAfter);
    expect(rowsOf([affected()])).toEqual([
      {
        'Precertificate SHA-256 hash': '',
        'Certificate SHA-256 hash': certificate.sha256,
        Subject: 'C=AD, ST=Yangon Region, L=Yangon, O=Myanma Demo Bank, CN=bank.example',
        Issuer: 'C=XX, O=Appendix Test CA, CN=Appendix Test Issuing CA 1',
        'Not before': '2026-10-01T08:30:00Z',
        'Not after': '2026-12-30T08:29:59Z',
        'Serial # (hex)': '0a1b2c',
        dNSNames: 'bank.example',
        'Is revoked?': 'Planned',
        'Revocation date': '2026-12-01T12:00:00Z',
        'Revocation reason': '',
        cert_id: '42',
        order_id: 'ORD-MM',
        checks: 'e_subject_country_order_mismatch w_subject_country_placeholder',
        revocation_deadline: '2026-12-01T12:00:00Z',
        revocation_status: 'due',
        log_origin: '',
        leaf_index: '',
        class: 'still-valid',
        validation_type: 'OV',
        stored_der_sha256: '',
      },
    ]);
  });

  it('a revoked certificate names its revocation and has no deadline', () => {
    const [row] = rowsOf([affected({}, { revokedAt: '2026-10-05T00:00:00.000Z', revocationReason: 4 })], new Date('2026-11-01T00:00:00Z'));
    expect([row!['Is revoked?'], row!['Revocation date'], row!['Revocation reason'], row!.revocation_deadline, row!.revocation_status]).toEqual([
      'Yes',
      '2026-10-05T00:00:00Z',
      'superseded',
      '',
      'revoked',
    ]);
  });

  it('a precertificate log entry: its hash in the first column, log and leaf index in the last', () => {
    const precert = affected({ sha256: 'ab'.repeat(32), ct: { origin: 'log.example/2026', leafIndex: 7, entryType: 'precert', timestamp: 1, issuerKeyHash: 'cd' } }, { ref: NO_ROW, orderId: null });
    const [row] = rowsOf([precert]);
    expect([row!['Precertificate SHA-256 hash'], row!['Certificate SHA-256 hash'], row!.cert_id, row!.order_id, row!.log_origin, row!.leaf_index]).toEqual([
      'ab'.repeat(32),
      '',
      '',
      '',
      'log.example/2026',
      '7',
    ]);
    expect(crtshLines([recordOf(precert), recordOf(affected())])).toBe(`https://crt.sh/?sha256=${'ab'.repeat(32)}\nhttps://crt.sh/?sha256=${certificate.sha256}\n`);
  });

  it('a row whose DER did not decode keeps the row\'s serial, leaves the certificate columns empty and puts the stored bytes\' hash in its own column', () => {
    const [row] = rowsOf([affected({ certificate: null, sha256: 'ef'.repeat(32), findings: [{ check: 'e_certificate_undecodable', severity: 'error', detail: 'd', citation: 'c' }] })]);
    expect([row!.Subject, row!.Issuer, row!['Not before'], row!['Not after'], row!['Serial # (hex)'], row!.dNSNames, row!['Certificate SHA-256 hash'], row!.stored_der_sha256, row!.class]).toEqual(['', '', '', '', '0a1b2c', '', '', 'ef'.repeat(32), 'undecodable']);
  });

  it('no records, no bytes', () => {
    expect(appendixRows([], scanTime, null)).toBe('');
    expect(crtshLines([])).toBe('');
  });

  it('"Is revoked?" and "Revocation date" for every status: Delayed with its passed deadline, N/A when expired or for review', () => {
    const expired = decodeCertificate(
      buildCertificate({ serial: Buffer.from([0x51]), subject: subjectFor(certificateFor(mm)), notBefore: new Date('2019-06-01T00:00:00Z'), notAfter: new Date('2020-06-01T00:00:00Z'), subjectPublicKeyInfo: generateKeyPair().spki }, ca.issuing),
    );
    const rows = rowsOf(
      [affected(), affected({ certificate: expired, sha256: expired.sha256 }), affected({ findings: [{ check: 'w_subject_country_placeholder', severity: 'warn', detail: 'd', citation: 'c' }] })],
      new Date('2026-11-01T00:00:00Z'),
    );
    expect(rows.map((row) => [row['Is revoked?'], row['Revocation date'], row.revocation_status, row.revocation_deadline, row.class])).toEqual([
      ['Delayed', '2026-11-06T00:00:00Z', 'overdue', '2026-11-06T00:00:00Z', 'still-valid'],
      ['N/A', 'N/A', 'expired', '', 'expired'],
      ['N/A', 'N/A', 'review', '', 'still-valid'],
    ]);
  });

  it('several DNS names and several leaf indexes are separated by spaces', () => {
    const spec = certificateFor(mm);
    const twoNames = decodeCertificate(
      buildCertificate({ serial: Buffer.from([0x52]), subject: subjectFor(spec), notBefore: spec.notBefore, notAfter: new Date('2026-12-30T00:00:00Z'), dnsNames: ['a.example', 'b.example'], subjectPublicKeyInfo: generateKeyPair().spki }, ca.issuing),
    );
    const record = { ...recordOf(affected({ certificate: twoNames, sha256: twoNames.sha256 })), leafIndexes: [2, 5] };
    const [row] = parse(appendixHeader() + appendixRows([record], scanTime, null), { columns: true }) as Record<string, string>[];
    expect([row!.dNSNames, row!.leaf_index]).toEqual(['a.example b.example', '2 5']);
  });

  it('an undecodable row whose stored DER was empty: no stored hash (the SHA-256 of nothing is no certificate), and no crt.sh line', () => {
    const empty = affected({ certificate: null, sha256: EMPTY_INPUT_SHA256, findings: [{ check: 'e_certificate_undecodable', severity: 'error', detail: 'd', citation: 'c' }] });
    const [row] = rowsOf([empty]);
    expect([row!.stored_der_sha256, row!['Certificate SHA-256 hash'], row!['Precertificate SHA-256 hash']]).toEqual(['', '', '']);
    expect(crtshLines([recordOf(empty), recordOf(affected({ certificate: null, sha256: 'ef'.repeat(32) }))])).toBe('');
  });
});
