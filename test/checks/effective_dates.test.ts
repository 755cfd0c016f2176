// Checks take effect with the rules they enforce (compared with zlint's dates): the
// organizationIdentifier checks with EVG 9.2.8 from 2020-01-31 (EVG 1.7.0), and for S/MIME
// certificates with the S/MIME BRs' Appendix A.1 from 2023-09-01; the countryName encoding with
// RFC 2459 from 1999-01-01. (e_subject_country_missing: test/checks/country_missing.test.ts.)
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checks/run.js';
import orgIdCountryInvalid from '../../src/checks/e_subject_org_identifier_country_invalid.js';
import orgIdCountryMismatch from '../../src/checks/e_subject_org_identifier_country_mismatch.js';
import countryNotPrintableString from '../../src/checks/e_subject_country_not_printable_string.js';
import { ATTRIBUTE, POLICY } from '../../src/decode/oids.js';
import type { NameAttributeSpec } from '../../src/demo/der.js';
import { NO_SETTINGS, inputWithSubject } from './subject_certificate.js';

const printable = (oid: string, value: string): NameAttributeSpec => ({ oid, value, type: 'PrintableString' });
const ORG_ID = (value: string): NameAttributeSpec => ({ oid: ATTRIBUTE.organizationIdentifier, value });
const O: NameAttributeSpec = { oid: ATTRIBUTE.organizationName, value: 'Example SE' };
/** S/MIME BR organization-validated multipurpose (2.23.140.1.5.2.2). */
const SMIME_ORGANIZATION = '2.23.140.1.5.2.2';

describe('organizationIdentifier checks, each from the date of its rule', () => {
  const ev = [printable(ATTRIBUTE.countryName, 'DE'), printable(ATTRIBUTE.jurisdictionCountryName, 'DE'), O, ORG_ID('VATFR-123456789')];

  it('EV: the mismatch is NE the day before EVG 1.7.0 (2020-01-31), an error on it', () => {
    expect(runCheck(orgIdCountryMismatch, inputWithSubject(ev, '2020-01-30T23:59:59Z', [POLICY.EV]), NO_SETTINGS).status).toBe('NE');
    expect(runCheck(orgIdCountryMismatch, inputWithSubject(ev, '2020-01-31T00:00:00Z', [POLICY.EV]), NO_SETTINGS)).toEqual({
      check: 'e_subject_org_identifier_country_mismatch',
      status: 'error',
      detail: 'organizationIdentifier "VATFR-123456789" names FR but jurisdictionC=DE',
    });
  });

  it('EV: an invalid scheme country is NE before 2020-01-31, an error on it', () => {
    const invalid = [printable(ATTRIBUTE.countryName, 'FR'), printable(ATTRIBUTE.jurisdictionCountryName, 'FR'), O, ORG_ID('VATZZ-1')];
    expect(runCheck(orgIdCountryInvalid, inputWithSubject(invalid, '2020-01-30T12:00:00Z', [POLICY.EV]), NO_SETTINGS).status).toBe('NE');
    expect(runCheck(orgIdCountryInvalid, inputWithSubject(invalid, '2020-01-31T00:00:00Z', [POLICY.EV]), NO_SETTINGS).status).toBe('error');
  });

  it('S/MIME: the mismatch is NE before the S/MIME BRs (2023-09-01), an error on that day', () => {
    const smime = [printable(ATTRIBUTE.countryName, 'JP'), O, ORG_ID('NTRUS+PA-1234')];
    expect(runCheck(orgIdCountryMismatch, inputWithSubject(smime, '2023-08-31T23:59:59Z', [SMIME_ORGANIZATION]), NO_SETTINGS).status).toBe('NE');
    expect(runCheck(orgIdCountryMismatch, inputWithSubject(smime, '2023-09-01T00:00:00Z', [SMIME_ORGANIZATION]), NO_SETTINGS).status).toBe('error');
  });

  it('between the two dates: an EV certificate with an S/MIME policy too and a TLS OV one take the EVG date; S/MIME beside a TLS policy takes the S/MIME date', () => {
    const subject = [printable(ATTRIBUTE.countryName, 'JP'), O, ORG_ID('NTRUS+PA-1234')];
    const status = (policies: string[]) => runCheck(orgIdCountryMismatch, inputWithSubject(subject, '2022-06-01T00:00:00Z', policies), NO_SETTINGS).status;
    expect(status([POLICY.EV, SMIME_ORGANIZATION])).toBe('error');
    expect(status([POLICY.OV])).toBe('error');
    expect(status([POLICY.OV, SMIME_ORGANIZATION])).toBe('NE');
    expect(status([SMIME_ORGANIZATION])).toBe('NE');
  });

  it('S/MIME: C=us and NTRUS name the same country (the case is e_subject_country_not_uppercase)', () => {
    const smime = [printable(ATTRIBUTE.countryName, 'us'), O, ORG_ID('NTRUS+PA-1234')];
    expect(runCheck(orgIdCountryMismatch, inputWithSubject(smime, '2023-09-01T00:00:00Z', [SMIME_ORGANIZATION]), NO_SETTINGS).status).toBe('pass');
  });
});

describe('e_subject_country_not_printable_string from RFC 2459 (1999-01-01)', () => {
  const utf8Country: NameAttributeSpec[] = [{ oid: ATTRIBUTE.countryName, value: 'US', type: 'UTF8String' }, O];
  it('NE on 1998-12-31, an error on 1999-01-01', () => {
    expect(runCheck(countryNotPrintableString, inputWithSubject(utf8Country, '1998-12-31T23:59:59Z'), NO_SETTINGS).status).toBe('NE');
    expect(runCheck(countryNotPrintableString, inputWithSubject(utf8Country, '1999-01-01T00:00:00Z'), NO_SETTINGS)).toEqual({
      check: 'e_subject_country_not_printable_string',
      status: 'error',
      detail: 'C is a UTF8String',
    });
  });
});
