import { describe, expect, it } from 'vitest';
import { isPlaceholder } from '../../src/checks/e_subject_placeholder_value.js';

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
