// The check runner, through runChecks (what inspect.ts calls for every certificate, a compiled
// list) and runCheck (the verdict the peer tests compare, one check): the two must agree.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { CHECKS, PIPELINE_FINDINGS, checkNames } from '../../src/checks/index.js';
import { checkInput, runCheck, runChecks } from '../../src/checks/run.js';
import { defineCheck, type Check, type CheckOutcome } from '../../src/checks/types.js';
import { FIXTURES, fixtureCertificate } from '../helpers.js';
import type { OrderRecord } from '../../src/sources/types.js';

const certificate = decodeCertificate(fixtureCertificate('peers/zlint/orgValGoodAllFields.pem'));
const context = { placeholderCountries: new Set<string>(), placeholderValues: new Set<string>(), embargoedCountries: new Set<string>() };
const row = { ref: 1, orderId: 'x', order: null };
/** The fixture certificate as if issued at `notBefore` (an ISO time). */
const issuedAt = (notBefore: string) => checkInput({ ...certificate, notBefore, notBeforeMs: Date.parse(notBefore) }, row);

function testCheck(name: string, fields: Partial<Check> & { outcome?: CheckOutcome } = {}): Check {
  const { outcome = { status: 'error', detail: `${name} found it` }, ...rest } = fields;
  return defineCheck({
    name,
    description: `${name} description`,
    citation: `${name} citation`,
    source: 'certscan',
    effectiveDate: '2012-07-01',
    appliesTo: () => true,
    execute: () => outcome,
    ...rest,
  });
}

