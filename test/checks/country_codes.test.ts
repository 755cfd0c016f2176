import countries from 'i18n-iso-countries';
import { describe, expect, it } from 'vitest';
import { NO_COUNTRY, isAcceptedCountryCode, normalizeCountry, upperCaseCountry } from '../../src/checks/country_codes.js';

describe('ISO 3166-1 alpha-2 as the BRs accept it', () => {
  it('accepts assigned codes and XX; rejects XK, other user-assigned codes, withdrawn and reserved ones', () => {
    expect(NO_COUNTRY).toBe('XX');
    for (const code of ['DE', 'MM', 'LR', 'GH', 'AD', 'GB', 'XX']) expect(isAcceptedCountryCode(code), code).toBe(true);
    for (const code of ['XK', 'XY', 'AA', 'QM', 'ZZ', 'AN', 'CS', 'UK', 'EU', 'de', '', 'DEU']) expect(isAcceptedCountryCode(code), code).toBe(false);
  });

  it('answers every pair of letters, any case, as the list of assigned codes does (the letter table agrees with the set)', () => {
    const assigned = new Set(Object.keys(countries.getAlpha2Codes()));
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@[`{';
    for (const first of letters) {
      for (const second of letters) {
        const code = first + second;
        expect(isAcceptedCountryCode(code), code).toBe(code === 'XX' || (code !== 'XK' && assigned.has(code)));
      }
    }
  });

  it('upper-cases without trimming; normalizes with trimming; null is empty', () => {
    expect(upperCaseCountry('DE')).toBe('DE');
    expect(upperCaseCountry('de')).toBe('DE');
    expect(upperCaseCountry(' de')).toBe(' DE');
    expect(upperCaseCountry('dE')).toBe('DE');
    expect(upperCaseCountry('Ed')).toBe('ED');
    expect(normalizeCountry(' de ')).toBe('DE');
    expect(normalizeCountry('Mm')).toBe('MM');
    // Two characters, one of them a space: not yet a normal form.
    expect(normalizeCountry(' E')).toBe('E');
    expect(normalizeCountry('E ')).toBe('E');
    expect(normalizeCountry('DE ')).toBe('DE');
    expect(normalizeCountry(null)).toBe('');
    expect(normalizeCountry(undefined)).toBe('');
  });
});
