// certscan's verdicts against the verdicts zlint and pkilint assert on their own test
// certificates (test/fixtures/peers/*/EXPECTED.tsv). Deliberate differences are listed here with
// the reason, and in the README's check table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { checkInput, runCheck, type RunStatus } from '../../src/checks/run.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { FIXTURES, fixtureCertificate } from '../helpers.js';

const context = { placeholderCountries: new Set<string>(), placeholderValues: new Set<string>(), embargoedCountries: new Set<string>() };

function verdict(file: string, checkName: string): RunStatus {
  const check = CHECKS.find((candidate) => candidate.name === checkName);
  if (!check) throw new Error(`no check ${checkName}`);
  const certificate = decodeCertificate(fixtureCertificate(file));
  return runCheck(check, checkInput(certificate, { ref: 0, orderId: null, order: null }), context).status;
}

/** zlint lint -> the certscan check that enforces the same rule. */
const ZLINT_COUNTERPARTS: Readonly<Record<string, string>> = {
  e_subject_country_not_iso: 'e_subject_country_not_iso3166',
  e_ca_country_name_invalid: 'e_subject_country_not_iso3166',
  e_ca_country_name_missing: 'e_subject_country_missing',
  e_sub_cert_country_name_must_appear: 'e_subject_country_missing',
  e_cert_policy_ov_requires_country: 'e_subject_country_missing',
  e_cert_policy_iv_requires_country: 'e_subject_country_missing',
  e_ev_country_name_missing: 'e_subject_country_missing',
  e_subj_country_not_uppercase: 'e_subject_country_not_uppercase',
  e_subject_dn_country_not_printable_string: 'e_subject_country_not_printable_string',
  e_registration_scheme_id_matches_subject_country: 'e_subject_org_identifier_country_mismatch',
  e_subject_contains_noninformational_value: 'e_subject_placeholder_value',
};

/**
 * Rows where certscan deliberately gives another verdict: file + lint -> [certscan's verdict, why].
 * Rows of lints with no counterpart (or whose config switches are zlint-only) are not listed.
 */
const ZLINT_DIFFERENCES: Readonly<Record<string, [RunStatus, string]>> = {
  'indivValGoodAllFields.pem e_cert_policy_ov_requires_country': ['pass', 'certscan has one C-required check for OV, IV and EV; zlint has one lint per type, NA for the others'],
};

/** zlint rows whose lint is split across two certscan checks: file -> [check, verdict]. */
const ZLINT_SPLIT_ROWS: ReadonlyArray<[string, string, string, RunStatus]> = [
  // e_cs_subject_country_name = C missing or not ISO 3166
  ['code_signing/validCodeSigningCertificate.pem', 'e_cs_subject_country_name', 'e_subject_country_not_iso3166', 'pass'],
  ['code_signing/no_country_name_in_subject.pem', 'e_cs_subject_country_name', 'e_subject_country_missing', 'error'],
  ['code_signing/non_iso_country_name_in_subject.pem', 'e_cs_subject_country_name', 'e_subject_country_not_iso3166', 'error'],
  ['code_signing/only_meta_data_in_country_name.pem', 'e_cs_subject_country_name', 'e_subject_country_not_iso3166', 'error'],
  // e_subject_country_name (S/MIME org/individual validated) = C not ISO 3166 (XX allowed)
  ['smime/organizationValidatedWithInvalidCountry.pem', 'e_subject_country_name', 'e_subject_country_not_iso3166', 'error'],
  ['smime/individualValidatedWithValidCountry.pem', 'e_subject_country_name', 'e_subject_country_not_iso3166', 'pass'],
  ['smime/individualValidatedWithXXCodeInCountry.pem', 'e_subject_country_name', 'e_subject_country_not_iso3166', 'pass'],
  // e_subject_rdns_correct_encoding, the countryName / jurisdictionCountryName rows
  ['subjectCWrongEncoding.pem', 'e_subject_rdns_correct_encoding', 'e_subject_country_not_printable_string', 'error'],
  ['subjectjurCWrongEncoding.pem', 'e_subject_rdns_correct_encoding', 'e_subject_country_not_printable_string', 'error'],
  // e_duplicate_subject_attribs, the countryName rows
  ['dupl_subj_attrs_ok_01.pem', 'e_duplicate_subject_attribs', 'e_subject_country_multiple', 'pass'],
  ['dupl_subj_attrs_ko_02.pem', 'e_duplicate_subject_attribs', 'e_subject_country_multiple', 'error'],
];

