import { describe, expect, it } from 'vitest';
import { createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import { buildDemoCertificate, type DemoCertificateSpec, type DemoOrder } from '../../src/demo/demo_db.js';
import { FILTERED, createInspector, inspectRow, type RowInspection } from '../../src/inspect.js';
import { CHECKS } from '../../src/checks/index.js';
import type { OrderRecord, ReportedRow, SourceRow } from '../../src/sources/types.js';
import { certificateFor, fixtureCertificate, order } from '../helpers.js';

const ca = createDemoCa(new Date('2026-11-26T00:00:00Z'));
const key = generateKeyPair();
let nextSerial = 1;

function rowFor(spec: DemoCertificateSpec, orderRecord: DemoOrder | null, der?: Uint8Array): SourceRow & ReportedRow {
  const serial = Buffer.from([0x10, nextSerial++]);
  const record: OrderRecord | null = orderRecord && { ...orderRecord };
  return {
    ref: nextSerial,
    der: der ?? buildDemoCertificate(spec, serial, ca.issuing, key),
    orderId: spec.orderId,
    serial: serial.toString('hex'),
    issuedAt: spec.notBefore.toISOString(),
    revokedAt: null,
    revocationReason: null,
    order: record,
  };
}

const inspector = createInspector({ disabledChecks: [], placeholderCountries: ['AD'] });
/** inspectRow without an audit filter: a row is affected (its inspection) or clean (null). */
function inspected(row: SourceRow): RowInspection | null {
  const result = inspectRow(inspector, row);
  if (result === FILTERED) throw new Error('no filter was given, yet the row was filtered');
  return result;
}
const checksOf = (row: SourceRow) => (inspected(row)?.findings ?? []).map((finding) => finding.check).sort();

describe('country cross-reference against the vetted order', () => {
  it('Bugzilla 1559376: order vetted MM, certificate issued C=AD', () => {
    const mm = order('ORD-MM', { country: 'MM', state: 'Yangon Region', locality: 'Yangon' });
    const row = rowFor(certificateFor(mm, { country: 'AD' }), mm);
    const affected = inspected(row)!;
    expect(affected.findings.map((finding) => finding.check).sort()).toEqual(['e_subject_country_order_mismatch', 'w_subject_country_placeholder']);
    expect(affected.findings.find((finding) => finding.check === 'e_subject_country_order_mismatch')!.detail).toBe(
      'subject C=AD but order ORD-MM was vetted for MM',
    );
  });

  it('Bugzilla 1559376: order vetted LR, certificate issued C=GH', () => {
    const lr = order('ORD-LR', { country: 'LR', state: 'Montserrado', locality: 'Monrovia' });
    expect(checksOf(rowFor(certificateFor(lr, { country: 'GH' }), lr))).toEqual(['e_subject_country_order_mismatch']);
  });

  it('a certificate issued as vetted has no finding', () => {
    const lr = order('ORD-LR-OK', { country: 'LR' });
    expect(inspectRow(inspector, rowFor(certificateFor(lr), lr))).toBeNull();
  });

  it('XX is a legal code: vetted XX, issued XX is clean', () => {
    const xx = order('ORD-XX', { country: 'XX', state: null });
    expect(inspectRow(inspector, rowFor(certificateFor(xx), xx))).toBeNull();
  });

  it('XX where a real country was vetted is a mismatch', () => {
    const de = order('ORD-DE', { country: 'DE' });
    expect(checksOf(rowFor(certificateFor(de, { country: 'XX' }), de))).toEqual(['e_subject_country_order_mismatch']);
  });

  it('a DV certificate without C is fine', () => {
    const dv = order('ORD-DV', { validationType: 'DV', country: null, state: null, locality: null, organization: null });
    expect(inspectRow(inspector, rowFor(certificateFor(dv), dv))).toBeNull();
  });

  it('a C the order never vetted is a finding', () => {
    const dv = order('ORD-DV-C', { validationType: 'DV', country: null, state: null, locality: null, organization: null });
    const row = rowFor(certificateFor(dv, { country: 'FR' }), dv);
    expect(inspected(row)!.findings[0]!.detail).toBe('subject C=FR but order ORD-DV-C has no vetted country');
  });

  it('a case difference alone is not a country mismatch', () => {
    const mm = order('ORD-mm', { country: 'mm' });
    expect(checksOf(rowFor(certificateFor(mm, { country: 'MM' }), mm))).toEqual([]);
  });

  it('EV jurisdictionCountryName against the vetted jurisdiction', () => {
    const ev = order('ORD-EV', { validationType: 'EV', country: 'DE', jurisdictionCountry: 'DE' });
    expect(checksOf(rowFor(certificateFor(ev), ev))).toEqual([]);
    expect(checksOf(rowFor(certificateFor(ev, { jurisdictionCountry: 'AT' }), ev))).toEqual(['e_ev_jurisdiction_country_order_mismatch']);
  });

  it('an orphan certificate (order id with no order row, or no order id)', () => {
    const ghost = order('ORD-GONE');
    expect(checksOf(rowFor(certificateFor(ghost), null))).toEqual(['e_order_record_missing']);
    const row = rowFor({ ...certificateFor(ghost), orderId: null }, null);
    expect(inspected(row)!.findings[0]!.detail).toBe('certificate row has no order_id');
  });

  it('a C that is not ISO 3166-1 (UK) is reported besides the mismatch', () => {
    const gb = order('ORD-GB', { country: 'GB' });
    expect(checksOf(rowFor(certificateFor(gb, { country: 'UK' }), gb))).toEqual(['e_subject_country_not_iso3166', 'e_subject_country_order_mismatch']);
  });

  it('C=XK (Kosovo, user-assigned, not ISO 3166-1) is not accepted even where the order says XK', () => {
    const xk = order('ORD-XK', { country: 'XK', state: null });
    const affected = inspected(rowFor(certificateFor(xk), xk))!;
    expect(affected.findings.map(({ check, detail }) => [check, detail])).toEqual([['e_subject_country_not_iso3166', 'C="XK" is not an ISO 3166-1 alpha-2 code']]);
  });

  it('a BR rule applies to a certificate issued on its effective date (2012-07-01), not to one issued the second before', () => {
    const gb = order('ORD-GB-2012', { country: 'UK' });
    const onTheDay = rowFor(certificateFor(gb, { notBefore: new Date('2012-07-01T00:00:00Z') }), gb);
    expect(checksOf(onTheDay)).toEqual(['e_subject_country_not_iso3166']);
    const before = rowFor(certificateFor(gb, { notBefore: new Date('2012-06-30T23:59:59Z') }), gb);
    expect(checksOf(before)).toEqual([]);
  });
});

describe('undecodable rows are findings with their row id', () => {
  const good = fixtureCertificate('peers/zlint/orgValGoodAllFields.pem');
  it.each([
    ['truncated DER', good.subarray(0, 300)],
    ['garbage bytes', Buffer.from('not a certificate at all')],
    ['empty DER', Buffer.alloc(0)],
  ])('%s', (_label, der) => {
    const us = order('ORD-US');
    const row = rowFor(certificateFor(us), us, der);
    const affected = inspected(row)!;
    expect(affected.certificate).toBeNull();
    expect(affected.findings).toHaveLength(1);
    expect(affected.findings[0]!.check).toBe('e_certificate_undecodable');
    expect(affected.findings[0]!.detail).toContain(`row ${row.ref} `);
  });
});

describe('the check list', () => {
  it('every registered check has a unique, prefixed name and a citation', () => {
    const names = CHECKS.map((check) => check.name);
    expect(new Set(names).size).toBe(names.length);
    for (const check of CHECKS) {
      expect(check.name).toMatch(/^[ewn]_[a-z0-9_]+$/);
      expect(check.citation.length).toBeGreaterThan(10);
    }
  });
});
