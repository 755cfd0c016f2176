// BR 4.9.1.1: the revocation deadline of an affected certificate.
import type { AffectedCertificate } from '../inspect.js';
import { OperationalError } from '../errors.js';

const DAY_MS = 86_400_000;

/**
 * Every error-level finding here means inaccurate subject information or a certificate not
 * issued per the BRs: BR 4.9.1.1 gives 5 days from when the CA obtained the evidence (the scan
 * that found it, or an earlier discovery date the CA supplies). Warnings and notices have no
 * deadline: they are for review.
 */
export const REVOCATION_DAYS = 5;

export type DeadlineStatus = 'revoked' | 'expired' | 'overdue' | 'due' | 'review';

export interface Deadline {
  status: DeadlineStatus;
  /** ISO; null when no revocation is required or it is moot (already revoked, or expired). */
  deadline: string | null;
}

/**
 * The evidence about a certificate cannot be older than the certificate: one issued after the
 * discovery date has its 5 days from its own notBefore (or issuance time when it did not decode).
 */
function evidenceTime(item: AffectedCertificate, scanTime: Date, discoveredAt: Date | null): number {
  const evidenceAt = (discoveredAt ?? scanTime).getTime();
  const issued = Date.parse(item.certificate?.notBefore ?? item.row.issuedAt ?? '');
  return Number.isNaN(issued) ? evidenceAt : Math.max(evidenceAt, issued);
}

export function revocationDeadline(item: AffectedCertificate, scanTime: Date, discoveredAt: Date | null): Deadline {
  if (item.row.revokedAt !== null) return { status: 'revoked', deadline: null };
  if (item.certificate && new Date(item.certificate.notAfter) <= scanTime) return { status: 'expired', deadline: null };
  const requiresRevocation = item.findings.some((finding) => finding.severity === 'error' || finding.severity === 'fatal');
  if (!requiresRevocation) return { status: 'review', deadline: null };
  const deadline = new Date(evidenceTime(item, scanTime, discoveredAt) + REVOCATION_DAYS * DAY_MS).toISOString();
  return { status: scanTime.getTime() > Date.parse(deadline) ? 'overdue' : 'due', deadline };
}

/** `--discovered` after the scan is a typo, not a discovery: refused before reading anything. */
export function refuseFutureDiscovery(discoveredAt: Date | null, scanTime: Date): void {
  if (discoveredAt && discoveredAt.getTime() > scanTime.getTime()) {
    throw new OperationalError(`--discovered ${discoveredAt.toISOString()} is after this scan (${scanTime.toISOString()}): a discovery date cannot be in the future`);
  }
}

/** Nobody discovers a problem in certificates before the first of them was issued. */
export function refuseDiscoveryBeforeIssuance(discoveredAt: Date | null, firstAffectedNotBefore: string | null): void {
  if (discoveredAt && firstAffectedNotBefore && discoveredAt.getTime() < Date.parse(firstAffectedNotBefore)) {
    throw new OperationalError(
      `--discovered ${discoveredAt.toISOString()} is before the first affected certificate was issued (notBefore ${firstAffectedNotBefore}); reports not written`,
    );
  }
}