interface ZlintRow {
  file: string;
  lint: string;
  expected: string;
  special: string;
}

const zlintRows: ZlintRow[] = readFileSync(join(FIXTURES, 'peers/zlint/EXPECTED.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file = '', lint = '', expected = '', special = ''] = line.split('\t');
    return { file, lint, expected, special };
  });

describe('agreement with zlint', () => {
  const mapped = zlintRows.filter((row) => ZLINT_COUNTERPARTS[row.lint] && !/config|CrossSignedCa/.test(row.special));

  it('covers the country lints of the fixture set', () => {
    expect(mapped.length).toBeGreaterThanOrEqual(25);
  });

  it.each(mapped.map((row) => [`${row.file} ${row.lint} -> ${ZLINT_COUNTERPARTS[row.lint]}`, row] as const))('%s', (_label, row) => {
    const ours = verdict(`peers/zlint/${row.file}`, ZLINT_COUNTERPARTS[row.lint]!);
    const difference = ZLINT_DIFFERENCES[`${row.file} ${row.lint}`];
    expect(ours).toBe(difference ? difference[0] : row.expected);
  });

  it.each(ZLINT_SPLIT_ROWS.map((row) => [`${row[0]} ${row[1]} -> ${row[2]}`, row] as const))('%s', (_label, [file, lint, check, expected]) => {
    const zlint = zlintRows.find((row) => row.file === file && row.lint === lint);
    expect(zlint, 'the row is in EXPECTED.tsv').toBeDefined();
    expect(verdict(`peers/zlint/${file}`, check)).toBe(expected);
    expect(expected).toBe(zlint!.expected);
  });
});

/**
 * pkilint's expected findings (EXPECTED.tsv, prose) as certscan verdicts: file -> check -> verdict,
 * with the pkilint finding it corresponds to.
 */
const PKILINT_EXPECTATIONS: ReadonlyArray<[string, string, RunStatus, string]> = [
  ['tls_br/ov_final_certificate/clean.pem', 'e_subject_country_not_iso3166', 'pass', 'no findings'],
  ['tls_br/ov_final_certificate/clean.pem', 'e_subject_country_missing', 'pass', 'no findings'],
  ['tls_br/ov_final_certificate/clean.pem', 'e_subject_placeholder_value', 'pass', 'no findings'],
  ['tls_br/ov_final_certificate/clean.pem', 'e_subject_printable_string_bad_character', 'pass', 'no findings'],
  ['tls_br/ov_final_certificate/clean.pem', 'w_subject_attribute_contains_country', 'pass', 'no findings'],
  ['tls_br/ov_pre_certificate/prohibited_printablestring_char.pem', 'e_subject_printable_string_bad_character', 'error', 'itu.invalid_asn1_syntax (\'"\' in a PrintableString)'],
  ['tls_br/ev_final_certificate/bad_jurisc.pem', 'e_subject_country_not_iso3166', 'error', 'cabf.serverauth.invalid_jurisdiction_country_code "ZZ"'],
  ['tls_br/ev_final_certificate/invalid_subject_orgid_country.pem', 'e_subject_org_identifier_country_invalid', 'error', 'cabf.invalid_organization_identifier_country (VAT, "ZZ")'],
  ['tls_br/ev_final_certificate/invalid_subject_orgid_country.pem', 'e_subject_org_identifier_country_mismatch', 'error', 'cabf.serverauth.organization_identifier_mismatched_value'],
  ['tls_br/ev_final_certificate/ntr_el_org_id.pem', 'e_subject_org_identifier_country_invalid', 'error', 'cabf.invalid_organization_identifier_country (NTR, "EL")'],
  ['tls_br/ev_pre_certificate/missing_business_category_and_jurisC.pem', 'e_ev_jurisdiction_country_missing', 'error', 'cabf.ev_guidelines.jurisdiction_country_attribute_absent'],
  ['smime_br/organization/multipurpose/country_code_xx.pem', 'e_subject_country_not_iso3166', 'pass', 'C=XX accepted'],
  ['smime_br/organization/multipurpose/country_code_xx.pem', 'e_subject_org_identifier_country_mismatch', 'NA', 'LEI is exempt from the country match'],
  ['smime_br/organization/multipurpose/invalid_country_code.pem', 'e_subject_country_not_iso3166', 'error', 'cabf.invalid_country_code "XG"'],
  ['smime_br/individual/strict/insignificant_attribute_value.pem', 'e_subject_placeholder_value', 'error', 'cabf.insignificant_attribute_value_present "."'],
  ['etsi/qevcp_w_non_eidas_pre_certificate/country_code_bad.pem', 'e_subject_country_not_iso3166', 'pass', 'the bad ZZ is in a QC statement, not the subject'],
];

