import countries from 'i18n-iso-countries';
import { ATTRIBUTE } from '../decode/oids.js';
import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';
import { countries as countryAttributes } from './subject.js';
import { normalizeCountry } from './country_codes.js';
import { isPlainAscii, normalizeText, shapeOf, type AttributesByType } from './subject.js';

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

/**
 * Places named like a country, by the country they lie in (issue 11: a real value of one attribute
 * is not a leak of another): ST=Georgia with C=US is the state, not GE; ST=Luxembourg with C=BE is
 * the Belgian province; ST=Niger with C=NG is Niger State; L=Armenia with C=CO is the city in
 * Quindío; and US towns such as Lebanon (NH, PA, OH, ...), Peru (IN), Mexico (MO), Jordan (MN),
 * Cuba (NY), Poland (ME), Norway (ME), Denmark (SC), China (ME), Brazil (IN), Angola (IN),
 * Palestine (TX) and Jamaica (NY).
 */
const PLACES_NAMED_LIKE_COUNTRIES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['US', new Set(['georgia', 'lebanon', 'peru', 'mexico', 'jordan', 'cuba', 'poland', 'norway', 'denmark', 'china', 'brazil', 'angola', 'palestine', 'jamaica'])],
  ['BE', new Set(['luxembourg'])],
  ['NG', new Set(['niger'])],
  ['CO', new Set(['armenia'])],
]);

function isPlaceOfCountry(value: string, ownCountries: readonly string[]): boolean {
  const name = normalizeText(value).toLowerCase();
  return ownCountries.some((country) => PLACES_NAMED_LIKE_COUNTRIES.get(country)?.has(name) === true);
}

/** The subject's countryName values, normalized (only asked for when a value looks like a leak). */
function ownCountries(byType: AttributesByType): string[] {
  return countryAttributes(byType).map((own) => normalizeCountry(own.value));
}

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
      // "Zurich, CH" repeats the country. "Los Angeles, CA" with C=US names California, not
      // Canada: a code other than the subject's own is taken for a subdivision's.
      const trailing = value.includes(',') ? REPEATED_COUNTRY.exec(value)?.[1] : undefined;
      if (trailing && countries.isValid(trailing)) {
        const own = ownCountries(byType);
        if (own.length === 0 || own.includes(trailing)) {
          (problems ??= []).push(`${attribute.label}=${JSON.stringify(value)} ends with the country code ${trailing}`);
          continue;
        }
      }
      const named = countryNamed(value);
      if (named) {
        const own = ownCountries(byType);
        if (!own.includes(named) && !isPlaceOfCountry(value, own)) (problems ??= []).push(`${attribute.label}=${JSON.stringify(value)} names the country ${named}`);
      }
    }
    if (problems === null) return PASS;
    return { status: 'warn', detail: problems.join('; ') };
  },
});
