import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';
import { ATTRIBUTE } from '../decode/oids.js';
import { isPlainAscii, normalizeText } from './subject.js';

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
/** Lengths a placeholder can have, per extra-value set (a value of another length cannot equal one). */
const BUILT_IN_LENGTHS = new Set(BUILT_IN.map((value) => value.length));
let lastExtra: { values: ReadonlySet<string>; lengths: ReadonlySet<number> } | null = null;

function lengthsOf(extra: ReadonlySet<string>): ReadonlySet<number> {
  // One scan has one set of extra values: remembered, not looked up per attribute.
  if (lastExtra?.values !== extra) lastExtra = { values: extra, lengths: new Set([...BUILT_IN_LENGTHS, ...[...extra].map((value) => value.length)]) };
  return lastExtra.lengths;
}

const ALPHANUMERIC = /[A-Za-z0-9]/;

export function isPlaceholder(value: string, extra: ReadonlySet<string>): boolean {
  // The common case: plain ASCII (already in normal form) with a letter or digit is not
  // metadata-only, and lower-casing keeps its length; of a length no placeholder has, it is none.
  if (isPlainAscii(value) && ALPHANUMERIC.test(value)) {
    if (!lengthsOf(extra).has(value.length)) return false;
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
    const bad = certificate.subject.filter((attribute) => {
      // An empty C is e_subject_country_missing / not_iso3166's; XX is a defined code.
      if (attribute.oid === ATTRIBUTE.countryName || attribute.oid === ATTRIBUTE.jurisdictionCountryName) return attribute.value !== '' && isPlaceholder(attribute.value, context.placeholderValues) && attribute.value.toUpperCase() !== 'XX';
      return isPlaceholder(attribute.value, context.placeholderValues);
    });
    if (bad.length === 0) return PASS;
    return { status: 'error', detail: bad.map((attribute) => `${attribute.label}=${JSON.stringify(attribute.value)}`).join('; ') };
  },
});
