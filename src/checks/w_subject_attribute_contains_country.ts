import countries from 'i18n-iso-countries';
import { ATTRIBUTE } from '../decode/oids.js';
import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';
import { countries as countryAttributes } from './subject.js';
import { normalizeCountry } from './country_codes.js';
import { isPlainAscii, normalizeText, shapeOf } from './subject.js';

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

const COUNTRY_NAME_SHAPES = new Set([...COUNTRY_BY_NAME.keys()].map(shapeOf));

function countryNamed(value: string): string | undefined {
  // Most states and cities are no country: plain ASCII of no country name's shape is none.
  if (isPlainAscii(value) && !COUNTRY_NAME_SHAPES.has(shapeOf(value))) return undefined;
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
    let problems: string[] | null = null;
    for (const attribute of certificate.subject) {
      if (attribute.oid === ATTRIBUTE.countryName || attribute.oid === ATTRIBUTE.jurisdictionCountryName) continue;
      const value = attribute.value;
      // The regular expressions need an '=' or a ',': most values have neither.
      if (value.includes('=') && DN_FRAGMENT.test(value)) {
        (problems ??= []).push(`${attribute.label}=${JSON.stringify(value)} contains a countryName fragment`);
        continue;
      }
      if (attribute.oid !== ATTRIBUTE.stateOrProvinceName && attribute.oid !== ATTRIBUTE.localityName) continue;
      const trailing = value.includes(',') ? REPEATED_COUNTRY.exec(value)?.[1] : undefined;
      if (trailing && countries.isValid(trailing)) {
        (problems ??= []).push(`${attribute.label}=${JSON.stringify(value)} ends with the country code ${trailing}`);
        continue;
      }
      const named = countryNamed(value);
      if (named && !countryAttributes(byType).some((own) => normalizeCountry(own.value) === named)) {
        (problems ??= []).push(`${attribute.label}=${JSON.stringify(value)} names the country ${named}`);
      }
    }
    if (problems === null) return PASS;
    return { status: 'warn', detail: problems.join('; ') };
  },
});
