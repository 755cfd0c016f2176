// ccadb-appendix.csv: one row per affected certificate, in the column order of the CCADB incident
// report appendix (v3.2). certscan's own columns stand only to the right of them. A precertificate
// and its final certificate (same issuer, same serial) are one certificate: one row, both hashes.
import { stringify } from 'csv-stringify/sync';
import { formatName } from '../decode/names.js';
import type { AffectedCertificate } from '../inspect.js';
import { NO_ROW } from '../sources/types.js';
import { isRevoked, isoSeconds, revocationReasonName, serialOf } from './format.js';
import { revocationDeadline } from './deadline.js';

export const CCADB_COLUMNS = [
  'Precertificate SHA-256 hash',
  'Certificate SHA-256 hash',
  'Subject',
  'Issuer',
  'Not before',
  'Not after',
  'Serial # (hex)',
  'dNSNames',
  'Is revoked?',
  'Revocation date',
  'Revocation reason',
] as const;

export const CERTSCAN_APPENDIX_COLUMNS = ['cert_id', 'order_id', 'checks', 'revocation_deadline', 'revocation_status', 'log_origin', 'leaf_index'] as const;

/** One appendix row: a certificate, or a precertificate paired with its certificate. */
export interface AppendixRecord {
  /** The entry the descriptive columns come from (the final certificate when there is one). */
  item: AffectedCertificate;
  precertificateSha256: string;
  certificateSha256: string;
  /** Check names over all entries of the record, in order of first appearance. */
  checks: string[];
  leafIndexes: number[];
}

export function appendixHeader(): string {
  return stringify([[...CCADB_COLUMNS, ...CERTSCAN_APPENDIX_COLUMNS]]);
}

export function recordOf(item: AffectedCertificate): AppendixRecord {
  const precertificate = item.certificate?.isPrecertificate === true || item.ct?.entryType === 'precert';
  return {
    item,
    precertificateSha256: precertificate ? item.sha256 : '',
    certificateSha256: precertificate ? '' : item.sha256,
    checks: [...new Set(item.findings.map((finding) => finding.check))],
    leafIndexes: item.ct ? [item.ct.leafIndex] : [],
  };
}

export function appendixRows(records: readonly AppendixRecord[], scanTime: Date, discoveredAt: Date | null): string {
  if (records.length === 0) return '';
  return stringify(
    records.map(({ item, precertificateSha256, certificateSha256, checks, leafIndexes }) => {
      const certificate = item.certificate;
      const { deadline, status } = revocationDeadline(item, scanTime, discoveredAt);
      return [
        precertificateSha256,
        certificateSha256,
        certificate ? formatName(certificate.subject) : '',
        certificate ? formatName(certificate.issuer) : '',
        isoSeconds(certificate?.notBefore),
        isoSeconds(certificate?.notAfter),
        serialOf(item),
        certificate?.dnsNames.join(' ') ?? '',
        isRevoked(item) ? 'Yes' : 'No',
        isoSeconds(item.row.revokedAt),
        revocationReasonName(item.row.revocationReason),
        item.row.ref === NO_ROW ? '' : String(item.row.ref),
        item.row.orderId ?? '',
        checks.join(' '),
        isoSeconds(deadline),
        status,
        item.ct?.origin ?? '',
        leafIndexes.join(' '),
      ];
    }),
  );
}

/** crtsh.txt: one crt.sh link per affected certificate (CCADB accepts this from 10,000 certificates). */
export function crtshLines(records: readonly AppendixRecord[]): string {
  return records.map((record) => `https://crt.sh/?sha256=${record.certificateSha256 || record.precertificateSha256}\n`).join('');
}
