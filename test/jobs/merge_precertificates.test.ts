import { describe, expect, it } from 'vitest';
import { mergedPrecertificates, precertificateFindingsLast, precertificateRowsLast } from '../../src/jobs/merge_precertificates.js';
import type { ScanSummary } from '../../src/reports/summary.js';

const finding = (certId: string, entryType: '' | 'precert', sha256: string, check = 'e_x') => ({ cert_id: certId, entry_type: entryType, sha256, check, log_origin: '' });
const appendixRow = (certId: string, precertificate: string, certificate: string, stored = '') => ({
  cert_id: certId,
  'Precertificate SHA-256 hash': precertificate,
  'Certificate SHA-256 hash': certificate,
  stored_der_sha256: stored,
  log_origin: '',
});

describe('merging shards of a scan with a precertificates table', () => {
  // Shard 0: certificate 1 and precertificates 3 (its pair) and 10 (alone); shard 1: certificate 2 and precertificate 2 (its pair, id below 10).
  const findings = [finding('1', '', 'c1'), finding('3', 'precert', 'p3'), finding('10', 'precert', 'p10'), finding('2', '', 'c2'), finding('2', 'precert', 'p2'), finding('2', 'precert', 'p2', 'e_y')];

  it("findings.csv: the certificates' lines in shard order, then the precertificates' by id as numbers, each one's lines in their order", () => {
    expect(precertificateFindingsLast(findings).map((row) => `${row.cert_id}${row.entry_type}:${row.check}`)).toEqual(['1:e_x', '2:e_x', '2precert:e_x', '2precert:e_y', '3precert:e_x', '10precert:e_x']);
  });

  it('ccadb-appendix.csv: rows a certificate made stay in shard order (an undecodable certificate too), rows a precertificate made alone follow by id', () => {
    const undecodablePrecertificate = finding('4', 'precert', 'p4');
    const appendix = [
      appendixRow('1', 'p3', 'c1'),
      appendixRow('10', 'p10', ''),
      appendixRow('7', 'p9', '', 'c7-bytes'), // an undecodable certificate paired with a precertificate: the certificate's row
      appendixRow('2', 'p2', 'c2'),
      appendixRow('4', '', '', 'p4'), // an undecodable precertificate alone
    ];
    expect(precertificateRowsLast(appendix, [...findings, undecodablePrecertificate, finding('9', 'precert', 'p9')]).map((row) => row.cert_id)).toEqual(['1', '7', '2', '4', '10']);
  });

  it("summary.json's precertificates: rows read summed, the lowest first and highest last key; none without the table", () => {
    const part = (precertificates: ScanSummary['source']['precertificates']) => ({ source: { precertificates } }) as ScanSummary;
    const base = { table: 'precertificates', pageQuery: 'q' };
    expect(mergedPrecertificates([part({ ...base, scanned: 2, firstId: 3, lastId: 10 }), part({ ...base, scanned: 1, firstId: 2, lastId: 2 }), part({ ...base, scanned: 0, firstId: null, lastId: null })])).toEqual({ ...base, scanned: 3, firstId: 2, lastId: 10 });
    expect(mergedPrecertificates([part(undefined)])).toBeUndefined();
  });
});
