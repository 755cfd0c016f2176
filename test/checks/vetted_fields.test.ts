// Issue #15: every vetted subject field compared with the order, swaps, EV fields missing, the age
// of the vetting and the validity period. Each check: a certificate that passes, one that fails,
// one where it does not apply (NA) and one issued before its rule (NE). Real signed certificates.
import { describe, expect, it, vi } from 'vitest';
import { runCheck } from '../../src/checks/run.js';
import type { Check, CheckInput } from '../../src/checks/types.js';
import { CHECKS } from '../../src/checks/index.js';
import { ATTRIBUTE, POLICY } from '../../src/decode/oids.js';
import type { NameAttributeSpec } from '../../src/demo/der.js';
import type { OrderRecord } from '../../src/sources/types.js';
import type { OrderFieldName } from '../../src/sources/order_fields.js';
import { NO_SETTINGS, inputWithSubject } from './subject_certificate.js';
import { isoMillis } from '../../src/checks/rule_periods.js';

const check = (name: string): Check => CHECKS.find((candidate) => candidate.name === name)!;
const attribute = (oid: string, value: string): NameAttributeSpec => ({ oid, value });
const withOrder = (input: CheckInput, order: OrderRecord | null): CheckInput => ({ ...input, row: { ...input.row, orderId: order?.id ?? null, order } });

/** An EV order with every field of issue #15 vetted. */
const VETTED: OrderRecord = {
  id: 'ORD-EV-15',
  organization: 'Voorbeeld B.V.',
  country: 'NL',
  state: 'Noord-Holland',
  locality: 'Amsterdam',
  jurisdictionCountry: 'NL',
  validationType: 'EV',
  businessCategory: 'Private Organization',
  registrationNumber: 'KvK 12345678',
  jurisdictionState: 'Utrecht',
  jurisdictionLocality: 'Utrecht',
  streetAddress: 'Damrak 1',
  postalCode: '1012 LG',
  organizationIdentifier: 'NTRNL-12345678',
  vettedAt: '2024-01-10T00:00:00Z',
};

/** The subject an EV certificate of VETTED carries, with overrides (null: left out). */
function evSubject(overrides: Partial<Record<string, string | null>> = {}): NameAttributeSpec[] {
  const values: Record<string, string | null> = {
    [ATTRIBUTE.businessCategory]: 'Private Organization',
    [ATTRIBUTE.jurisdictionLocalityName]: 'Utrecht',
    [ATTRIBUTE.jurisdictionStateOrProvinceName]: 'Utrecht',
    [ATTRIBUTE.jurisdictionCountryName]: 'NL',
    [ATTRIBUTE.serialNumber]: 'KvK 12345678',
    [ATTRIBUTE.countryName]: 'NL',
    [ATTRIBUTE.stateOrProvinceName]: 'Noord-Holland',
    [ATTRIBUTE.localityName]: 'Amsterdam',
    [ATTRIBUTE.streetAddress]: 'Damrak 1',
    [ATTRIBUTE.postalCode]: '1012 LG',
    [ATTRIBUTE.organizationName]: 'Voorbeeld B.V.',
    [ATTRIBUTE.organizationIdentifier]: 'NTRNL-12345678',
    ...overrides,
  };
  const subject: NameAttributeSpec[] = [];
  for (const [oid, value] of Object.entries(values)) {
    if (value === null) continue;
    const printable = oid === ATTRIBUTE.countryName || oid === ATTRIBUTE.jurisdictionCountryName;
    subject.push(printable ? { oid, value, type: 'PrintableString' } : attribute(oid, value));
  }
  subject.push(attribute(ATTRIBUTE.commonName, 'voorbeeld.example'));
  return subject;
}

const ev = (overrides: Partial<Record<string, string | null>> = {}, order: OrderRecord | null = VETTED, notBefore = '2024-06-01T00:00:00Z') =>
  withOrder(inputWithSubject(evSubject(overrides), notBefore, [POLICY.EV]), order);

describe('the issued clean EV certificate passes every check of issue #15', () => {
  it('no finding at all from the new checks, and none from the old order checks', () => {
    const input = ev();
    const statuses = CHECKS.map((candidate) => [candidate.name, runCheck(candidate, input, NO_SETTINGS).status]);
    expect(statuses.filter(([, status]) => status !== 'pass' && status !== 'NA' && status !== 'NE')).toEqual([]);
  });
});

