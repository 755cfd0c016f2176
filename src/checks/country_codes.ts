// ISO 3166-1 alpha-2 as the Baseline Requirements accept it.
import countries from 'i18n-iso-countries';

/**
 * i18n-iso-countries lists the officially assigned codes plus XK (Kosovo). XK is a user-assigned
 * code, not an ISO 3166-1 assignment; the BRs allow exactly one user-assigned code, XX, so XK is
 * rejected like any other user-assigned code. Withdrawn codes (AN, CS, ...) are not in the list.
 */
const OFFICIAL = new Set(Object.keys(countries.getAlpha2Codes()).filter((code) => code !== 'XK'));

/** BR 7.1.4.2.2(h) / 7.1.2.7.4: "XX" when the subject is not associated with a country. */
export const NO_COUNTRY = 'XX';

/**
 * The accepted codes of two upper-case letters, by (first - 'A') * 26 + (second - 'A'): most
 * codes are such, decoded afresh for each certificate, and an index costs less than hashing the
 * string for the set.
 */
const ACCEPTED_BY_LETTERS = new Uint8Array(26 * 26);
for (const code of [...OFFICIAL, NO_COUNTRY]) if (isTwoUpperCaseLetters(code)) ACCEPTED_BY_LETTERS[lettersIndex(code)] = 1;

function lettersIndex(code: string): number {
  return (code.charCodeAt(0) - 0x41) * 26 + (code.charCodeAt(1) - 0x41);
}

export function isAcceptedCountryCode(code: string): boolean {
  if (isTwoUpperCaseLetters(code)) return ACCEPTED_BY_LETTERS[lettersIndex(code)] === 1;
  return code === NO_COUNTRY || OFFICIAL.has(code);
}

/** Two upper-case ASCII letters: already a code's normal form (most are; trim and toUpperCase cost 30 ns a call). */
function isTwoUpperCaseLetters(code: string): boolean {
  if (code.length !== 2) return false;
  const first = code.charCodeAt(0);
  const second = code.charCodeAt(1);
  return first >= 0x41 && first <= 0x5a && second >= 0x41 && second <= 0x5a;
}

/** A country value in upper case, as the comparisons take it. */
export function upperCaseCountry(code: string): string {
  return isTwoUpperCaseLetters(code) ? code : code.toUpperCase();
}

export function normalizeCountry(code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return isTwoUpperCaseLetters(code) ? code : code.trim().toUpperCase();
}
