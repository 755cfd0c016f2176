import { ATTRIBUTE } from '../decode/oids.js';
import { countries, hasCountryAttributes, jurisdictionCountries, valuesOfType } from './subject.js';
import { isAcceptedCountryCode, upperCaseCountry } from './country_codes.js';
import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';

/**
 * Each subject countryName and jurisdictionCountryName must be an ISO 3166-1 alpha-2 code or XX.
 * Compared after upper-casing, as zlint does: a lowercase code is e_subject_country_not_uppercase.
 */
export default defineCheck({
  name: 'e_subject_country_not_iso3166',
  description: 'Subject countryName or jurisdictionCountryName is not an ISO 3166-1 alpha-2 code (XX allowed)',
  citation: 'BR 7.1.2.7.4 (BR 1.x: 7.1.4.2.2(h)) countryName; EVG 9.2.4 jurisdictionCountryName: ISO 3166-1 code, or XX',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: ({ byType }) => hasCountryAttributes(byType),
  execute: ({ byType }) => {
    let allAccepted = true;
    for (const attribute of countries(byType)) if (!isAcceptedCountryCode(upperCaseCountry(attribute.value))) allAccepted = false;
    for (const attribute of jurisdictionCountries(byType)) if (!isAcceptedCountryCode(upperCaseCountry(attribute.value))) allAccepted = false;
    if (allAccepted) return PASS;
    const bad = [
      ...valuesOfType(byType, ATTRIBUTE.countryName).map((value) => ['C', value] as const),
      ...valuesOfType(byType, ATTRIBUTE.jurisdictionCountryName).map((value) => ['jurisdictionC', value] as const),
    ].filter(([, value]) => !isAcceptedCountryCode(value.toUpperCase()));
    if (bad.length === 0) return PASS;
    return { status: 'error', detail: bad.map(([label, value]) => `${label}=${JSON.stringify(value)} is not an ISO 3166-1 alpha-2 code`).join('; ') };
  },
});
