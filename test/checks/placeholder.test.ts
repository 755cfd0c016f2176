import { describe, expect, it } from 'vitest';
import placeholderValue, { BUILT_IN, METADATA_ONLY, isPlaceholder } from '../../src/checks/e_subject_placeholder_value.js';
import { normalizeText } from '../../src/checks/subject.js';
import { ATTRIBUTE } from '../../src/decode/oids.js';
import type { NameAttributeSpec } from '../../src/demo/der.js';
import { runOnSubject } from './subject_certificate.js';

const none = new Set<string>();

describe('isPlaceholder', () => {
  it('flags the built-in placeholders in any case and spacing', () => {
    for (const value of ['N/A', 'na', 'Test', 'TEST', 'Some-State', 'some  state', ' Default City ', 'Internet Widgits Pty Ltd', 'internet widgits pty ltd', 'CHANGEME']) {
      expect(isPlaceholder(value, none), value).toBe(true);
    }
  });

  it('flags metadata-only values, including non-ASCII white space', () => {
    for (const value of ['.', '-', ' ', '', '--', '. .', '\u00a0', '?', '*', '"."']) expect(isPlaceholder(value, none), JSON.stringify(value)).toBe(true);
  });

  it('passes real names of every length, ASCII or not', () => {
    for (const value of ['US', 'DE', 'New York', 'Bayern', 'Wayne Energy 67822', 'www1.wayne-energy-67822.example', 'Testing Ltd', 'München', 'Zürich AG', 'ナ', 'Nantes']) {
      expect(isPlaceholder(value, none), value).toBe(false);
    }
  });

  it('flags the configured extra values, folded the same way', () => {
    const extra = new Set(['pending', 'to be confirmed']);
    expect(isPlaceholder('PENDING', extra)).toBe(true);
    expect(isPlaceholder('To  Be Confirmed', extra)).toBe(true);
    expect(isPlaceholder('Pending Ltd', extra)).toBe(false);
    expect(isPlaceholder('Pending', none)).toBe(false);
  });
});

