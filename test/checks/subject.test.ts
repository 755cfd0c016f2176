// The shared subject readers (src/checks/subject.ts) on their own: the plain-ASCII test that lets
// normalizeText, the placeholder check and the country-name check skip work, the comparison form
// of a value, the shape numbers, and the attribute index, on subjects of real certificates.
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE } from '../../src/decode/oids.js';
import { attributesOf, compareText, countryAttributesWhere, countries, hasCountryAttributes, isNormalLatinText, isPlainAscii, isPrintableStringText, PRINTABLE_STRING, jurisdictionCountries, normalizeText, shapeOf, valuesOfType } from '../../src/checks/subject.js';
import { inputWithSubject } from './subject_certificate.js';

describe('isPlainAscii', () => {
  it('is true for printable ASCII with single inner spaces, and for the empty value', () => {
    for (const value of ['', 'a', 'Acme', 'a b', 'A b c', '!', '~', '!~', 'x~ !y']) expect(isPlainAscii(value), JSON.stringify(value)).toBe(true);
  });

  it('is false for a leading, trailing or doubled space, a lone space, a control character, DEL or anything past ASCII', () => {
    for (const value of [' ', ' a', 'a ', 'a  b', '  ', 'a\u001fb', '\u001f', 'a\tb', 'a\u007fb', '\u007f', 'Münch', 'é', 'ab\u00a0']) expect(isPlainAscii(value), JSON.stringify(value)).toBe(false);
  });
});

describe('normalizeText', () => {
  it('returns a plain value as it is, and folds white space and composes to NFC otherwise', () => {
    expect(normalizeText('Acme Corp')).toBe('Acme Corp');
    expect(normalizeText(' Acme  Corp ')).toBe('Acme Corp');
    expect(normalizeText('a\tb\nc')).toBe('a b c');
    expect(normalizeText('e\u0301')).toBe('\u00e9');
    expect(normalizeText('')).toBe('');
  });
});

describe('compareText', () => {
  it('says same, case-only or different, comparing the normal forms', () => {
    expect(compareText('Acme', 'Acme')).toBe('same');
    expect(compareText('Acme  Corp', 'Acme Corp')).toBe('same');
    expect(compareText('ACME', 'acme')).toBe('case-only');
    expect(compareText(' ACME', 'acme')).toBe('case-only');
    expect(compareText('Acme', 'Acne')).toBe('different');
  });
});

describe('shapeOf', () => {
  it('packs the length and the first two and last characters, ASCII letters folded to lower case', () => {
    expect(shapeOf('Ab')).toBe(((2 * 128 + 0x61) * 128 + 0x62) * 128 + 0x62);
    expect(shapeOf('NA')).toBe(shapeOf('na'));
    expect(shapeOf('n/a')).not.toBe(shapeOf('n/b'));
  });
});

describe('the attribute index', () => {
  const C = (value: string) => ({ oid: ATTRIBUTE.countryName, value });
  const JC = (value: string) => ({ oid: ATTRIBUTE.jurisdictionCountryName, value, type: 'PrintableString' as const });
  const O = (value: string) => ({ oid: ATTRIBUTE.organizationName, value });

  it('groups the attributes by type in subject order, and knows which types are absent', () => {
    const { byType } = inputWithSubject([C('NL'), O('First'), C('DE'), O('Second'), O('Third')]);
    expect(valuesOfType(byType, ATTRIBUTE.countryName)).toEqual(['NL', 'DE']);
    expect(valuesOfType(byType, ATTRIBUTE.organizationName)).toEqual(['First', 'Second', 'Third']);
    expect(attributesOf(byType, ATTRIBUTE.localityName)).toEqual([]);
    expect(byType.get(ATTRIBUTE.localityName)).toBeUndefined();
    expect(byType.has(ATTRIBUTE.organizationName)).toBe(true);
    expect(byType.has(ATTRIBUTE.localityName)).toBe(false);
    expect(hasCountryAttributes(byType)).toBe(true);
    expect(jurisdictionCountries(byType)).toEqual([]);
  });

  it('countryAttributesWhere picks countryName, then jurisdictionCountryName, attributes', () => {
    const { byType } = inputWithSubject([JC('xx'), C('nl'), O('Org'), C('DE')]);
    const lower = (value: string) => value !== value.toUpperCase();
    expect(countryAttributesWhere(byType, (attribute) => lower(attribute.value)).map((attribute) => attribute.value)).toEqual(['nl', 'xx']);
    expect(countryAttributesWhere(byType, (attribute) => attribute.value === 'xx').map((attribute) => attribute.value)).toEqual(['xx']);
    expect(countryAttributesWhere(byType, () => false)).toEqual([]);
    expect(countries(byType).map((attribute) => attribute.value)).toEqual(['nl', 'DE']);
    const { byType: onlyJurisdiction } = inputWithSubject([JC('DE'), O('Org')]);
    expect(hasCountryAttributes(onlyJurisdiction)).toBe(true);
    expect(hasCountryAttributes(inputWithSubject([O('Org')]).byType)).toBe(false);
  });
});

describe('isNormalLatinText', () => {
  it('holds for plain ASCII and Latin text in normal form, and not for white space other than single inner spaces', () => {
    for (const value of ['', 'Acme', 'München', 'São Paulo', 'Île-de-France', 'Łódź', '\u02ff']) expect(isNormalLatinText(value), JSON.stringify(value)).toBe(true);
    for (const value of [' a', 'a ', 'a  b', 'a\tb', 'ab\u00a0', 'a\u0085b', 'e\u0301', '\u0300', 'a\u001fb', 'a\u007fb', '東京']) expect(isNormalLatinText(value), JSON.stringify(value)).toBe(false);
  });

  it('implies that normalizeText has nothing to do: every character and every pair below U+0300 is its own NFC and white-space form', () => {
    const full = (value: string) => value.normalize('NFC').replace(/\s+/gu, ' ').trim();
    let checked = 0;
    for (let first = 0; first < 0x300; first++) {
      for (let second = 0; second < 0x300; second++) {
        const value = String.fromCharCode(first, second);
        if (!isNormalLatinText(value)) continue;
        checked++;
        if (full(value) !== value || normalizeText(value) !== full(value)) expect.fail(`${first.toString(16)} ${second.toString(16)}`);
      }
    }
    expect(checked).toBeGreaterThan(400_000);
    for (const value of ['München', 'São Paulo', 'Saint Barthélemy', 'Côte d\u2019Ivoire', ' São  Paulo ', 'Cura\u0063\u0327ao']) expect(normalizeText(value)).toBe(full(value));
  });
});

describe('isPrintableStringText', () => {
  it('is PRINTABLE_STRING.test for every character below U+0800 alone, inside a value and at its ends', () => {
    for (let code = 0; code < 0x800; code++) {
      const character = String.fromCharCode(code);
      for (const value of [character, `Ab${character}`, `${character}9 z`, `a-${character}-b`]) expect(isPrintableStringText(value), `${code}`).toBe(PRINTABLE_STRING.test(value));
    }
    for (const value of ['', 'Acme Corp.', "O'Neil (UK) +1 a=b?", 'a"b', 'a&b', 'a_b', 'a\nb', '\ud83d\ude00']) expect(isPrintableStringText(value), value).toBe(PRINTABLE_STRING.test(value));
  });
});
