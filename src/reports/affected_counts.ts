// The one computation behind every count in the reports: summary.md, summary.json, report.html,
// the chart and the CLI's summary line all read an AffectedCounts, and the appendix row of each
// certificate is written from the same AffectedFacts that were counted. A merge of shard reports
// rebuilds the facts from the appendix rows and counts them with the same function.
import type { AffectedCertificate } from '../inspect.js';
import { revocationDeadline, type DeadlineStatus } from './deadline.js';
import { serialOf } from './format.js';
import type { RowKey } from '../sources/types.js';

/** Every affected certificate is in exactly one class: the classes add up to the total. */
export const CERTIFICATE_CLASSES = ['still-valid', 'revoked', 'expired', 'undecodable'] as const;
export type CertificateClass = (typeof CERTIFICATE_CLASSES)[number];

/** SHA-256 of zero bytes: an empty DER column, never a certificate. */
export const EMPTY_INPUT_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** What the counts know of one affected certificate (one appendix row). */
export interface AffectedFacts {
  /**
   * revoked (the source says so, decodable or not), else undecodable (validity unknown), else
   * expired at the scan, else still valid.
   */
  certificateClass: CertificateClass;
  status: DeadlineStatus;
  /** ISO with milliseconds; null when no revocation is required or it is moot. */
  deadline: string | null;
  /** ISO with milliseconds; null for an undecodable row. */
  notBefore: string | null;
  /** DV, OV, IV, EV, or unknown (no CA/B Forum policy OID, or undecodable). */
  validationType: string;
  checks: string[];
  /** A CT precertificate whose final certificate was not found: not counted as a certificate. */
  precertificateOnly: boolean;
  certId: RowKey;
  serial: string;
  /** The certificate's (or precertificate's) SHA-256; empty for an undecodable row. */
  sha256: string;
}

export interface OverdueCertificate {
  certId: RowKey;
  serial: string;
  /** Empty for an undecodable row (its bytes are not a certificate crt.sh could know). */
  sha256: string;
  deadline: string;
}

export interface AffectedCounts {
  total: number;
  byClass: Record<CertificateClass, number>;
  precertificatesOnly: number;
  /** Rows with a certificate hash: the lines of crtsh.txt. */
  crtshLinks: number;
  byValidationType: Record<string, number>;
  byStatus: Record<DeadlineStatus, number>;
  /** Overdue + due, split by class (only still-valid and undecodable rows can be either). */
  toRevoke: { stillValid: number; undecodable: number };
  nextDeadline: string | null;
  overdue: OverdueCertificate[];
  firstNotBefore: string | null;
  lastNotBefore: string | null;
  /** notBefore month (YYYY-MM) -> check -> affected certificates with a finding of that check. */
  byMonthAndCheck: Record<string, Record<string, number>>;
}

const OVERDUE_LISTED = 100;

export function emptyCounts(): AffectedCounts {
  return {
    total: 0,
    byClass: { 'still-valid': 0, revoked: 0, expired: 0, undecodable: 0 },
    precertificatesOnly: 0,
    crtshLinks: 0,
    byValidationType: {},
    byStatus: { revoked: 0, expired: 0, overdue: 0, due: 0, review: 0 },
    toRevoke: { stillValid: 0, undecodable: 0 },
    nextDeadline: null,
    overdue: [],
    firstNotBefore: null,
    lastNotBefore: null,
    byMonthAndCheck: {},
  };
}

export function classOf(item: AffectedCertificate, scanTime: Date): CertificateClass {
  if (item.row.revokedAt !== null) return 'revoked';
  if (!item.certificate) return 'undecodable';
  return new Date(item.certificate.notAfter) <= scanTime ? 'expired' : 'still-valid';
}

export function isPrecertificateEntry(item: AffectedCertificate): boolean {
  return item.certificate?.isPrecertificate === true || item.ct?.entryType === 'precert';
}

export function factsOf(item: AffectedCertificate, scanTime: Date, discoveredAt: Date | null): AffectedFacts {
  const { status, deadline } = revocationDeadline(item, scanTime, discoveredAt);
  const certificate = item.certificate;
  return {
    certificateClass: classOf(item, scanTime),
    status,
    deadline,
    notBefore: certificate?.notBefore ?? null,
    validationType: certificate?.validationType ?? 'unknown',
    checks: [...new Set(item.findings.map((finding) => finding.check))],
    precertificateOnly: certificate !== null && isPrecertificateEntry(item),
    certId: item.row.ref,
    serial: serialOf(item),
    sha256: certificate ? item.sha256 : '',
  };
}

export function countAffected(counts: AffectedCounts, facts: AffectedFacts): void {
  counts.total++;
  counts.byClass[facts.certificateClass]++;
  if (facts.precertificateOnly) counts.precertificatesOnly++;
  if (facts.sha256) counts.crtshLinks++;
  counts.byValidationType[facts.validationType] = (counts.byValidationType[facts.validationType] ?? 0) + 1;
  counts.byStatus[facts.status]++;
  if (facts.status === 'due' || facts.status === 'overdue') {
    if (facts.certificateClass === 'undecodable') counts.toRevoke.undecodable++;
    else counts.toRevoke.stillValid++;
  }
  const { deadline, notBefore } = facts;
  if (facts.status === 'due' && deadline && (counts.nextDeadline === null || deadline < counts.nextDeadline)) counts.nextDeadline = deadline;
  if (facts.status === 'overdue' && deadline && counts.overdue.length < OVERDUE_LISTED) {
    counts.overdue.push({ certId: facts.certId, serial: facts.serial, sha256: facts.sha256, deadline });
  }
  if (notBefore) {
    if (counts.firstNotBefore === null || notBefore < counts.firstNotBefore) counts.firstNotBefore = notBefore;
    if (counts.lastNotBefore === null || notBefore > counts.lastNotBefore) counts.lastNotBefore = notBefore;
    const month = (counts.byMonthAndCheck[notBefore.slice(0, 7)] ??= {});
    for (const check of facts.checks) month[check] = (month[check] ?? 0) + 1;
  }
}
