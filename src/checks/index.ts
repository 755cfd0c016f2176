// The one explicit list of checks. Add a check: write src/checks/<name>.ts and list it here.
import type { Check, CheckMeta } from './types.js';
import undecodable from './e_certificate_undecodable.js';
import unknownIssuance from './e_ct_unknown_issuance.js';
import duplicateSerial from './e_serial_number_duplicate.js';
import serialRecordMismatch from './w_serial_number_record_mismatch.js';
import orderRecordMissing from './e_order_record_missing.js';
import subjectCountryOrderMismatch from './e_subject_country_order_mismatch.js';
import evJurisdictionCountryOrderMismatch from './e_ev_jurisdiction_country_order_mismatch.js';
import subjectStateOrderMismatch from './e_subject_state_order_mismatch.js';
import subjectLocalityOrderMismatch from './e_subject_locality_order_mismatch.js';
import subjectOrganizationOrderMismatch from './e_subject_organization_order_mismatch.js';
import subjectCountryMissing from './e_subject_country_missing.js';
import subjectCountryMultiple from './e_subject_country_multiple.js';
import subjectCountryNotIso3166 from './e_subject_country_not_iso3166.js';
import subjectCountryNotUppercase from './e_subject_country_not_uppercase.js';
import subjectCountryNotPrintableString from './e_subject_country_not_printable_string.js';
import subjectPrintableStringBadCharacter from './e_subject_printable_string_bad_character.js';
import evJurisdictionCountryMissing from './e_ev_jurisdiction_country_missing.js';
import orgIdentifierCountryInvalid from './e_subject_org_identifier_country_invalid.js';
import orgIdentifierCountryMismatch from './e_subject_org_identifier_country_mismatch.js';
import subjectPlaceholderValue from './e_subject_placeholder_value.js';
import subjectCountryPlaceholder from './w_subject_country_placeholder.js';
import subjectAttributeContainsCountry from './w_subject_attribute_contains_country.js';
import orderCountryEmbargoed from './w_order_country_embargoed.js';
import validityTimeNotDer from './e_validity_time_not_der.js';
import evBusinessCategoryOrderMismatch from './e_ev_business_category_order_mismatch.js';
import subjectRegistrationNumberOrderMismatch from './e_subject_registration_number_order_mismatch.js';
import evJurisdictionStateOrderMismatch from './e_ev_jurisdiction_state_order_mismatch.js';
import evJurisdictionLocalityOrderMismatch from './e_ev_jurisdiction_locality_order_mismatch.js';
import subjectStreetAddressOrderMismatch from './e_subject_street_address_order_mismatch.js';
import subjectPostalCodeOrderMismatch from './e_subject_postal_code_order_mismatch.js';
import subjectOrgIdentifierOrderMismatch from './e_subject_org_identifier_order_mismatch.js';
import subjectFieldsSwappedOrder from './e_subject_fields_swapped_order.js';
import evVettedAttributeMissing from './e_ev_vetted_attribute_missing.js';
import orderVettingStale from './e_order_vetting_stale.js';
import certificateIssuedBeforeVetting from './e_certificate_issued_before_vetting.js';
import validityPeriodTooLong from './e_validity_period_too_long.js';

export const CHECKS: readonly Check[] = [
  // Issued versus vetted: what linters cannot see.
  orderRecordMissing,
  subjectCountryOrderMismatch,
  evJurisdictionCountryOrderMismatch,
  subjectStateOrderMismatch,
  subjectLocalityOrderMismatch,
  subjectOrganizationOrderMismatch,
  evBusinessCategoryOrderMismatch,
  subjectRegistrationNumberOrderMismatch,
  evJurisdictionStateOrderMismatch,
  evJurisdictionLocalityOrderMismatch,
  subjectStreetAddressOrderMismatch,
  subjectPostalCodeOrderMismatch,
  subjectOrgIdentifierOrderMismatch,
  subjectFieldsSwappedOrder,
  evVettedAttributeMissing,
  orderVettingStale,
  certificateIssuedBeforeVetting,
  orderCountryEmbargoed,
  // The values themselves.
  subjectCountryMissing,
  subjectCountryMultiple,
  subjectCountryNotIso3166,
  subjectCountryNotUppercase,
  subjectCountryNotPrintableString,
  subjectPrintableStringBadCharacter,
  evJurisdictionCountryMissing,
  orgIdentifierCountryInvalid,
  orgIdentifierCountryMismatch,
  subjectPlaceholderValue,
  subjectCountryPlaceholder,
  subjectAttributeContainsCountry,
  // The certificate's encoding and lifetime.
  validityTimeNotDer,
  validityPeriodTooLong,
];

/** Findings the pipeline itself produces, outside the check runner. */
export const PIPELINE_FINDINGS = { undecodable, unknownIssuance, duplicateSerial, serialRecordMismatch } as const;

export const ALL_CHECK_META: readonly CheckMeta[] = [undecodable, unknownIssuance, duplicateSerial, serialRecordMismatch, ...CHECKS];

export function checkNames(): string[] {
  return ALL_CHECK_META.map((meta) => meta.name);
}
