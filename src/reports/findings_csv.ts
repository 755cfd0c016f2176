// findings.csv: one row per finding.
import { stringify } from 'csv-stringify/sync';
import { formatName } from '../decode/names.js';
import type { AffectedCertificate } from '../inspect.js';
import { NO_ROW } from '../sources/types.js';
import { isoSeconds, serialOf, subjectCountries, subjectJurisdictionCountries } from './format.js';

export const FINDINGS_COLUMNS = [
  'check',
  'severity',
  'cert_id',
  'serial',
  'sha256',
  'subject_country',
  'vetted_country',
  'jurisdiction_country',
  'vetted_jurisdiction_country',
  'order_id',
  'validation_type',
  'not_before',
  'not_after',
  'subject',
  'detail',
  'citation',
  'log_origin',
  'leaf_index',
  'entry_type',
  'vetted_from',
] as const;

export function findingsHeader(): string {
  return stringify([[...FINDINGS_COLUMNS]]);
}

export function findingsRows(affected: readonly AffectedCertificate[]): string {
  const records: string[][] = [];
  for (const item of affected) {
    const certificate = item.certificate;
    for (const finding of item.findings) {
      records.push([
        finding.check,
        finding.severity,
        item.row.ref === NO_ROW ? '' : String(item.row.ref),
        serialOf(item),
        item.sha256,
        subjectCountries(item),
        item.row.order?.country ?? '',
        subjectJurisdictionCountries(item),
        item.row.order?.jurisdictionCountry ?? '',
        item.row.orderId ?? '',
        certificate?.validationType ?? '',
        isoSeconds(certificate?.notBefore),
        isoSeconds(certificate?.notAfter),
        certificate ? formatName(certificate.subject) : '',
        finding.detail,
        finding.citation,
        item.ct?.origin ?? '',
        item.ct ? String(item.ct.leafIndex) : '',
        item.ct?.entryType ?? (item.row.precertificateRow ? 'precert' : ''),
        item.row.vettedFrom ?? '',
      ]);
    }
  }
  return records.length ? stringify(records) : '';
}