/** Each check's detail when the order kept the field but vetted no value. */
const NOT_VETTED: Record<string, string> = {
  e_ev_business_category_order_mismatch: 'businessCategory="Private Organization" but order ORD-EV-15 has no vetted business category',
  e_subject_registration_number_order_mismatch: 'subject serialNumber="KvK 12345678" but order ORD-EV-15 has no vetted registration number',
  e_ev_jurisdiction_state_order_mismatch: 'subject jurisdictionST="Utrecht" but order ORD-EV-15 has no vetted jurisdiction state or province',
  e_ev_jurisdiction_locality_order_mismatch: 'subject jurisdictionL="Utrecht" but order ORD-EV-15 has no vetted jurisdiction locality',
  e_subject_street_address_order_mismatch: 'subject street="Damrak 1" but order ORD-EV-15 has no vetted street address',
  e_subject_postal_code_order_mismatch: 'subject postalCode="1012 LG" but order ORD-EV-15 has no vetted postal code',
  e_subject_org_identifier_order_mismatch: 'subject organizationIdentifier="NTRNL-12345678" but order ORD-EV-15 has no vetted organization identifier',
};

describe.each([
  // name, attribute, a wrong value, the detail, a case-only variant (null: exact compare), NE date
  ['e_ev_business_category_order_mismatch', ATTRIBUTE.businessCategory, 'Government Entity', 'businessCategory="Government Entity" but order ORD-EV-15 was vetted as "Private Organization"', null, '2007-06-01T00:00:00Z'],
  ['e_subject_registration_number_order_mismatch', ATTRIBUTE.serialNumber, 'N/A', 'subject serialNumber="N/A" but order ORD-EV-15 was vetted for "KvK 12345678"', 'KVK 12345678', '2007-06-01T00:00:00Z'],
  ['e_ev_jurisdiction_state_order_mismatch', ATTRIBUTE.jurisdictionStateOrProvinceName, 'Utreht', 'subject jurisdictionST="Utreht" but order ORD-EV-15 was vetted for "Utrecht"', 'UTRECHT', '2007-06-01T00:00:00Z'],
  ['e_ev_jurisdiction_locality_order_mismatch', ATTRIBUTE.jurisdictionLocalityName, 'Utrecht County', 'subject jurisdictionL="Utrecht County" but order ORD-EV-15 was vetted for "Utrecht"', 'utrecht', '2007-06-01T00:00:00Z'],
  ['e_subject_street_address_order_mismatch', ATTRIBUTE.streetAddress, 'Damrak 10', 'subject street="Damrak 10" but order ORD-EV-15 was vetted for "Damrak 1"', 'DAMRAK 1', '2012-06-30T00:00:00Z'],
  ['e_subject_postal_code_order_mismatch', ATTRIBUTE.postalCode, '1012', 'subject postalCode="1012" but order ORD-EV-15 was vetted for "1012 LG"', '1012 lg', '2012-06-30T00:00:00Z'],
  ['e_subject_org_identifier_order_mismatch', ATTRIBUTE.organizationIdentifier, 'NTRNL-87654321', 'subject organizationIdentifier="NTRNL-87654321" but order ORD-EV-15 was vetted for "NTRNL-12345678"', 'ntrnl-12345678', '2020-01-30T00:00:00Z'],
] as const)('%s', (name, oid, wrong, detail, caseOnly, beforeRule) => {
  const subject = check(name);
  it('passes as vetted, also after NFC and white-space folding', () => {
    expect(runCheck(subject, ev(), NO_SETTINGS).status).toBe('pass');
    if (caseOnly !== null) expect(runCheck(subject, ev({ [oid]: ` ${VETTED[fieldOf(oid)]!.replace(' ', '  ')} ` }), NO_SETTINGS).status).toBe('pass');
  });
  it('fails on another value, naming both', () => {
    expect(runCheck(subject, ev({ [oid]: wrong }), NO_SETTINGS)).toEqual({ check: name, status: 'error', detail });
  });
  it(caseOnly === null ? 'compares exactly: case counts' : 'a difference in case alone is a notice', () => {
    const run = runCheck(subject, ev({ [oid]: caseOnly ?? VETTED[fieldOf(oid)]!.toUpperCase() }), NO_SETTINGS);
    expect(run.status).toBe(caseOnly === null ? 'error' : 'notice');
  });
  it('a value the order did not vet is an error, naming the field', () => {
    const run = runCheck(subject, ev({}, { ...VETTED, [fieldOf(oid)]: null }), NO_SETTINGS);
    expect(run.status).toBe('error');
    expect(run.detail).toBe(NOT_VETTED[name]);
  });
  it('NA without the attribute, without the column (undefined), or without an order', () => {
    expect(runCheck(subject, ev({ [oid]: null }), NO_SETTINGS).status).toBe('NA');
    const notKept: OrderRecord = { ...VETTED };
    delete notKept[fieldOf(oid)];
    expect(runCheck(subject, ev({ [oid]: wrong }, notKept), NO_SETTINGS).status).toBe('NA');
    expect(runCheck(subject, ev({ [oid]: wrong }, null), NO_SETTINGS).status).toBe('NA');
  });
  it('NE before its rule', () => {
    expect(runCheck(subject, ev({ [oid]: wrong }, VETTED, beforeRule), NO_SETTINGS).status).toBe('NE');
  });
});

