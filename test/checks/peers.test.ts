// certscan's verdicts against the verdicts zlint and pkilint assert on their own test
// certificates (test/fixtures/peers/*/EXPECTED.tsv). Deliberate differences are listed here with
// the reason, and in the README's check table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { checkInput, runCheck, type RunStatus } from '../../src/checks/run.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { FIXTURES, ROOT, fixtureCertificate, tempDir } from '../helpers.js';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { ISSUANCE_SCHEMA } from '../../src/demo/demo_db.js';
import { listCertificateFiles, readCertificateFile } from '../../src/sources/cert_files.js';
import type { ScanSummary } from '../../src/reports/summary.js';

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
  // RFC 5280 4.1.2.5's DER forms of the validity times, one certscan check for all of them.
  e_utc_time_does_not_include_seconds: 'e_validity_time_not_der',
  e_utc_time_not_in_zulu: 'e_validity_time_not_der',
  e_generalized_time_not_in_zulu: 'e_validity_time_not_der',
  e_wrong_time_format_pre2050: 'e_validity_time_not_der',
};

/**
 * Rows where certscan deliberately gives another verdict: file + lint -> [certscan's verdict, why].
 * Each reason is stated in the README's "Differences from zlint and pkilint".
 */
const ZLINT_DIFFERENCES: Readonly<Record<string, [RunStatus, string]>> = {
  'indivValGoodAllFields.pem e_cert_policy_ov_requires_country': ['pass', 'certscan has one C-required check for OV, IV and EV; zlint has one lint per type, NA for the others'],
  'ivCaWithNoCountry.pem e_cert_policy_iv_requires_country': ['error', 'a CA certificate without C: BR 7.1.2.10.2 requires C in CA certificates (zlint reports it as e_ca_country_name_missing); certscan has one C-required check'],
  'smime/subject_country_name_invalid.pem e_subject_country_name': ['error', 'C=ZZ is not an ISO 3166-1 code in any certificate (X.520 / RFC 5280 App. A); zlint\'s S/MIME lint does not apply to mailbox-validated certificates'],
};

/** zlint rows whose lint is split across two certscan checks: file -> [check, verdict]. */
const ZLINT_SPLIT_ROWS: ReadonlyArray<[string, string, string, RunStatus]> = [
  // e_cs_subject_country_name = C missing or not ISO 3166
  ['code_signing/validCodeSigningCertificate.pem', 'e_cs_subject_country_name', 'e_subject_country_not_iso3166', 'pass'],
  ['code_signing/no_country_name_in_subject.pem', 'e_cs_subject_country_name', 'e_subject_country_missing', 'error'],
  ['code_signing/non_iso_country_name_in_subject.pem', 'e_cs_subject_country_name', 'e_subject_country_not_iso3166', 'error'],
  ['code_signing/only_meta_data_in_country_name.pem', 'e_cs_subject_country_name', 'e_subject_country_not_iso3166', 'error'],
  ['code_signing/valid_ev_code_signing.pem', 'e_cs_subject_country_name', 'e_subject_country_not_iso3166', 'pass'],
  // e_subject_country_name (S/MIME org/individual validated) = C not ISO 3166 (XX allowed)
  ['smime/organizationValidatedWithInvalidCountry.pem', 'e_subject_country_name', 'e_subject_country_not_iso3166', 'error'],
  ['smime/individualValidatedWithValidCountry.pem', 'e_subject_country_name', 'e_subject_country_not_iso3166', 'pass'],
  ['smime/individualValidatedWithXXCodeInCountry.pem', 'e_subject_country_name', 'e_subject_country_not_iso3166', 'pass'],
  ['smime/subject_country_name_valid.pem', 'e_subject_country_name', 'e_subject_country_not_iso3166', 'pass'],
  // e_subject_rdns_correct_encoding, the countryName / jurisdictionCountryName rows
  ['subjectCWrongEncoding.pem', 'e_subject_rdns_correct_encoding', 'e_subject_country_not_printable_string', 'error'],
  ['subjectjurCWrongEncoding.pem', 'e_subject_rdns_correct_encoding', 'e_subject_country_not_printable_string', 'error'],
  ['subjectCCorrectEncoding.pem', 'e_subject_rdns_correct_encoding', 'e_subject_country_not_printable_string', 'pass'],
  ['subjectjurCCorrectEncoding.pem', 'e_subject_rdns_correct_encoding', 'e_subject_country_not_printable_string', 'pass'],
  // e_duplicate_subject_attribs, the countryName rows
  ['dupl_subj_attrs_ok_01.pem', 'e_duplicate_subject_attribs', 'e_subject_country_multiple', 'pass'],
  ['dupl_subj_attrs_ko_02.pem', 'e_duplicate_subject_attribs', 'e_subject_country_multiple', 'error'],
];

/**
 * Lints of which certscan checks a part (the country attributes): their rows about other attributes
 * are outside certscan's checks, for the reason given (README, "Differences from zlint and pkilint").
 */
const ZLINT_BEYOND_CERTSCAN: Readonly<Record<string, string>> = {
  e_subject_rdns_correct_encoding: 'certscan checks the encoding of countryName and jurisdictionCountryName only; the other attributes\' encodings (BR 7.1.4.1, SC62) are left to zlint and pkilint',
  e_duplicate_subject_attribs: 'certscan checks duplicate countryName only (e_subject_country_multiple); other duplicate attributes are left to zlint and pkilint',
};

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

