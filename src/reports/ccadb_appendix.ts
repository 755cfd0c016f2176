// ccadb-appendix.csv: one row per affected certificate, in the column order of the CCADB incident
// report appendix (v3.2). certscan's own columns stand only to the right of them.
import { stringify } from 'csv-stringify/sync';
import { formatName } from '../decode/names.js';
import type { AffectedCertificate } from '../inspect.js';
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

export const CERTSCAN_APPENDIX_COLUMNS = ['cert_id', 'order_id', 'checks', 'revocation_deadline', 'revocation_status'] as const;

/** crtsh.txt: one crt.sh link per affected certificate (CCADB accepts this from 10,000 certificates). */
export function crtshLines(affected: readonly AffectedCertificate[]): string {
  return affected.map((item) => `https://crt.sh/?sha256=${item.sha256}\n`).join('');
}

export function appendixHeader(): string {
  return stringify([[...CCADB_COLUMNS, ...CERTSCAN_APPENDIX_COLUMNS]]);
}

export function appendixRows(affected: readonly AffectedCertificate[], scanTime: Date, discoveredAt: Date | null): string {
  if (affected.length === 0) return '';
  return stringify(
    affected.map((item) => {
      const certificate = item.certificate;
      const precertificate = certificate?.isPrecertificate === true;
      return [
        precertificate ? item.sha256 : '',
        precertificate ? '' : item.sha256,
        certificate ? formatName(certificate.subject) : '',
        certificate ? formatName(certificate.issuer) : '',
        isoSeconds(certificate?.notBefore),
        isoSeconds(certificate?.notAfter),
        serialOf(item),
        certificate?.dnsNames.join(' ') ?? '',
        isRevoked(item) ? 'Yes' : 'No',
        isoSeconds(item.row.revokedAt),
        revocationReasonName(item.row.revocationReason),
        String(item.row.ref),
        item.row.orderId ?? '',
        [...new Set(item.findings.map((finding) => finding.check))].join(' '),
        ...(({ deadline, status }) => [isoSeconds(deadline), status])(revocationDeadline(item, scanTime, discoveredAt)),
      ];
    }),
  );
}