function fieldOf(oid: string): OrderFieldName {
  const fields: Record<string, OrderFieldName> = {
    [ATTRIBUTE.businessCategory]: 'businessCategory',
    [ATTRIBUTE.serialNumber]: 'registrationNumber',
    [ATTRIBUTE.jurisdictionStateOrProvinceName]: 'jurisdictionState',
    [ATTRIBUTE.jurisdictionLocalityName]: 'jurisdictionLocality',
    [ATTRIBUTE.streetAddress]: 'streetAddress',
    [ATTRIBUTE.postalCode]: 'postalCode',
    [ATTRIBUTE.organizationIdentifier]: 'organizationIdentifier',
  };
  return fields[oid]!;
}

describe('e_subject_fields_swapped_order', () => {
  const swapped = check('e_subject_fields_swapped_order');
  const findings = (input: CheckInput) =>
    CHECKS.map((candidate) => ({ name: candidate.name, run: runCheck(candidate, input, NO_SETTINGS) })).filter(({ run }) => run.status === 'error' || run.status === 'notice');

  it('Bugzilla 1771482 / 1802845: street and postal code swapped is one finding naming both, not two mismatches', () => {
    const input = ev({ [ATTRIBUTE.streetAddress]: '1012 LG', [ATTRIBUTE.postalCode]: 'Damrak 1' });
    expect(findings(input)).toEqual([
      {
        name: 'e_subject_fields_swapped_order',
        run: {
          check: 'e_subject_fields_swapped_order',
          status: 'error',
          detail: 'street="1012 LG" and postalCode="Damrak 1" are swapped (order ORD-EV-15 vetted street "Damrak 1", postalCode "1012 LG")',
        },
      },
    ]);
  });

  it('ST and L swapped; a jurisdiction field holding the place of business (and the reverse)', () => {
    expect(findings(ev({ [ATTRIBUTE.stateOrProvinceName]: 'Amsterdam', [ATTRIBUTE.localityName]: 'Noord-Holland' })).map(({ name }) => name)).toEqual(['e_subject_fields_swapped_order']);
    const place = findings(ev({ [ATTRIBUTE.jurisdictionStateOrProvinceName]: 'Noord-Holland', [ATTRIBUTE.stateOrProvinceName]: 'Utrecht' }));
    expect(place.map(({ name }) => name)).toEqual(['e_subject_fields_swapped_order']);
    expect(place[0]!.run.detail).toContain('jurisdictionST="Noord-Holland" and ST="Utrecht" are swapped');
    const country = { ...VETTED, jurisdictionCountry: 'BE' };
    expect(findings(ev({ [ATTRIBUTE.jurisdictionCountryName]: 'NL', [ATTRIBUTE.countryName]: 'BE' }, country)).map(({ name }) => name)).toEqual(['e_subject_fields_swapped_order']);
  });

  it('passes as vetted; one wrong field alone is a mismatch, not a swap', () => {
    expect(runCheck(swapped, ev(), NO_SETTINGS).status).toBe('pass');
    const one = findings(ev({ [ATTRIBUTE.postalCode]: 'Damrak 1' }));
    expect(one.map(({ name }) => name)).toEqual(['e_subject_postal_code_order_mismatch']);
  });

  it('a field the order keeps without a vetted value is no side of a swap: the mismatch check names it', () => {
    // ST and L both differ from the order, whose state is NULL: nothing to have swapped with.
    const input = ev({ [ATTRIBUTE.stateOrProvinceName]: 'Amsterdam', [ATTRIBUTE.localityName]: 'Noord-Holland' }, { ...VETTED, state: null });
    expect(runCheck(swapped, input, NO_SETTINGS)).toEqual({ check: 'e_subject_fields_swapped_order', status: 'pass' });
    expect(findings(input).map(({ name }) => name)).toEqual(['e_subject_state_order_mismatch', 'e_subject_locality_order_mismatch']);
    // (the same with the locality NULL: check_details.test.ts, "the other field of the pair not vetted")
  });

  it('NA without both attributes of a pair or without the order fields; NE before BR 1.0', () => {
    const ov = withOrder(inputWithSubject([attribute(ATTRIBUTE.countryName, 'NL'), attribute(ATTRIBUTE.organizationName, 'Voorbeeld B.V.')]), VETTED);
    expect(runCheck(swapped, ov, NO_SETTINGS).status).toBe('NA');
    expect(runCheck(swapped, ev({}, { id: 'ORD-OLD', organization: 'Voorbeeld B.V.' }), NO_SETTINGS).status).toBe('NA');
    expect(runCheck(swapped, ev({ [ATTRIBUTE.streetAddress]: '1012 LG', [ATTRIBUTE.postalCode]: 'Damrak 1' }, VETTED, '2012-06-30T00:00:00Z'), NO_SETTINGS).status).toBe('NE');
  });
});

