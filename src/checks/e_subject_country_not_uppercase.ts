import { defineCheck, BR_EFFECTIVE, PASS } from './types.js';
import { countryAttributesWhere, hasCountryAttributes } from './subject.js';
import type { NameAttribute } from '../decode/types.js';

const UPPER_CASE = /^[A-Z]*$/;
const notUpperCase = (attribute: NameAttribute) => !UPPER_CASE.test(attribute.value);

/** ISO 3166-1 alpha-2 codes are upper case; "de" or "Es" is not the code, whatever it means. */
export default defineCheck({
  name: 'e_subject_country_not_uppercase',
  description: 'Subject countryName or jurisdictionCountryName is not in upper case',
  citation: 'BR 7.1.2.7.4 (BR 1.x 7.1.4.2.2(h)): the two-letter ISO 3166-1 country code, which ISO 3166-1 defines in upper case',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: ({ byType }) => hasCountryAttributes(byType),
  execute: ({ byType }) => {
    const bad = countryAttributesWhere(byType, notUpperCase);
    if (bad.length === 0) return PASS;
    return { status: 'error', detail: bad.map((attribute) => `${attribute.label}=${JSON.stringify(attribute.value)} is not upper case`).join('; ') };
  },
});
