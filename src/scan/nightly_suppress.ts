// Nightly runs: findings an earlier run already reported are left out.
import type { AffectedCertificate } from '../inspect.js';

/** Drops findings already reported (nightly look-back) and the certificates left with none. */
export function withoutSuppressed(affected: AffectedCertificate[], suppress: ReadonlySet<string> | undefined): AffectedCertificate[] {
  if (!suppress || suppress.size === 0) return affected;
  return affected.flatMap((item) => {
    const findings = item.findings.filter((finding) => !suppress.has(`${item.row.ref}:${finding.check}`));
    return findings.length ? [{ ...item, findings }] : [];
  });
}
