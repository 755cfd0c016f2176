// Small formatting helpers shared by the report writers.
import { ATTRIBUTE } from '../decode/oids.js';
import { valuesOf } from '../decode/names.js';
import type { AffectedCertificate } from '../inspect.js';

/** ISO 8601 UTC to the second: 2019-06-20T10:00:00Z. */
export function isoSeconds(iso: string | null | undefined): string {
  if (!iso) return '';
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 5280 5.3.1 CRLReason names. */
const REVOCATION_REASONS: Readonly<Record<number, string>> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

export function revocationReasonName(code: number | null): string {
  if (code === null) return '';
  return REVOCATION_REASONS[code] ?? `reason ${code}`;
}

export function subjectCountries(affected: AffectedCertificate): string {
  return affected.certificate ? valuesOf(affected.certificate.subject, ATTRIBUTE.countryName).join(',') : '';
}

export function subjectJurisdictionCountries(affected: AffectedCertificate): string {
  return affected.certificate ? valuesOf(affected.certificate.subject, ATTRIBUTE.jurisdictionCountryName).join(',') : '';
}

/** The serial from the certificate itself, or from the source row when the DER did not decode. */
export function serialOf(affected: AffectedCertificate): string {
  return affected.certificate?.serialHex ?? affected.row.serial ?? '';
}

export function isRevoked(affected: AffectedCertificate): boolean {
  return affected.row.revokedAt !== null;
}
