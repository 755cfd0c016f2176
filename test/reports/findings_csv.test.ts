// findings.csv and input-errors.csv, column by column.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { FINDINGS_COLUMNS, findingsHeader, findingsRows } from '../../src/reports/findings_csv.js';
import { inputProblemRows, inputProblemsHeader } from '../../src/reports/input_errors.js';
import { NO_ROW } from '../../src/sources/types.js';
import { generateKeyPair } from '../../src/demo/certificate_builder.js';
import { buildDemoCertificate } from '../../src/demo/demo_db.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { certificateFor, order } from '../helpers.js';
import { affected, ca, certificate, mismatch } from './affected_fixture.js';

const rowsOf = (text: string): Record<string, string>[] => parse(findingsHeader() + text, { columns: true });

describe('findings.csv', () => {
  it('one row per finding, each column from the right field', () => {
    expect(parse(findingsHeader())).toEqual([[...FINDINGS_COLUMNS]]);
    const rows = rowsOf(findingsRows([affected({ findings: [{ ...mismatch, detail: 'subject C=AD but order ORD-MM was vetted for MM', citation: 'BR 3.2.2.3' }] })]));
    expect(rows).toEqual([
      {
        check: 'e_subject_country_order_mismatch',
        severity: 'error',
        cert_id: '42',
        serial: '0a1b2c',
        sha256: certificate.sha256,
        subject_country: 'AD',
        vetted_country: 'MM',
        jurisdiction_country: '',
        vetted_jurisdiction_country: '',
        order_id: 'ORD-MM',
        validation_type: 'OV',
        not_before: '2026-10-01T08:30:00Z',
        not_after: '2026-12-30T08:29:59Z',
        subject: 'C=AD, ST=Yangon Region, L=Yangon, O=Myanma Demo Bank, CN=bank.example',
        detail: 'subject C=AD but order ORD-MM was vetted for MM',
        citation: 'BR 3.2.2.3',
        log_origin: '',
        leaf_index: '',
        entry_type: '',
        vetted_from: '',
      },
    ]);
    expect(rowsOf(findingsRows([affected(), affected()]))).toHaveLength(6);
  });

  it('a row of the precertificates table: entry type precert without a log; vetted_from as the row says', () => {
    const [row] = rowsOf(findingsRows([affected({ findings: [mismatch] }, { precertificateRow: true, vettedFrom: 'snapshot' })]));
    expect(row).toMatchObject({ cert_id: '42', log_origin: '', leaf_index: '', entry_type: 'precert', vetted_from: 'snapshot' });
  });

  it('a log entry with no row and no decoded certificate', () => {
    const [row] = rowsOf(
      findingsRows([
        affected(
          { certificate: null, ct: { origin: 'log.example/2026', leafIndex: 3, entryType: 'x509', timestamp: 1, issuerKeyHash: 'cd' }, findings: [mismatch] },
          { ref: NO_ROW, orderId: null, order: null, serial: '0f' },
        ),
      ]),
    );
    expect(row).toMatchObject({ cert_id: '', serial: '0f', subject_country: '', vetted_country: '', order_id: '', validation_type: '', not_before: '', subject: '', log_origin: 'log.example/2026', leaf_index: '3', entry_type: 'x509' });
  });

  it('an EV certificate: its jurisdiction country beside the vetted one', () => {
    const ev = order('ORD-EV', { validationType: 'EV', country: 'MM', jurisdictionCountry: 'MM' });
    const evCertificate = decodeCertificate(buildDemoCertificate(certificateFor(ev, { jurisdictionCountry: 'TH' }), Buffer.from('0e', 'hex'), ca.issuing, generateKeyPair()));
    const [row] = rowsOf(findingsRows([affected({ certificate: evCertificate, sha256: evCertificate.sha256, findings: [mismatch] }, { orderId: 'ORD-EV', order: ev })]));
    expect([row!.subject_country, row!.vetted_country, row!.jurisdiction_country, row!.vetted_jurisdiction_country, row!.validation_type]).toEqual(['MM', 'MM', 'TH', 'MM', 'EV']);
  });

  it('no findings, no bytes', () => {
    expect(findingsRows([])).toBe('');
    expect(findingsRows([affected({ findings: [] })])).toBe('');
  });
});

describe('input-errors.csv', () => {
  it('file (or table), where (or row), column and value of a database value, what', () => {
    expect(inputProblemsHeader()).toBe('file,at,column,value,problem\n');
    expect(inputProblemRows([{ file: 'tile/data/000', at: 'byte 12 (entry 0)', message: 'truncated, the rest is skipped' }])).toBe('tile/data/000,byte 12 (entry 0),,,"truncated, the rest is skipped"\n');
    expect(inputProblemRows([{ file: 'certificates', at: 'id 7', column: 'revoked_at', value: 'not-a-date', message: 'not a time' }])).toBe('certificates,id 7,revoked_at,not-a-date,not a time\n');
    expect(inputProblemRows([])).toBe('');
  });
});