/** Deliberate differences from pkilint: file, check, certscan's verdict, pkilint's, why. */
const PKILINT_DIFFERENCES: ReadonlyArray<[string, string, RunStatus, string, string]> = [
  // The three real roots predate the Baseline Requirements (notBefore before 2012-07-01): certscan
  // applies the rules in force at issuance, pkilint applies today's rules to every certificate.
  ['tls_br/root_ca/invalid_country_code.pem', 'e_subject_country_not_iso3166', 'NE', 'invalid_country_code "EU"', 'issued 2011-12-07, before the BRs took effect'],
  ['tls_br/root_ca/teletex_attribute.pem', 'e_subject_country_missing', 'NE', 'ca.country_attribute_absent', 'issued 1999, before the BRs took effect'],
  ['tls_br/root_ca/basicconstraints_pathlenconstraint_present.pem', 'e_subject_country_not_uppercase', 'NE', 'invalid_country_code "ch"', 'issued 2005-08-18, before the BRs took effect'],
  // pkilint's S/MIME fixtures are dated 2023-04-28, before the S/MIME BRs took effect
  // (2023-09-01, as zlint dates its counterpart): the orgId/country match is not yet in force.
  ['smime_br/organization/multipurpose/invalid_country_code.pem', 'e_subject_org_identifier_country_mismatch', 'NE', 'cabf.smime.org_identifier_and_country_name_attribute_inconsistent', 'issued 2023-04-28, before the S/MIME BRs took effect'],
  ['smime_br/organization/multipurpose/orgid_and_countryname_inconsistent.pem', 'e_subject_org_identifier_country_mismatch', 'NE', 'cabf.smime.org_identifier_and_country_name_attribute_inconsistent', 'issued 2023-04-28, before the S/MIME BRs took effect'],
  ['smime_br/organization/multipurpose/orgid_and_countryname_inconsistent_multiple_orgid_attrs.pem', 'e_subject_org_identifier_country_mismatch', 'NE', 'cabf.smime.org_identifier_and_country_name_attribute_inconsistent', 'issued 2023-04-28, before the S/MIME BRs took effect'],
  ['smime_br/organization/multipurpose/orgid_and_countryname_same_different_case.pem', 'e_subject_org_identifier_country_mismatch', 'NE', 'org_identifier_and_country_name_attribute_inconsistent', 'issued 2023-04-28, before the S/MIME BRs took effect (from then on C=us and NTRUS name the same country: the case is e_subject_country_not_uppercase)'],
  ['smime_br/organization/multipurpose/orgid_and_countryname_same_different_case.pem', 'e_subject_country_not_uppercase', 'error', 'invalid_country_code "us"', 'the lowercase code is reported, as its own check'],
  ['etsi/qncp_w_gen_legal_person_eidas_pre_certificate/unknown_country_code.pem', 'e_subject_country_not_iso3166', 'error', 'NOTICE unknown_country_code "ZZ"', 'under the BRs ZZ is an error; pkilint\'s ETSI profile only notes it'],
];

describe('agreement with pkilint', () => {
  const expected = readFileSync(join(FIXTURES, 'peers/pkilint/EXPECTED.tsv'), 'utf8');

  it.each(PKILINT_EXPECTATIONS.map((row) => [`${row[0]} ${row[1]} = ${row[2]} (${row[3]})`, row] as const))('%s', (_label, [file, check, status]) => {
    expect(expected).toContain(file);
    expect(verdict(`peers/pkilint/${file}`, check)).toBe(status);
  });

  it.each(PKILINT_DIFFERENCES.map((row) => [`${row[0]} ${row[1]}: ${row[4]}`, row] as const))('deliberate difference: %s', (_label, [file, check, status]) => {
    expect(verdict(`peers/pkilint/${file}`, check)).toBe(status);
  });
});