describe('runChecks', () => {
  it('turns an exception inside a check into a fatal finding and runs the other checks', () => {
    const exploding = testCheck('e_explodes', {
      execute: () => {
        throw new Error('boom');
      },
    });
    const findings = runChecks([exploding, testCheck('e_after')], issuedAt('2020-01-01T00:00:00.000Z'), context);
    expect(findings).toEqual([
      { check: 'e_explodes', severity: 'fatal', detail: 'check failed: boom', citation: 'e_explodes citation' },
      { check: 'e_after', severity: 'error', detail: 'e_after found it', citation: 'e_after citation' },
    ]);
  });

  it('an exception in appliesTo is a fatal finding too', () => {
    const check = testCheck('w_applies_throws', {
      appliesTo: () => {
        throw new Error('no subject');
      },
    });
    expect(runChecks([check], issuedAt('2020-01-01T00:00:00.000Z'), context)).toEqual([
      { check: 'w_applies_throws', severity: 'fatal', detail: 'check failed: no subject', citation: 'w_applies_throws citation' },
    ]);
  });

  it('a rule applies from its effective date on: notBefore exactly on BR_EFFECTIVE is checked, a second before is not', () => {
    const check = testCheck('e_from_br_effective');
    expect(runChecks([check], issuedAt('2012-07-01T00:00:00.000Z'), context).map((finding) => finding.check)).toEqual(['e_from_br_effective']);
    expect(runChecks([check], issuedAt('2012-06-30T23:59:59.000Z'), context)).toEqual([]);
  });

  it('a retired rule stops on its ineffective date: the day before is checked, the day itself is not', () => {
    const check = testCheck('e_retired', { ineffectiveDate: '2020-09-01' });
    expect(runChecks([check], issuedAt('2020-08-31T23:59:59.000Z'), context)).toHaveLength(1);
    expect(runChecks([check], issuedAt('2020-09-01T00:00:00.000Z'), context)).toEqual([]);
  });

  it('pass, NA and NE are not findings, and a clean certificate shares one empty result', () => {
    const checks = [testCheck('e_passes', { outcome: { status: 'pass' } }), testCheck('e_not_applicable', { appliesTo: () => false }), testCheck('e_future', { effectiveDate: '2099-01-01' })];
    const first = runChecks(checks, issuedAt('2020-01-01T00:00:00.000Z'), context);
    expect(first).toEqual([]);
    expect(runChecks(checks, issuedAt('2021-01-01T00:00:00.000Z'), context)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('caps a severity at the name prefix, never raises it, and falls back to the description', () => {
    const findings = runChecks(
      [testCheck('w_says_error'), testCheck('n_says_warn', { outcome: { status: 'warn' } }), testCheck('e_says_notice', { outcome: { status: 'notice' } })],
      issuedAt('2020-01-01T00:00:00.000Z'),
      context,
    );
    expect(findings.map(({ check, severity, detail }) => [check, severity, detail])).toEqual([
      ['w_says_error', 'warn', 'w_says_error found it'],
      ['n_says_warn', 'notice', 'n_says_warn description'],
      ['e_says_notice', 'notice', 'e_says_notice description'],
    ]);
  });
});

/** Every PEM under test/fixtures, relative to it. */
function fixturePems(folder = FIXTURES): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? fixturePems(join(folder, entry.name)) : entry.name.endsWith('.pem') ? [relative(FIXTURES, join(folder, entry.name))] : [],
  );
}

/** An order of each kind: matching nothing in particular, with every field vetted, with fields not kept. */
const ORDERS: Array<OrderRecord | null> = [
  null,
  {
    id: 'ORD-1', organization: 'Example Org', country: 'US', state: 'California', locality: 'Mountain View', jurisdictionCountry: 'US', validationType: 'EV',
    businessCategory: 'Private Organization', registrationNumber: '1234', jurisdictionState: 'Delaware', jurisdictionLocality: null, streetAddress: '1 Main St',
    postalCode: '94043', organizationIdentifier: 'NTRUS-1234', vettedAt: '2019-01-01T00:00:00Z',
  },
  { id: 'ORD-2', organization: 'Google LLC', country: 'GB', state: null, locality: null, jurisdictionCountry: null, validationType: 'OV' },
];

describe('runChecks and runCheck agree', () => {
  it('on every fixture certificate, with each kind of order and rule date: the same findings, in the same order', () => {
    const placeholders = { ...context, placeholderCountries: new Set(['XX']), embargoedCountries: new Set(['US']) };
    let compared = 0;
    let found = 0;
    for (const path of fixturePems()) {
      let decoded;
      try {
        decoded = decodeCertificate(fixtureCertificate(path));
      } catch {
        continue;
      }
      for (const order of ORDERS) {
        for (const notBefore of [decoded.notBefore, '2012-06-30T00:00:00.000Z', '2026-03-15T00:00:00.000Z']) {
          const input = checkInput({ ...decoded, notBefore, notBeforeMs: Date.parse(notBefore) }, { ref: 1, orderId: order?.id ?? null, order });
          const verdicts = CHECKS.map((check) => runCheck(check, input, placeholders)).filter((verdict) => !['NA', 'NE', 'pass'].includes(verdict.status));
          const findings = runChecks(CHECKS, input, placeholders);
          expect(findings.map(({ check, severity, detail }) => ({ check, status: severity, detail })), `${path}, order ${order?.id}, ${notBefore}`).toEqual(verdicts);
          compared++;
          found += findings.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
    expect(found).toBeGreaterThan(300);
  });
});

describe('runCheck: one verdict, NA / NE / pass included', () => {
  const input = issuedAt('2020-01-01T00:00:00.000Z');
  it('names every status', () => {
    expect(runCheck(testCheck('e_na', { appliesTo: () => false }), input, context)).toEqual({ check: 'e_na', status: 'NA' });
    expect(runCheck(testCheck('e_ne', { effectiveDate: '2099-01-01' }), input, context)).toEqual({ check: 'e_ne', status: 'NE' });
    expect(runCheck(testCheck('e_ok', { outcome: { status: 'pass' } }), input, context)).toEqual({ check: 'e_ok', status: 'pass' });
    expect(runCheck(testCheck('w_found'), input, context)).toEqual({ check: 'w_found', status: 'warn', detail: 'w_found found it' });
  });

  it('NA comes before NE: a check that does not apply is not asked about dates', () => {
    expect(runCheck(testCheck('e_both', { appliesTo: () => false, effectiveDate: '2099-01-01' }), input, context).status).toBe('NA');
  });

  it('judges on the issue date it is given (the notBefore date by default)', () => {
    const check = testCheck('e_dated');
    expect(runCheck(check, issuedAt('2012-07-01T00:00:00.000Z'), context).status).toBe('error');
    expect(runCheck(check, input, context, '2012-06-30').status).toBe('NE');
    expect(runCheck(check, input, context, '2012-07-01').status).toBe('error');
  });

  it('a retired rule: checked the day before its ineffective date, NE on it (runCheck has its own path, not the compiled runner)', () => {
    const check = testCheck('e_retired', { ineffectiveDate: '2020-09-01' });
    expect(runCheck(check, issuedAt('2020-08-31T23:59:59.000Z'), context).status).toBe('error');
    expect(runCheck(check, issuedAt('2020-09-01T00:00:00.000Z'), context).status).toBe('NE');
    expect(runCheck(check, input, context, '2020-09-01').status).toBe('NE');
  });

  it('an exception inside a check is its fatal verdict, naming it', () => {
    const exploding = testCheck('e_boom', {
      execute: () => {
        throw new Error('no such field');
      },
    });
    expect(runCheck(exploding, input, context)).toEqual({ check: 'e_boom', status: 'fatal', detail: 'check failed: no such field' });
  });
});

describe('defineCheck', () => {
  it('refuses a name without a severity prefix and an effective date not written YYYY-MM-DD, naming the check', () => {
    expect(() => testCheck('x_no_prefix')).toThrow(new Error('check name x_no_prefix must start with e_, w_ or n_'));
    expect(() => testCheck('e_bad_date', { effectiveDate: '2012-7-1' })).toThrow(new Error('e_bad_date: effectiveDate must be YYYY-MM-DD'));
    expect(() => testCheck('e_bad_date', { effectiveDate: '2012-07-01T00:00:00Z' })).toThrow(new Error('e_bad_date: effectiveDate must be YYYY-MM-DD'));
    expect(() => testCheck('e_bad_date', { effectiveDate: 'v2012-07-01' })).toThrow(new Error('e_bad_date: effectiveDate must be YYYY-MM-DD'));
    expect(testCheck('n_notice').name).toBe('n_notice');
  });
});

describe('checkNames', () => {
  it('names the pipeline findings first, then every check in the order they run', () => {
    expect(checkNames()).toEqual([...Object.values(PIPELINE_FINDINGS).map((meta) => meta.name), ...CHECKS.map((check) => check.name)]);
    expect(checkNames().slice(0, 4)).toEqual(['e_certificate_undecodable', 'e_ct_unknown_issuance', 'e_serial_number_duplicate', 'w_serial_number_record_mismatch']);
    expect(new Set(checkNames()).size).toBe(checkNames().length);
  });
});
