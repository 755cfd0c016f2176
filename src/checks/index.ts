// The one explicit list of checks. Add a check: write src/checks/<name>.ts and list it here.
import type { Check, CheckMeta } from './types.js';
import undecodable from './e_certificate_undecodable.js';
import orderRecordMissing from './e_order_record_missing.js';
import subjectCountryOrderMismatch from './e_subject_country_order_mismatch.js';
import evJurisdictionCountryOrderMismatch from './e_ev_jurisdiction_country_order_mismatch.js';
import subjectCountryNotIso3166 from './e_subject_country_not_iso3166.js';
import subjectCountryPlaceholder from './w_subject_country_placeholder.js';

export const CHECKS: readonly Check[] = [
  orderRecordMissing,
  subjectCountryOrderMismatch,
  evJurisdictionCountryOrderMismatch,
  subjectCountryNotIso3166,
  subjectCountryPlaceholder,
];

/** Findings the pipeline itself produces, outside the check runner. */
export const PIPELINE_FINDINGS = { undecodable } as const;

export const ALL_CHECK_META: readonly CheckMeta[] = [undecodable, ...CHECKS];

export function checkNames(): string[] {
  return ALL_CHECK_META.map((meta) => meta.name);
}
