// w_subject_attribute_contains_country, and issue 11 point 4 for it: a real value of ST or L (the
// US state of Georgia, "Los Angeles, CA") is not a country that leaked into it.
import { describe, expect, it } from 'vitest';
import containsCountry from '../../src/checks/w_subject_attribute_contains_country.js';
import { ATTRIBUTE } from '../../src/decode/oids.js';
import type { NameAttributeSpec } from '../../src/demo/der.js';
import { runOnSubject } from './subject_certificate.js';

const C = (value: string): NameAttributeSpec => ({ oid: ATTRIBUTE.countryName, value, type: 'PrintableString' });
const ST = (value: string): NameAttributeSpec => ({ oid: ATTRIBUTE.stateOrProvinceName, value });
const L = (value: string): NameAttributeSpec => ({ oid: ATTRIBUTE.localityName, value });
const O: NameAttributeSpec = { oid: ATTRIBUTE.organizationName, value: 'Example Ltd' };
const verdict = (...subject: NameAttributeSpec[]) => runOnSubject(containsCountry, [...subject, O]);

describe('w_subject_attribute_contains_country', () => {
  it.each([
    ['ST="Tokyo, C=JP" (the real 2025 certificate)', [C('JP'), ST('Tokyo, C=JP')], 'ST="Tokyo, C=JP" contains a countryName fragment'],
    ['L="Zurich, CH" repeats the own country', [C('CH'), L('Zurich, CH')], 'L="Zurich, CH" ends with the country code CH'],
    ['L="Zurich, CH" with no C', [L('Zurich, CH')], 'L="Zurich, CH" ends with the country code CH'],
    ['ST=Japan with C=US', [C('US'), ST('Japan')], 'ST="Japan" names the country JP'],
    ['ST=Georgia with C=DE (no German place of that name is listed)', [C('DE'), ST('Georgia')], 'ST="Georgia" names the country GE'],
    ['L="Berlin, DE" with C=de (the own country compared in normal form)', [C('de'), L('Berlin, DE')], 'L="Berlin, DE" ends with the country code DE'],
    ['two attributes, each named', [C('JP'), ST('Tokyo, C=JP'), L('Osaka, JP')], 'ST="Tokyo, C=JP" contains a countryName fragment; L="Osaka, JP" ends with the country code JP'],
  ])('%s: warns', (_label, subject, detail) => {
    expect(verdict(...subject)).toEqual({ check: 'w_subject_attribute_contains_country', status: 'warn', detail });
  });

  it.each([
    ['ST=Georgia with C=US (the state)', [C('US'), ST('Georgia'), L('Atlanta')]],
    ['L="Los Angeles, CA" with C=US (California, not Canada)', [C('US'), ST('California'), L('Los Angeles, CA')]],
    ['L="Boston, MA" with C=US (Massachusetts, not Morocco)', [C('US'), L('Boston, MA')]],
    ['L=Lebanon with C=US (Lebanon, New Hampshire)', [C('US'), ST('New Hampshire'), L('Lebanon')]],
    ['ST=Luxembourg with C=BE (the Belgian province)', [C('BE'), ST('Luxembourg'), L('Arlon')]],
    ['ST=Niger with C=NG (Niger State)', [C('NG'), ST('Niger'), L('Minna')]],
    ['L=Armenia with C=CO (the city in Quindío)', [C('CO'), ST('Quindío'), L('Armenia')]],
    ['L=Singapore with C=SG (a city-state)', [C('SG'), L('Singapore')]],
    ['L=Lebanon with C=us (the own country compared in normal form)', [C('us'), L('Lebanon')]],
    ['a comma without a trailing code', [C('US'), L('Springfield, Illinois')]],
    ['a fragment inside a country attribute is not a leak into another attribute', [C('DE'), { oid: ATTRIBUTE.jurisdictionCountryName, value: 'C=DE' }, L('Berlin')]],
  ])('%s: passes', (_label, subject) => {
    expect(verdict(...subject).status).toBe('pass');
  });
});