describe('e_ev_vetted_attribute_missing', () => {
  const missing = check('e_ev_vetted_attribute_missing');
  it('an EV certificate without the vetted jurisdictionL and serialNumber fails, naming them', () => {
    expect(runCheck(missing, ev({ [ATTRIBUTE.jurisdictionLocalityName]: null, [ATTRIBUTE.serialNumber]: null }), NO_SETTINGS)).toEqual({
      check: 'e_ev_vetted_attribute_missing',
      status: 'error',
      detail: 'EV certificate without serialNumber (vetted "KvK 12345678"), jurisdictionL (vetted "Utrecht") of order ORD-EV-15',
    });
  });
  it('passes with them; NA for OV, or when the order vetted none of them; NE before EVG 1.0', () => {
    expect(runCheck(missing, ev(), NO_SETTINGS).status).toBe('pass');
    expect(runCheck(missing, ev({ [ATTRIBUTE.jurisdictionStateOrProvinceName]: null }, { ...VETTED, jurisdictionState: null }), NO_SETTINGS).status).toBe('pass');
    const ov = withOrder(inputWithSubject([attribute(ATTRIBUTE.organizationName, 'Voorbeeld B.V.')]), VETTED);
    expect(runCheck(missing, ov, NO_SETTINGS).status).toBe('NA');
    expect(runCheck(missing, ev({ [ATTRIBUTE.serialNumber]: null }, { id: 'ORD-OLD', organization: 'Voorbeeld B.V.', businessCategory: null }), NO_SETTINGS).status).toBe('NA');
    expect(runCheck(missing, ev({ [ATTRIBUTE.serialNumber]: null }, VETTED, '2007-06-01T00:00:00Z'), NO_SETTINGS).status).toBe('NE');
  });
});