// Issue 11 point 4: a placeholder word that is a real value of its attribute is no placeholder
// there (C=NA is Namibia), and stays one everywhere else.
describe('e_subject_placeholder_value never takes a real value of its attribute for filler', () => {
  const at = (oid: string, value: string): NameAttributeSpec => ({ oid, value, type: oid === ATTRIBUTE.countryName || oid === ATTRIBUTE.jurisdictionCountryName ? 'PrintableString' : 'UTF8String' });
  const C = (value: string) => at(ATTRIBUTE.countryName, value);
  const CN = at(ATTRIBUTE.commonName, 'www.example.com');
  const O = at(ATTRIBUTE.organizationName, 'Example Ltd');
  const verdict = (...subject: NameAttributeSpec[]) => runOnSubject(placeholderValue, subject);

  it.each([
    ['C=NA (Namibia)', [C('NA'), O, CN]],
    ['C=na (Namibia in lower case: e_subject_country_not_uppercase reports the case)', [C('na'), O, CN]],
    ['jurisdictionC=NA', [C('NA'), at(ATTRIBUTE.jurisdictionCountryName, 'NA'), O, CN]],
    ['C=XX', [C('XX'), O, CN]],
    ['ST=NA with C=IT (Napoli, IT-NA)', [C('IT'), at(ATTRIBUTE.stateOrProvinceName, 'NA'), O, CN]],
    ['ST=NA with C=ES (Navarra, ES-NA)', [C('ES'), at(ATTRIBUTE.stateOrProvinceName, 'NA'), O, CN]],
    ['jurisdictionST=NA with jurisdictionC=NG (Nasarawa, NG-NA)', [C('NG'), at(ATTRIBUTE.jurisdictionCountryName, 'NG'), at(ATTRIBUTE.jurisdictionStateOrProvinceName, 'NA'), O, CN]],
    ['SN=Na (a Korean surname), GN=Nil (a Turkish given name)', [C('KR'), at(ATTRIBUTE.surname, 'Na'), at(ATTRIBUTE.givenName, 'Nil'), CN]],
    ['SN=Null (a surname)', [C('US'), at(ATTRIBUTE.surname, 'Null'), at(ATTRIBUTE.givenName, 'Jennifer'), CN]],
    ['CN=:: (an IPv6 address, as in zlint\'s IP test certificates)', [C('US'), O, at(ATTRIBUTE.commonName, '::')]],
    ['an empty C and an empty jurisdictionC (e_subject_country_missing and not_iso3166 report them)', [C(''), at(ATTRIBUTE.jurisdictionCountryName, ''), O, CN]],
  ])('%s passes', (_label, subject) => {
    expect(verdict(...subject)).toEqual({ check: 'e_subject_placeholder_value', status: 'pass' });
  });

  it('an empty subject (names only in subjectAltName): does not apply', () => {
    expect(verdict()).toEqual({ check: 'e_subject_placeholder_value', status: 'NA' });
  });

  it.each([
    ['C=N/A', [C('N/A'), O, CN], 'C="N/A"'],
    ['C=.', [C('.'), O, CN], 'C="."'],
    ['ST=NA with C=US (no US subdivision is NA)', [C('US'), at(ATTRIBUTE.stateOrProvinceName, 'NA'), O, CN], 'ST="NA"'],
    ['ST=NA with no C', [at(ATTRIBUTE.stateOrProvinceName, 'NA'), O, CN], 'ST="NA"'],
    ['O=NA (NA is only a real value of C, ST in three countries, and names)', [C('NA'), at(ATTRIBUTE.organizationName, 'NA'), CN], 'O="NA"'],
    ['L=Null', [C('US'), at(ATTRIBUTE.localityName, 'Null'), O, CN], 'L="Null"'],
    ['O=:: (an address is a real value of CN only)', [C('US'), at(ATTRIBUTE.organizationName, '::'), CN], 'O="::"'],
    ['GN=Test (a placeholder word that is not on the names list)', [C('US'), at(ATTRIBUTE.givenName, 'Test'), CN], 'GN="Test"'],
    ['jurisdictionST=NA is judged by jurisdictionC (US), not by C=IT', [C('IT'), at(ATTRIBUTE.jurisdictionCountryName, 'US'), at(ATTRIBUTE.jurisdictionStateOrProvinceName, 'NA'), O, CN], 'jurisdictionST="NA"'],
    ['ST=NA is judged by C=US, not by jurisdictionC=IT', [C('US'), at(ATTRIBUTE.jurisdictionCountryName, 'IT'), at(ATTRIBUTE.stateOrProvinceName, 'NA'), O, CN], 'ST="NA"'],
    ['jurisdictionC=Nil (a given name elsewhere, no country code)', [C('DE'), at(ATTRIBUTE.jurisdictionCountryName, 'Nil'), O, CN], 'jurisdictionC="Nil"'],
    ['an empty O (only an empty C or jurisdictionC is left to the country checks)', [C('US'), at(ATTRIBUTE.organizationName, ''), CN], 'O=""'],
  ])('%s is still reported', (_label, subject, detail) => {
    expect(verdict(...subject)).toEqual({ check: 'e_subject_placeholder_value', status: 'error', detail });
  });
});

describe('isPlaceholder against its definition', () => {
  const definition = (value: string, extra: ReadonlySet<string>) => {
    const folded = normalizeText(value).toLowerCase();
    return METADATA_ONLY.test(folded) || BUILT_IN.includes(folded) || extra.has(folded);
  };

  it('agrees on generated values: placeholders in any case, padded, cut, lengthened, and long names', () => {
    const extras = [none, new Set(['pending', 'to be confirmed', 'a much longer placeholder than any built-in one'])];
    const values = new Set<string>();
    for (const base of [...BUILT_IN, 'pending', 'to be confirmed', 'a much longer placeholder than any built-in one', 'Acme', 'www.example.com', 'München', '1', '']) {
      for (const value of [base, base.toUpperCase(), ` ${base}`, `${base} `, `${base}x`, base.slice(1), base.slice(0, -1), `${base}${base}`, base.replace(' ', '  '), `${base}.`, `x${base.slice(1)}`]) values.add(value);
    }
    for (const extra of extras) for (const value of values) expect(isPlaceholder(value, extra), JSON.stringify(value)).toBe(definition(value, extra));
  });

  it('agrees where a value is one step from plain ASCII: tab, NBSP, control characters, DEL, spaces on both sides of one-letter words', () => {
    // A configured value is any non-blank string (config.ts): one letter or digit, and even a control character.
    const extras = [none, new Set(['x', '0', 'x y', '\u0010'])];
    const values = new Set<string>();
    for (const base of ['test', 'n/a', 'x', '0', 'x y', 'Acme', '\u0010']) {
      for (const value of [base, `\t${base}`, `${base}\t`, `${base}\n`, `\u000b${base}`, `\u00a0${base}`, `${base}\u00a0`, `\u001f${base}`, `${base}\u007f`, ` ${base} `, `  ${base} `]) values.add(value);
    }
    for (const extra of extras) for (const value of values) expect(isPlaceholder(value, extra), JSON.stringify(value)).toBe(definition(value, extra));
  });
});
