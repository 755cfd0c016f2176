import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';
import { ATTRIBUTE } from '../decode/oids.js';
import { isPlainAscii, normalizeText, shapeOf } from './subject.js';
import { isAcceptedCountryCode, upperCaseCountry } from './country_codes.js';
import type { NameAttribute } from '../decode/types.js';

/**
 * Values that say "absent" rather than naming anything: metadata-only text ('.', '-', ' '), the
 * defaults of OpenSSL's config ('Some-State', 'Default City', 'Internet Widgits Pty Ltd'), and
 * the like; plus the values a CA lists in checks.placeholderValues. Compared case-insensitively
 * after white-space folding. XX in countryName is not a placeholder: the BRs define it.
 */
const BUILT_IN = [
  'n/a', 'na', 'n.a.', 'none', 'null', 'nil', 'unknown', 'not applicable', 'not available', 'tbd', 'tba', 'test', 'default',
  'some-state', 'some state', 'default city', 'default company ltd', 'internet widgits pty ltd', 'my company', 'example', 'changeme',
];
const METADATA_ONLY = /^[\s.\-_*?/\\,;:#'"]*$/u;

const BUILT_IN_SET = new Set(BUILT_IN);

// A value of no placeholder's shape is none, and needs no lower-cased copy.
const BUILT_IN_SHAPES = new Set(BUILT_IN.map(shapeOf));
let lastExtra: { values: ReadonlySet<string>; shapes: ReadonlySet<number> } | null = null;

function shapesOf(extra: ReadonlySet<string>): ReadonlySet<number> {
  // One scan has one set of extra values: remembered, not looked up per attribute.
  if (lastExtra?.values !== extra) lastExtra = { values: extra, shapes: new Set([...BUILT_IN_SHAPES, ...[...extra].map(shapeOf)]) };
  return lastExtra.shapes;
}

/** Whether a value is plain ASCII (see isPlainAscii) with a letter or digit. */
function isPlainAsciiWord(value: string): boolean {
  if (!isPlainAscii(value)) return false;
  for (let index = 0; index < value.length; index++) {
    const lower = value.charCodeAt(index) | 0x20;
    if ((lower >= 0x61 && lower <= 0x7a) || (lower >= 0x30 && lower <= 0x39)) return true;
  }
  return false;
}

export function isPlaceholder(value: string, extra: ReadonlySet<string>): boolean {
  // The common case: plain ASCII (already in normal form) with a letter or digit is not
  // metadata-only, and lower-casing keeps its length and shape; of a shape no placeholder has,
  // it is none.
  if (isPlainAsciiWord(value)) {
    if (!shapesOf(extra).has(shapeOf(value))) return false;
    const lower = value.toLowerCase();
    return BUILT_IN_SET.has(lower) || extra.has(lower);
  }
  const folded = normalizeText(value).toLowerCase();
  return METADATA_ONLY.test(folded) || BUILT_IN_SET.has(folded) || extra.has(folded);
}

export default defineCheck({
  name: 'e_subject_placeholder_value',
  description: 'A subject attribute holds a placeholder or metadata-only value (".", "-", "N/A", "Some-State", ...)',
  citation:
    'BR 1.x 7.1.4.2.2(j) and BR 2.x 7.1.4.3 (no metadata such as ".", "-" or " ", nor any other indication that a value is absent, incomplete or not applicable)',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: ({ certificate, byType }) => certificate.subject.length > 0,
  execute: ({ certificate }, context) => {
    let bad: NameAttribute[] | null = null;
    for (const attribute of certificate.subject) {
      const isCountry = attribute.oid === ATTRIBUTE.countryName || attribute.oid === ATTRIBUTE.jurisdictionCountryName;
      // An empty C is e_subject_country_missing / not_iso3166's; an accepted code (XX, and NA:
      // Namibia, though "na" is a placeholder elsewhere) is none.
      const placeholder = isCountry
        ? attribute.value !== '' && !isAcceptedCountryCode(upperCaseCountry(attribute.value)) && isPlaceholder(attribute.value, context.placeholderValues)
        : isPlaceholder(attribute.value, context.placeholderValues);
      if (placeholder) (bad ??= []).push(attribute);
    }
    if (bad === null) return PASS;
    return { status: 'error', detail: bad.map((attribute) => `${attribute.label}=${JSON.stringify(attribute.value)}`).join('; ') };
  },
});