/** Rows linted under a zlint configuration certscan does not have (a cross-signed CA exemption). */
const isConfigRow = (row: ZlintRow) => /config|CrossSignedCa/.test(row.special);

/** pass / NA / NE versus error: the comparison that matters between a linter's verdict and ours. */
const isError = (status: string) => status === 'error';

describe('agreement with zlint', () => {
  const mapped = zlintRows.filter((row) => ZLINT_COUNTERPARTS[row.lint] && !isConfigRow(row));

  it('covers the country lints of the fixture set', () => {
    expect(mapped.length).toBeGreaterThanOrEqual(40);
  });

  it.each(mapped.map((row) => [`${row.file} ${row.lint} -> ${ZLINT_COUNTERPARTS[row.lint]}`, row] as const))('%s', (_label, row) => {
    const ours = verdict(`peers/zlint/${row.file}`, ZLINT_COUNTERPARTS[row.lint]!);
    const difference = ZLINT_DIFFERENCES[`${row.file} ${row.lint}`];
    if (difference) return expect(ours).toBe(difference[0]);
    expect(isError(ours), `zlint says ${row.expected}, certscan ${ours}`).toBe(isError(row.expected));
    // A rule not yet in effect at issuance is NE for both: the effective dates agree.
    if (row.expected === 'NE') expect(ours).toBe('NE');
  });

  it.each(ZLINT_SPLIT_ROWS.map((row) => [`${row[0]} ${row[1]} -> ${row[2]}`, row] as const))('%s', (_label, [file, lint, check, expected]) => {
    const zlint = zlintRows.find((row) => row.file === file && row.lint === lint);
    expect(zlint, 'the row is in EXPECTED.tsv').toBeDefined();
    expect(verdict(`peers/zlint/${file}`, check)).toBe(expected);
    const difference = ZLINT_DIFFERENCES[`${file} ${lint}`];
    expect(isError(expected)).toBe(isError(difference ? difference[0] : zlint!.expected));
  });

  it('accounts for every test of every counterpart lint: compared, split, zlint-configured, or beyond certscan with a reason', () => {
    const split = new Set(ZLINT_SPLIT_ROWS.map(([file, lint]) => `${file} ${lint}`));
    const splitLints = new Set(ZLINT_SPLIT_ROWS.map(([, lint]) => lint));
    const unaccounted = zlintRows.filter(
      (row) =>
        row.expected !== 'unasserted' &&
        !ZLINT_COUNTERPARTS[row.lint] &&
        !isConfigRow(row) &&
        !split.has(`${row.file} ${row.lint}`) &&
        !(splitLints.has(row.lint) && ZLINT_BEYOND_CERTSCAN[row.lint]) &&
        !ZLINT_DIFFERENCES[`${row.file} ${row.lint}`],
    );
    // Rows of lints certscan has no counterpart for stay in EXPECTED.tsv as zlint's record; none
    // of a counterpart lint may be left out.
    const counterpartLints = new Set([...Object.keys(ZLINT_COUNTERPARTS), ...splitLints]);
    expect(unaccounted.filter((row) => counterpartLints.has(row.lint))).toEqual([]);
  });
});

describe('a scan of the zlint fixture folder, as a new user runs it', () => {
  const dir = tempDir();
  const emptyDb = join(dir, 'empty.sqlite');
  const out = join(dir, 'out');
  let result: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    const db = new Database(emptyDb);
    db.exec(ISSUANCE_SCHEMA);
    db.close();
    result = spawnSync(process.execPath, [join(ROOT, 'dist/src/cli.js'), 'scan', '--pem', join(FIXTURES, 'peers/zlint'), '--db', emptyDb, '--out', out, '--workers', '2'], { encoding: 'utf8' });
  });

  it('needs no --issuer, scans every certificate, crashes on none and exits 1', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as ScanSummary;
    const certificates = listCertificateFiles(join(FIXTURES, 'peers/zlint')).reduce((total, file) => total + readCertificateFile(file).entries.length, 0);
    expect(certificates).toBeGreaterThan(100);
    expect(summary.logEntries).toMatchObject({ read: certificates, ownIssuers: certificates, otherIssuers: 0, issuerFilter: false });
    expect(summary.certificatesScanned).toBe(certificates);
    expect(summary.inputProblems).toBe(0);
  });

  it("reports, certificate by certificate, what zlint's counterpart lints assert", () => {
    const findings = parse(readFileSync(join(out, 'findings.csv')), { columns: true }) as Array<Record<string, string>>;
    const checksOf = (file: string) => new Set(findings.filter((row) => row.log_origin === join(FIXTURES, 'peers/zlint', file) && row.severity === 'error').map((row) => row.check));
    const compared = mapped().filter((row) => !isConfigRow(row));
    expect(compared.length).toBeGreaterThanOrEqual(40);
    for (const row of compared) {
      const difference = ZLINT_DIFFERENCES[`${row.file} ${row.lint}`];
      const expectedError = isError(difference ? difference[0] : row.expected);
      expect(checksOf(row.file).has(ZLINT_COUNTERPARTS[row.lint]!), `${row.file}: ${row.lint} ${row.expected}`).toBe(expectedError);
    }
  });

  function mapped(): ZlintRow[] {
    return zlintRows.filter((row) => ZLINT_COUNTERPARTS[row.lint]);
  }
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
