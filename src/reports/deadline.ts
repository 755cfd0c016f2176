// BR 4.9.1.1: the revocation deadline of an affected certificate.
import type { AffectedCertificate } from '../inspect.js';

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
  /** ISO; null when no revocation is required. */
  deadline: string | null;
}

export function revocationDeadline(item: AffectedCertificate, scanTime: Date, discoveredAt: Date | null): Deadline {
  const requiresRevocation = item.findings.some((finding) => finding.severity === 'error' || finding.severity === 'fatal');
  const evidenceAt = discoveredAt ?? scanTime;
  const deadline = requiresRevocation ? new Date(evidenceAt.getTime() + REVOCATION_DAYS * DAY_MS).toISOString() : null;
  if (item.row.revokedAt !== null) return { status: 'revoked', deadline };
  if (item.certificate && new Date(item.certificate.notAfter) <= scanTime) return { status: 'expired', deadline };
  if (!deadline) return { status: 'review', deadline };
  return { status: scanTime.getTime() > Date.parse(deadline) ? 'overdue' : 'due', deadline };
}