describe('e_order_vetting_stale and e_certificate_issued_before_vetting', () => {
  const stale = check('e_order_vetting_stale');
  const early = check('e_certificate_issued_before_vetting');
  const ovSubject = [attribute(ATTRIBUTE.countryName, 'NL'), attribute(ATTRIBUTE.organizationName, 'Voorbeeld B.V.')];
  const ov = (notBefore: string, vettedAt: string | null | undefined) => withOrder(inputWithSubject(ovSubject, notBefore), { ...VETTED, validationType: 'OV', vettedAt });

  it('OV: 825 days before 2026-03-15, 398 days from it', () => {
    expect(runCheck(stale, ov('2026-03-14T00:00:00Z', '2024-01-10T00:00:00Z'), NO_SETTINGS).status).toBe('pass'); // 794 days
    expect(runCheck(stale, ov('2026-03-15T00:00:00Z', '2024-01-10T00:00:00Z'), NO_SETTINGS)).toEqual({
      check: 'e_order_vetting_stale',
      status: 'error',
      detail: 'notBefore 2026-03-15T00:00:00.000Z is 795 days after order ORD-EV-15 was vetted (2024-01-10T00:00:00Z); BR 4.2.1 (Ballot SC-081): 398 days from 2026-03-15 allows 398 days',
    });
    expect(runCheck(stale, ov('2026-04-14T00:00:00Z', '2025-03-12T00:00:00Z'), NO_SETTINGS).status).toBe('pass'); // 398 days
    expect(runCheck(stale, ov('2026-04-15T00:00:00Z', '2025-03-12T00:00:00Z'), NO_SETTINGS).status).toBe('error'); // 399 days
    expect(runCheck(stale, ov('2024-06-01T00:00:00Z', '2022-02-27T00:00:00Z'), NO_SETTINGS).status).toBe('pass'); // 825 days
    expect(runCheck(stale, ov('2024-06-01T00:00:00Z', '2022-02-26T00:00:00Z'), NO_SETTINGS).status).toBe('error'); // 826 days
  });

  it('EV: 398 days (EVG 11.14.3)', () => {
    expect(runCheck(stale, ev({}, { ...VETTED, vettedAt: '2023-04-29T00:00:00Z' }), NO_SETTINGS).status).toBe('error'); // 399 days
    expect(runCheck(stale, ev({}, { ...VETTED, vettedAt: '2023-04-30T00:00:00Z' }), NO_SETTINGS).status).toBe('pass'); // 398 days
  });

  it('EV: thirteen calendar months before EVG 1.7.6 (SC42, 2021-06-02), 398 days from it', () => {
    const evOn = (notBefore: string, vettedAt: string) => ev({}, { ...VETTED, vettedAt }, notBefore);
    expect(runCheck(stale, evOn('2021-06-01T00:00:00Z', '2020-05-01T00:00:00Z'), NO_SETTINGS).status).toBe('pass'); // thirteen months to the day
    expect(runCheck(stale, evOn('2021-06-01T00:00:00Z', '2020-04-30T00:00:00Z'), NO_SETTINGS)).toEqual({
      check: 'e_order_vetting_stale',
      status: 'error',
      detail: 'notBefore 2021-06-01T00:00:00.000Z is 397 days after order ORD-EV-15 was vetted (2020-04-30T00:00:00Z); EVG 1.0 11.14.3: legal existence and identity data at most thirteen months old allows 13 months',
    });
    expect(runCheck(stale, evOn('2021-06-02T00:00:00Z', '2020-05-01T00:00:00Z'), NO_SETTINGS).status).toBe('pass'); // 397 days, within 398
    expect(runCheck(stale, evOn('2021-06-02T00:00:00Z', '2020-04-29T00:00:00Z'), NO_SETTINGS).status).toBe('error'); // 399 days
  });

  it('a vetted_at that is not a time is a warning, not silence; NA without vetted_at or for DV; NE before BR 1.0', () => {
    expect(runCheck(stale, ov('2024-06-01T00:00:00Z', 'last spring'), NO_SETTINGS)).toEqual({
      check: 'e_order_vetting_stale',
      status: 'warn',
      detail: 'order ORD-EV-15 vetted_at "last spring" is not an ISO 8601 time: the age of its vetting cannot be judged',
    });
    expect(runCheck(stale, ov('2024-06-01T00:00:00Z', '  '), NO_SETTINGS).status).toBe('NA'); // blank: not recorded
    expect(runCheck(stale, ov('2024-06-01T00:00:00Z', null), NO_SETTINGS).status).toBe('NA');
    expect(runCheck(stale, ov('2024-06-01T00:00:00Z', undefined), NO_SETTINGS).status).toBe('NA');
    const dv = withOrder(inputWithSubject([attribute(ATTRIBUTE.commonName, 'dv.example')], '2024-06-01T00:00:00Z', [POLICY.DV]), { ...VETTED, vettedAt: '2010-01-01T00:00:00Z' });
    expect(runCheck(stale, dv, NO_SETTINGS).status).toBe('NA');
    expect(runCheck(stale, ov('2012-06-30T00:00:00Z', '2005-01-01T00:00:00Z'), NO_SETTINGS).status).toBe('NE');
  });

  it('a certificate issued before its order was vetted', () => {
    expect(runCheck(early, ov('2024-01-09T23:59:59Z', '2024-01-10T00:00:00Z'), NO_SETTINGS)).toEqual({
      check: 'e_certificate_issued_before_vetting',
      status: 'error',
      detail: 'notBefore 2024-01-09T23:59:59.000Z is before order ORD-EV-15 was vetted (2024-01-10T00:00:00Z)',
    });
    expect(runCheck(early, ov('2024-01-10T00:00:00Z', '2024-01-10T00:00:00Z'), NO_SETTINGS).status).toBe('pass');
    expect(runCheck(early, ov('2024-01-09T00:00:00Z', 'soon'), NO_SETTINGS).status).toBe('NA');
    const dv = withOrder(inputWithSubject([attribute(ATTRIBUTE.commonName, 'dv.example')], '2024-01-09T00:00:00Z', [POLICY.DV]), { ...VETTED, vettedAt: '2024-01-10T00:00:00Z' });
    expect(runCheck(early, dv, NO_SETTINGS).status).toBe('NA'); // DV vets no identity
    // Not YYYY-MM-DD: a dash at position 7 but not at 4 is no ISO date (the stale check warns of it).
    expect(runCheck(early, ov('2024-01-09T00:00:00Z', '2024.01-10'), NO_SETTINGS).status).toBe('NA');
    expect(runCheck(early, ov('2024-01-09T00:00:00Z', '2024-01.10'), NO_SETTINGS).status).toBe('NA');
    expect(runCheck(early, ov('2012-06-01T00:00:00Z', '2012-06-10T00:00:00Z'), NO_SETTINGS).status).toBe('NE');
  });
});

