import { isIP } from 'node:net';
import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';
import { ATTRIBUTE } from '../decode/oids.js';
import { attributesOf, normalizeText, shapeOf, type AttributesByType } from './subject.js';
import { isAcceptedCountryCode, normalizeCountry, upperCaseCountry } from './country_codes.js';
import type { NameAttribute } from '../decode/types.js';

/**
 * Values that say "absent" rather than naming anything: metadata-only text ('.', '-', ' '), the
 * defaults of OpenSSL's config ('Some-State', 'Default City', 'Internet Widgits Pty Ltd'), and
 * the like; plus the values a CA lists in checks.placeholderValues. Compared case-insensitively
 * after white-space folding. A value that is real for its attribute (an assigned country code such
 * as NA for Namibia, XX, see isRealValue) is not a placeholder there.
 */
export const BUILT_IN = [
  'n/a', 'na', 'n.a.', 'none', 'null', 'nil', 'unknown', 'not applicable', 'not available', 'tbd', 'tba', 'test', 'default',
  'some-state', 'some state', 'default city', 'default company ltd', 'internet widgits pty ltd', 'my company', 'example', 'changeme',
];
export const METADATA_ONLY = /^[\s.\-_*?/\\,;:#'"]*$/u;

const BUILT_IN_SET = new Set(BUILT_IN);

// A value of no placeholder's shape is none, and needs no lower-cased copy.
const BUILT_IN_SHAPES = new Set(BUILT_IN.map(shapeOf));
/** The placeholders' shapes and their greatest length (a longer plain-ASCII value is none: most CNs). */
interface Shapes {
  values: ReadonlySet<string>;
  shapes: ReadonlySet<number>;
  longest: number;
}
let lastExtra: Shapes | null = null;

function shapesOf(extra: ReadonlySet<string>): Shapes {
  // One scan has one set of extra values: remembered, not looked up per attribute.
  if (lastExtra?.values !== extra) {
    const all = [...BUILT_IN, ...extra];
    lastExtra = { values: extra, shapes: new Set([...BUILT_IN_SHAPES, ...[...extra].map(shapeOf)]), longest: Math.max(...all.map((value) => value.length)) };
  }
  return lastExtra;
}

/** Whether a value is plain ASCII (see isPlainAscii) with a letter or digit: one pass. */
function isPlainAsciiWord(value: string): boolean {
  let previousSpace = true;
  let word = false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) return false;
    const space = code === 0x20;
    if (space && previousSpace) return false;
    previousSpace = space;
    const lower = code | 0x20;
    if ((lower >= 0x61 && lower <= 0x7a) || (lower >= 0x30 && lower <= 0x39)) word = true;
  }
  // A word is not empty, and then plain ASCII asks only that it not end in a space.
  return word && !previousSpace;
}

export function isPlaceholder(value: string, extra: ReadonlySet<string>): boolean {
  // The common case: plain ASCII (already in normal form) with a letter or digit is not
  // metadata-only, and lower-casing keeps its length and shape; of a shape no placeholder has,
  // it is none.
  if (isPlainAsciiWord(value)) {
    const known = shapesOf(extra);
    if (value.length > known.longest || !known.shapes.has(shapeOf(value))) return false;
    const lower = value.toLowerCase();
    return BUILT_IN_SET.has(lower) || extra.has(lower);
  }
  const folded = normalizeText(value).toLowerCase();
  return METADATA_ONLY.test(folded) || BUILT_IN_SET.has(folded) || extra.has(folded);
}

/**
 * Placeholder words that are real values of one attribute (issue 11: C=NA is Namibia, not "n/a").
 * Each entry says where the word is a real value; there it is never reported as filler.
 */
/** Given names and surnames: Na (Korean surname 나, Chinese given name as in Li Na), Nil (Turkish given name), Null (a surname). */
const PERSONAL_NAMES = new Set(['na', 'nil', 'null']);
/**
 * ISO 3166-2 subdivision codes that spell a placeholder word, with the countries they belong to:
 * ST=NA with C=IT is Napoli (IT-NA), with C=ES Navarra (ES-NA), with C=NG Nasarawa (NG-NA).
 */
const SUBDIVISION_CODES: ReadonlyMap<string, ReadonlySet<string>> = new Map([['NA', new Set(['IT', 'ES', 'NG'])]]);

/** The first value of a country attribute, normalized ('' when there is none). */
function countryOf(byType: AttributesByType, oid: string): string {
  return normalizeCountry(attributesOf(byType, oid)[0]?.value);
}

/** Whether a value that reads as a placeholder is in fact a real value of its attribute. */
function isRealValue(attribute: NameAttribute, byType: AttributesByType): boolean {
  switch (attribute.oid) {
    case ATTRIBUTE.countryName:
    case ATTRIBUTE.jurisdictionCountryName:
      // Any assigned ISO 3166-1 code (compared in upper case, as the ISO check does; case is
      // e_subject_country_not_uppercase's business), and XX, which the BRs define.
      return isAcceptedCountryCode(upperCaseCountry(attribute.value));
    case ATTRIBUTE.givenName:
    case ATTRIBUTE.surname:
      return PERSONAL_NAMES.has(normalizeText(attribute.value).toLowerCase());
    case ATTRIBUTE.stateOrProvinceName:
    case ATTRIBUTE.jurisdictionStateOrProvinceName: {
      const countries = SUBDIVISION_CODES.get(upperCaseCountry(attribute.value));
      const country = countryOf(byType, attribute.oid === ATTRIBUTE.stateOrProvinceName ? ATTRIBUTE.countryName : ATTRIBUTE.jurisdictionCountryName);
      return countries !== undefined && countries.has(country);
    }
    case ATTRIBUTE.commonName:
      // "::" is metadata-only in shape, but it is an IPv6 address (the unspecified one), which a
      // CN may carry; whether that address may be certified is a question of IP rules, not filler.
      return isIP(attribute.value) !== 0;
    default:
      return false;
  }
}

export default defineCheck({
  name: 'e_subject_placeholder_value',
  description: 'A subject attribute holds a placeholder or metadata-only value (".", "-", "N/A", "Some-State", ...)',
  citation:
    'BR 1.x 7.1.4.2.2(j) and BR 2.x 7.1.4.3 (no metadata such as ".", "-" or " ", nor any other indication that a value is absent, incomplete or not applicable)',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: ({ certificate, byType }) => certificate.subject.length > 0,
  execute: ({ certificate, byType }, context) => {
    let bad: NameAttribute[] | null = null;
    for (const attribute of certificate.subject) {
      if (!isPlaceholder(attribute.value, context.placeholderValues) || isRealValue(attribute, byType)) continue;
      // An empty C is e_subject_country_missing / not_iso3166's.
      const isCountry = attribute.oid === ATTRIBUTE.countryName || attribute.oid === ATTRIBUTE.jurisdictionCountryName;
      if (isCountry && attribute.value === '') continue;
      (bad ??= []).push(attribute);
    }
    if (bad === null) return PASS;
    return { status: 'error', detail: bad.map((attribute) => `${attribute.label}=${JSON.stringify(attribute.value)}`).join('; ') };
  },
});
