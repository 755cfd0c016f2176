import { defineCheck, PASS } from './types.js';
import { countries, countryAttributesWhere, hasCountryAttributes, jurisdictionCountries } from './subject.js';
import type { NameAttribute } from '../decode/types.js';

const notPrintableString = (attribute: NameAttribute) => attribute.stringType !== 'PrintableString';

function allPrintableStrings(attributes: readonly NameAttribute[]): boolean {
  for (const attribute of attributes) if (attribute.stringType !== 'PrintableString') return false;
  return true;
}

/** X520countryName (and EV jurisdictionCountryName) is PrintableString SIZE(2), nothing else. */
export default defineCheck({
  name: 'e_subject_country_not_printable_string',
  description: 'Subject countryName or jurisdictionCountryName is not encoded as PrintableString',
  citation:
    'RFC 5280 Appendix A.1 (X520countryName ::= PrintableString (SIZE (2))), the same in RFC 2459 Appendix A (January 1999), hence the effective date (zlint applies it with no date); EVG 9.2.4 jurisdictionCountryName; BR 7.1.4.2 (SC62) encoding table',
  source: 'RFC 5280',
  effectiveDate: '1999-01-01',
  appliesTo: ({ byType }) => hasCountryAttributes(byType),
  execute: ({ byType }) => {
    // The common pass in plain loops; the shared picker (and its callback) only for a finding.
    if (allPrintableStrings(countries(byType)) && allPrintableStrings(jurisdictionCountries(byType))) return PASS;
    const bad = countryAttributesWhere(byType, notPrintableString);
    if (bad.length === 0) return PASS;
    return { status: 'error', detail: bad.map((attribute) => `${attribute.label} is a ${attribute.stringType}`).join('; ') };
  },
});