describe('e_validity_period_too_long', () => {
  const tooLong = check('e_validity_period_too_long');
  const subject = [attribute(ATTRIBUTE.commonName, 'validity.example')];
  const valid = (notBefore: string, notAfter: string) => inputWithSubject(subject, notBefore, [POLICY.DV], notAfter);

  it.each([
    // notBefore, the last allowed notAfter (validity = notAfter - notBefore + 1 s), the rule
    ['2019-06-01T00:00:00Z', '2021-09-02T23:59:59Z', '825 days'],
    ['2020-09-01T00:00:00Z', '2021-10-03T23:59:59Z', '398 days'],
    ['2026-03-15T00:00:00Z', '2026-09-30T23:59:59Z', '200 days'],
    ['2027-03-15T00:00:00Z', '2027-06-22T23:59:59Z', '100 days'],
    ['2029-03-15T00:00:00Z', '2029-04-30T23:59:59Z', '47 days'],
    ['2016-01-01T00:00:00Z', '2019-03-31T23:59:59Z', '39 months'],
    ['2013-01-01T00:00:00Z', '2017-12-31T23:59:59Z', '60 months'],
  ])('notBefore %s: valid to %s passes, a second more fails (%s)', (notBefore, lastAllowed, rule) => {
    expect(runCheck(tooLong, valid(notBefore, lastAllowed), NO_SETTINGS).status).toBe('pass');
    const run = runCheck(tooLong, valid(notBefore, new Date(Date.parse(lastAllowed) + 1000).toISOString()), NO_SETTINGS);
    expect(run.status).toBe('error');
    expect(run.detail).toContain(`allows ${rule}`);
  });

  it('a 398-day certificate issued on 2026-03-15 (SC-081), as the issue asks a retroactive audit to see', () => {
    expect(runCheck(tooLong, valid('2026-03-15T00:00:00Z', '2027-04-16T23:59:59Z'), NO_SETTINGS).detail).toBe(
      'valid 398 days (2026-03-15T00:00:00.000Z to 2027-04-16T23:59:59.000Z); BR 6.3.2 (Ballot SC-081): 200 days from 2026-03-15 allows 200 days',
    );
  });

  it('NE before BR 1.0; NA for a CA certificate', () => {
    expect(runCheck(tooLong, valid('2012-06-30T00:00:00Z', '2022-06-30T00:00:00Z'), NO_SETTINGS).status).toBe('NE');
    const ca = { ...valid('2024-01-01T00:00:00Z', '2034-01-01T00:00:00Z') };
    expect(runCheck(tooLong, { ...ca, certificate: { ...ca.certificate, isCA: true } }, NO_SETTINGS).status).toBe('NA');
  });
});

