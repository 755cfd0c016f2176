import { defineCheck, BR_EFFECTIVE, PASS } from './types.js';
import { countries, countryAttributesWhere, hasCountryAttributes, jurisdictionCountries } from './subject.js';
import type { NameAttribute } from '../decode/types.js';

/** Only A-Z (or nothing): a loop, which costs less than a regular expression on two letters. */
function isUpperCase(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x41 || code > 0x5a) return false;
  }
  return true;
}

function allUpperCase(attributes: readonly NameAttribute[]): boolean {
  for (const attribute of attributes) if (!isUpperCase(attribute.value)) return false;
  return true;
}

const notUpperCase = (attribute: NameAttribute) => !isUpperCase(attribute.value);

/** ISO 3166-1 alpha-2 codes are upper case; "de" or "Es" is not the code, whatever it means. */
export default defineCheck({
  name: 'e_subject_country_not_uppercase',
  description: 'Subject countryName or jurisdictionCountryName is not in upper case',
  citation: 'BR 7.1.2.7.4 (BR 1.x 7.1.4.2.2(h)): the two-letter ISO 3166-1 country code, which ISO 3166-1 defines in upper case',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: ({ byType }) => hasCountryAttributes(byType),
  execute: ({ byType }) => {
    if (allUpperCase(countries(byType)) && allUpperCase(jurisdictionCountries(byType))) return PASS;
    const bad = countryAttributesWhere(byType, notUpperCase);
    if (bad.length === 0) return PASS;
    return { status: 'error', detail: bad.map((attribute) => `${attribute.label}=${JSON.stringify(attribute.value)} is not upper case`).join('; ') };
  },
});
