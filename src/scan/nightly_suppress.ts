// Nightly runs: findings an earlier run already reported are left out.
import type { AffectedCertificate } from '../inspect.js';

/** A precertificates table's row keys are its own ids, which the certificates' ids repeat. */
export const PRECERTIFICATE_KEY_PREFIX = 'precertificates:';

/** How a reported finding is remembered: `<cert_id>:<check>`, a precertificates row's prefixed. */
export function reportedKey(item: AffectedCertificate, check: string): string {
  return `${item.row.precertificateRow ? PRECERTIFICATE_KEY_PREFIX : ''}${item.row.ref}:${check}`;
}

/** Drops findings already reported (nightly look-back) and the certificates left with none. */
export function withoutSuppressed(affected: AffectedCertificate[], suppress: ReadonlySet<string> | undefined): AffectedCertificate[] {
  if (!suppress || suppress.size === 0) return affected;
  return affected.flatMap((item) => {
    const findings = item.findings.filter((finding) => !suppress.has(reportedKey(item, finding.check)));
    return findings.length ? [{ ...item, findings }] : [];
  });
}

/**
 * The precertificates a night re-reads (look-back) whose findings were all reported on an earlier
 * night: not reported again, but still the partner of a final certificate issued since, whose
 * appendix row then names both (see CtPairing.addPartners).
 */
export function suppressedPrecertificates(affected: readonly AffectedCertificate[], kept: readonly AffectedCertificate[]): AffectedCertificate[] {
  if (kept.length === affected.length) return [];
  const reported = new Set(kept.map((item) => item.row.ref));
  return affected.filter((item) => item.row.precertificateRow === true && !reported.has(item.row.ref));
}
