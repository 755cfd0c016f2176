import countries from 'i18n-iso-countries';
import { ATTRIBUTE } from '../decode/oids.js';
import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';
import { countries as countryAttributes } from './subject.js';
import { normalizeCountry } from './country_codes.js';
import { normalizeText } from './subject.js';

/**
 * A country that leaked into another attribute: "Tokyo, C=JP" in stateOrProvinceName (a real 2025
 * certificate that zlint and pkilint both passed), or stateOrProvinceName / localityName naming a
 * country other than the subject's own. City-states (L=Singapore, C=SG) are not flagged.
 */
const DN_FRAGMENT = /(^|[\s,;/+])(C|countryName)\s*=\s*[A-Za-z]{2}\b/u;
const REPEATED_COUNTRY = /,\s*([A-Z]{2})\s*$/u;

/** English country names (official and common forms), lower case, to their alpha-2 codes. */
const COUNTRY_BY_NAME = new Map<string, string>(
  Object.entries(countries.getNames('en', { select: 'all' })).flatMap(([code, names]) => names.map((name) => [name.toLowerCase(), code] as [string, string])),
);

function countryNamed(value: string): string | undefined {
  return COUNTRY_BY_NAME.get(normalizeText(value).toLowerCase());
}

export default defineCheck({
  name: 'w_subject_attribute_contains_country',
  description: 'A country code or country name appears inside another subject attribute (e.g. ST="Tokyo, C=JP")',
  citation: 'BR 7.1.2.7.4 (BR 1.x 7.1.4.2.2(e)-(f)): localityName / stateOrProvinceName hold the verified locality / state only; the country belongs in countryName',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: ({ certificate, byType }) =>
    certificate.subject.some((attribute) => attribute.oid !== ATTRIBUTE.countryName && attribute.oid !== ATTRIBUTE.jurisdictionCountryName),
  execute: ({ certificate, byType }) => {
    const own = new Set(countryAttributes(byType).map((attribute) => normalizeCountry(attribute.value)));
    const problems: string[] = [];
    for (const attribute of certificate.subject) {
      if (attribute.oid === ATTRIBUTE.countryName || attribute.oid === ATTRIBUTE.jurisdictionCountryName) continue;
      if (DN_FRAGMENT.test(attribute.value)) {
        problems.push(`${attribute.label}=${JSON.stringify(attribute.value)} contains a countryName fragment`);
        continue;
      }
      if (attribute.oid !== ATTRIBUTE.stateOrProvinceName && attribute.oid !== ATTRIBUTE.localityName) continue;
      const trailing = REPEATED_COUNTRY.exec(attribute.value)?.[1];
      if (trailing && countries.isValid(trailing)) {
        problems.push(`${attribute.label}=${JSON.stringify(attribute.value)} ends with the country code ${trailing}`);
        continue;
      }
      const named = countryNamed(attribute.value);
      if (named && !own.has(named)) problems.push(`${attribute.label}=${JSON.stringify(attribute.value)} names the country ${named}`);
    }
    if (problems.length === 0) return PASS;
    return { status: 'warn', detail: problems.join('; ') };
  },
});
