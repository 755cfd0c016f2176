import { normalizeCountry } from './country_codes.js';
import { defineCheck, PASS } from './types.js';
import { EVG_9_2_8_EFFECTIVE, GLOBAL_SCHEMES, SMIME_BR_EFFECTIVE, SMIME_POLICY_PREFIX, identifierCountry, orgIdentifiers } from './org_identifier.js';
import { countries, has, jurisdictionCountries } from './subject.js';
import { ATTRIBUTE } from '../decode/oids.js';

/**
 * The registration scheme's country must be the subject's: the jurisdiction of registration when
 * the certificate names one (EV), else countryName. Compared case-insensitively, like the other
 * country comparisons (case is e_subject_country_not_uppercase's business).
 */
export default defineCheck({
  name: 'e_subject_org_identifier_country_mismatch',
  description: 'The country inside organizationIdentifier differs from jurisdictionCountryName (or countryName)',
  citation:
    'EVG 9.2.8 (EVG 1.7 and 2.0): the Registration Scheme country matches the Jurisdiction of Registration, from 2020-01-31 (EVG 1.7.0); S/MIME BR Appendix A.1: matches subject:countryName, for S/MIME certificates from 2023-09-01 (S/MIME BR 1.0.0, as zlint dates it)',
  source: 'CABF EVG',
  effectiveDate: EVG_9_2_8_EFFECTIVE,
  // An S/MIME certificate (not EV) falls under the S/MIME BRs only, which took effect later.
  effectiveDateFor: ({ certificate }) =>
    certificate.validationType !== 'EV' && certificate.policyOids.some((oid) => oid.startsWith(SMIME_POLICY_PREFIX)) ? SMIME_BR_EFFECTIVE : EVG_9_2_8_EFFECTIVE,
  appliesTo: ({ byType }) =>
    has(byType, ATTRIBUTE.organizationIdentifier) &&
    orgIdentifiers(byType).some((id) => !GLOBAL_SCHEMES.has(id.scheme)) &&
    countries(byType).length + jurisdictionCountries(byType).length > 0,
  execute: ({ certificate, byType }) => {
    const jurisdiction = jurisdictionCountries(byType);
    const reference = (jurisdiction.length ? jurisdiction : countries(byType)).map((attribute) => normalizeCountry(attribute.value));
    const label = jurisdiction.length ? 'jurisdictionC' : 'C';
    const bad = orgIdentifiers(byType).filter((id) => {
      if (GLOBAL_SCHEMES.has(id.scheme)) return false;
      const country = identifierCountry(id) ?? normalizeCountry(id.country);
      return !reference.includes(country);
    });
    if (bad.length === 0) return PASS;
    return {
      status: 'error',
      detail: bad.map((id) => `organizationIdentifier ${JSON.stringify(id.raw)} names ${id.country} but ${label}=${reference.join(',')}`).join('; '),
    };
  },
});