describe('isoMillis (the times the period checks read on every certificate)', () => {
  it('equals Date.parse on the fixed forms it reads itself and on every other form it hands over', () => {
    for (const text of ['2024-01-10T00:00:00Z', '2024-01-10T00:00:00.123Z', '1999-12-31T23:59:59.999Z', '2026-03-15T12:34:56Z', '2024-01-10', '2024-01-10T00:00:00+02:00', '2024-01-10 08:00:00', '2024-02-29T12:00:00Z', '2023-01-31T00:00:00.500Z']) {
      expect(isoMillis(text), text).toBe(Date.parse(text));
    }
    for (const text of ['2024-13-10T00:00:00Z', '2024-01-10T25:00:00Z', '2024-0a-10T00:00:00Z', 'soon', '']) expect(isoMillis(text), text).toBeNaN();
  });

  it('a field out of range is no time, even where Date.UTC would roll it over into the next day or month', () => {
    // (and a character next to the digits, ':' or '/', read as a digit would land in range)
    for (const text of ['2024-00-10T00:00:00Z', '2024-01-00T00:00:00Z', '2024-01-32T00:00:00Z', '2024-01-10T00:60:00Z', '2024-01-10T00:00:60Z', '2024-01-10T00:00:60.000Z', '2024-0:-10T00:00:00Z', '2024-01-10T1/:00:00Z', '2024-01-10x00:00:00Z', '2024-01-10T00:00:000', '2024-01-10T00:00:00,123Z']) {
      expect(isoMillis(text), text).toBeNaN();
    }
    // The edges of each range are read exactly, a day past its month's end as Date.parse reads it
    // (into the next month); 24:00 (ISO 8601's end of a day) is handed to Date.parse.
    for (const text of ['2024-01-01T00:00:00Z', '2024-12-28T23:59:59Z', '2024-10-19T19:09:09.009Z', '2024-11-20T10:10:10Z', '2024-01-10T24:00:00Z', '2024-01-31T12:00:00Z', '2024-01-10T00:00:00.1Z', '2023-02-29T00:00:00Z', '2024-02-30T10:00:00Z', '2024-04-31T00:00:00.250Z', '2024-12-31T23:59:59.999Z', '0050-06-15T00:00:00Z']) {
      expect(isoMillis(text), text).toBe(Date.parse(text));
    }
  });

  it('reads the fixed forms itself, without Date.parse (its speed is why it exists), and hands every other form over', () => {
    const fixed = ['2024-01-10T00:00:00Z', '2024-01-10T00:00:00.123Z', '2024-12-31T23:59:59.999Z', '2024-02-30T10:00:00Z', '1999-01-01T00:00:00Z', '0050-06-15T00:00:00Z', '0000-06-15T00:00:00Z'];
    const expected = fixed.map((text) => Date.parse(text));
    const parse = vi.spyOn(Date, 'parse');
    try {
      fixed.forEach((text, index) => {
        expect(isoMillis(text), text).toBe(expected[index]);
        expect(parse, text).not.toHaveBeenCalled();
      });
      for (const text of ['2024-01-10T24:00:00Z', '2024-01-10T00:00:00+02:00', '2024-01-10', '2024-01-10T00:00:00.1Z', '2024-13-10T00:00:00Z', '2024-0a-10T00:00:00Z', '2024-01-10T00:00:00.12aZ', '20a4-01-10T00:00:00Z']) {
        parse.mockClear();
        isoMillis(text);
        expect(parse, text).toHaveBeenCalledTimes(1);
      }
    } finally {
      parse.mockRestore();
    }
  });

  it('text that does not start with a date is no time, though Date.parse reads some of it', () => {
    // Date.parse takes a bare year and English dates; a vetted_at must be ISO 8601.
    for (const text of ['2024', '2024-01', '2024-01-1', '2024-1-10 00:00', 'Jan 10 2024', '10 January 2024 00:00 UTC', '2024/01/10T00:00:00Z']) {
      expect(isoMillis(text), text).toBeNaN();
    }
  });
});
