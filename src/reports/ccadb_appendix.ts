// ccadb-appendix.csv: one row per affected certificate, in the column order of the CCADB incident
// report appendix (v3.2). certscan's own columns stand only to the right of them. A precertificate
// and its final certificate (same issuer, same serial) are one certificate: one row, both hashes.
// Each row is written from the same AffectedFacts the summary counts, so the two cannot disagree.
import { stringify } from 'csv-stringify/sync';
import { formatName } from '../decode/names.js';
import type { AffectedCertificate } from '../inspect.js';
import { NO_ROW } from '../sources/types.js';
import { isoSeconds, revocationReasonName, serialOf } from './format.js';
import type { DeadlineStatus } from './deadline.js';
import { EMPTY_INPUT_SHA256, factsOf, isPrecertificateEntry, type AffectedFacts } from './affected_counts.js';

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

/**
 * `class`: still-valid, revoked, expired or undecodable (they add up to the rows);
 * `stored_der_sha256`: the SHA-256 of an undecodable row's stored bytes (empty when there were none).
 */
export const CERTSCAN_APPENDIX_COLUMNS = [
  'cert_id',
  'order_id',
  'checks',
  'revocation_deadline',
  'revocation_status',
  'log_origin',
  'leaf_index',
  'class',
  'validation_type',
  'stored_der_sha256',
] as const;

/** The template's "Is revoked?" values: Yes, Planned, Delayed, or N/A (expired; or warnings only, nothing to revoke). */
export const IS_REVOKED: Readonly<Record<DeadlineStatus, string>> = { revoked: 'Yes', due: 'Planned', overdue: 'Delayed', expired: 'N/A', review: 'N/A' };

/** One appendix row: a certificate, or a precertificate paired with its certificate. */
export interface AppendixRecord {
  /** The entry the descriptive columns come from (the final certificate when there is one). */
  item: AffectedCertificate;
  /** Empty for an undecodable entry: its bytes are not a certificate. */
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
  const precertificate = isPrecertificateEntry(item);
  const hash = item.certificate ? item.sha256 : '';
  return {
    item,
    precertificateSha256: precertificate ? hash : '',
    certificateSha256: precertificate ? '' : hash,
    checks: [...new Set(item.findings.map((finding) => finding.check))],
    leafIndexes: item.ct ? [item.ct.leafIndex] : [],
  };
}

/** "Revocation date": the actual date, the planned date (the deadline), or N/A. */
function revocationDate(item: AffectedCertificate, facts: AffectedFacts): string {
  if (facts.status === 'revoked') return isoSeconds(item.row.revokedAt);
  if (facts.status === 'due' || facts.status === 'overdue') return isoSeconds(facts.deadline);
  return 'N/A';
}

export function appendixRow(record: AppendixRecord, facts: AffectedFacts): string[] {
  const { item, precertificateSha256, certificateSha256, checks, leafIndexes } = record;
  const certificate = item.certificate;
  return [
    precertificateSha256,
    certificateSha256,
    certificate ? formatName(certificate.subject) : '',
    certificate ? formatName(certificate.issuer) : '',
    isoSeconds(certificate?.notBefore),
    isoSeconds(certificate?.notAfter),
    serialOf(item),
    certificate?.dnsNames.join(' ') ?? '',
    IS_REVOKED[facts.status],
    revocationDate(item, facts),
    revocationReasonName(item.row.revocationReason),
    item.row.ref === NO_ROW ? '' : String(item.row.ref),
    item.row.orderId ?? '',
    checks.join(' '),
    isoSeconds(facts.deadline),
    facts.status,
    item.ct?.origin ?? '',
    leafIndexes.join(' '),
    facts.certificateClass,
    facts.validationType,
    !certificate && item.sha256 !== EMPTY_INPUT_SHA256 ? item.sha256 : '',
  ];
}

export function appendixRows(records: readonly AppendixRecord[], scanTime: Date, discoveredAt: Date | null): string {
  if (records.length === 0) return '';
  return stringify(records.map((record) => appendixRow(record, factsOf(record.item, scanTime, discoveredAt))));
}

/** crtsh.txt: one crt.sh link per affected certificate with a hash (CCADB accepts this from 10,000 certificates). */
export function crtshLines(records: readonly AppendixRecord[]): string {
  return records
    .map((record) => record.certificateSha256 || record.precertificateSha256)
    .filter((sha256) => sha256 !== '')
    .map((sha256) => `https://crt.sh/?sha256=${sha256}\n`)
    .join('');
}
