// Shared readers for the subject checks.
import { ATTRIBUTE } from '../decode/oids.js';
import type { CertificateFacts, NameAttribute } from '../decode/types.js';

const NONE: readonly NameAttribute[] = Object.freeze([]);

/** The subject's attributes grouped by type, in order: built once per certificate by the runner. */
export interface AttributesByType {
  get(oid: string): readonly NameAttribute[] | undefined;
  has(oid: string): boolean;
  /**
   * The OR of `bits`' values over the attribute types the subject has (types not in `bits` add
   * nothing): worked out on the first call, and again only when asked with another map.
   */
  maskOf(bits: ReadonlyMap<string, number>): number;
}

/**
 * A subject has a handful of attribute types, so parallel arrays searched in order beat a Map
 * here: this is built for every certificate. The arrays are sized to the subject up front (growing
 * from empty allocated room for 17 entries each).
 */
class SubjectIndex implements AttributesByType {
  private readonly oids: string[];
  private readonly lists: NameAttribute[][];
  private count = 0;
  private maskBits: ReadonlyMap<string, number> | null = null;
  private mask = 0;

  constructor(subject: readonly NameAttribute[]) {
    this.oids = new Array<string>(subject.length);
    this.lists = new Array<NameAttribute[]>(subject.length);
    for (const attribute of subject) {
      const at = this.indexOf(attribute.oid);
      if (at >= 0) this.lists[at]!.push(attribute);
      else {
        this.oids[this.count] = attribute.oid;
        this.lists[this.count++] = [attribute];
      }
    }
  }

  private indexOf(oid: string): number {
    for (let index = 0; index < this.count; index++) if (this.oids[index] === oid) return index;
    return -1;
  }

  get(oid: string): readonly NameAttribute[] | undefined {
    const at = this.indexOf(oid);
    return at >= 0 ? this.lists[at] : undefined;
  }

  has(oid: string): boolean {
    return this.indexOf(oid) >= 0;
  }

  maskOf(bits: ReadonlyMap<string, number>): number {
    if (bits !== this.maskBits) {
      let mask = 0;
      for (let index = 0; index < this.count; index++) mask |= bits.get(this.oids[index]!) ?? 0;
      this.mask = mask;
      this.maskBits = bits;
    }
    return this.mask;
  }
}

export function indexSubject(certificate: CertificateFacts): AttributesByType {
  return new SubjectIndex(certificate.subject);
}

export const attributesOf = (byType: AttributesByType, oid: string): readonly NameAttribute[] => byType.get(oid) ?? NONE;
export const countries = (byType: AttributesByType): readonly NameAttribute[] => attributesOf(byType, ATTRIBUTE.countryName);
export const jurisdictionCountries = (byType: AttributesByType): readonly NameAttribute[] => attributesOf(byType, ATTRIBUTE.jurisdictionCountryName);
/**
 * The countryName, then jurisdictionCountryName, attributes that `matches` picks; the shared
 * empty array when it picks none (the common case allocates nothing).
 */
export function countryAttributesWhere(byType: AttributesByType, matches: (attribute: NameAttribute) => boolean): readonly NameAttribute[] {
  let picked: NameAttribute[] | null = null;
  for (const attribute of countries(byType)) if (matches(attribute)) (picked ??= []).push(attribute);
  for (const attribute of jurisdictionCountries(byType)) if (matches(attribute)) (picked ??= []).push(attribute);
  return picked ?? NONE;
}
export const has = (byType: AttributesByType, oid: string): boolean => byType.has(oid);
/** The subject has a countryName or a jurisdictionCountryName. */
export const hasCountryAttributes = (byType: AttributesByType): boolean => has(byType, ATTRIBUTE.countryName) || has(byType, ATTRIBUTE.jurisdictionCountryName);
export const valuesOfType = (byType: AttributesByType, oid: string): string[] => attributesOf(byType, oid).map((attribute) => attribute.value);

/**
 * The comparison form of a free-text value: Unicode NFC, white space folded to single spaces and
 * trimmed. Two values equal in this form are the same text; equal only after case folding, they
 * differ in case alone.
 */
export function normalizeText(value: string): string {
  if (isNormalLatinText(value)) return value;
  return value.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * Printable text below U+0300 (ASCII, Latin-1 and Latin Extended: "München", "São Paulo") without
 * white space other than single inner spaces: normalizeText's form already, so it returns it as
 * it is. Below U+0300 every character is its own NFC form and no two compose (combining marks
 * start at U+0300; the test holds that for every pair), and the only white space there is 09-0D,
 * 20 and A0 (NBSP and C1 controls are left to the full path). About a fifth of ST and L values are
 * such text, and NFC with the white-space regex cost far more than this loop.
 */
export function isNormalLatinText(value: string): boolean {
  let previousSpace = true;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || (code > 0x7e && code < 0xa1) || code >= 0x300) return false;
    const space = code === 0x20;
    if (space && previousSpace) return false;
    previousSpace = space;
  }
  return !previousSpace || value.length === 0;
}

/**
 * A value's length with its first two and last characters, each OR 0x20 (lower case for ASCII
 * letters), as one number. Applied to a plain-ASCII value and to a lower-case one, equal values
 * after lower-casing have equal shapes: a set of shapes rules most values out without making a
 * lower-cased copy.
 */
export function shapeOf(value: string): number {
  const first = (value.charCodeAt(0) | 0x20) & 0x7f;
  const second = (value.charCodeAt(1) | 0x20) & 0x7f;
  const last = (value.charCodeAt(value.length - 1) | 0x20) & 0x7f;
  return ((value.length * 128 + first) * 128 + second) * 128 + last;
}

/** Printable ASCII without leading, trailing or doubled spaces: already in normal form. */
export function isPlainAscii(value: string): boolean {
  let previousSpace = true;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) return false;
    const space = code === 0x20;
    if (space && previousSpace) return false;
    previousSpace = space;
  }
  return !previousSpace || value.length === 0;
}

export type TextComparison = 'same' | 'case-only' | 'different';

export function compareText(issued: string, vetted: string): TextComparison {
  if (issued === vetted) return 'same';
  const a = normalizeText(issued);
  const b = normalizeText(vetted);
  if (a === b) return 'same';
  return a.toLocaleLowerCase('und') === b.toLocaleLowerCase('und') ? 'case-only' : 'different';
}

/** RFC 5280 / X.680 PrintableString alphabet. */
export const PRINTABLE_STRING = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** The PrintableString alphabet by character code (ASCII only). */
const PRINTABLE_CHARACTER = new Uint8Array(128);
for (let code = 0; code < 128; code++) if (PRINTABLE_STRING.test(String.fromCharCode(code))) PRINTABLE_CHARACTER[code] = 1;

/** PRINTABLE_STRING.test(value), by a table: it runs on most subject values of every certificate. */
export function isPrintableStringText(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 128 || PRINTABLE_CHARACTER[code] === 0) return false;
  }
  return true;
}
