// The one computation behind every count of the incident report: which class each affected
// certificate is in, what the appendix row says of it, and how the rows add up (classes, types and
// statuses to the total; the next deadline; the overdue list; first and last notBefore; the chart's
// month-by-check tally). Real certificates signed by a demo CA, counted in a deliberately unsorted order.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/checks/types.js';
import { buildCertificate, generateKeyPair } from '../../src/demo/certificate_builder.js';
import { buildDemoCertificate, subjectFor, type DemoCertificateSpec } from '../../src/demo/demo_db.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import type { DecodedCertificate } from '../../src/decode/types.js';
import type { AffectedCertificate, CtLocation } from '../../src/inspect.js';
import {
  CERTIFICATE_CLASSES,
  EMPTY_INPUT_SHA256,
  classOf,
  countAffected,
  emptyCounts,
  factsOf,
  isPrecertificateEntry,
  type AffectedCounts,
  type AffectedFacts,
} from '../../src/reports/affected_counts.js';
import { certificateFor } from '../helpers.js';
import { affected, ca, mismatch, mm, placeholder, scanTime } from './affected_fixture.js';

const key = generateKeyPair();
let nextSerial = 0x10;

/** A real certificate for the fixture's MM order, issued C=AD, with `fields` changed. */
function issued(fields: Partial<DemoCertificateSpec> = {}, precertificate = false): DecodedCertificate {
  return decodeCertificate(buildDemoCertificate(certificateFor(mm, { country: 'AD', ...fields }), Buffer.from([nextSerial++]), ca.issuing, key, precertificate));
}

const undecodable: Finding = { check: 'e_certificate_undecodable', severity: 'error', detail: 'd', citation: 'c' };
const precertEntry = (leafIndex: number): CtLocation => ({ origin: 'log.example/2026', leafIndex, entryType: 'precert', timestamp: 1, issuerKeyHash: 'cd' });

/** An affected certificate (null: a row whose DER did not decode, its stored bytes hashing to ef..ef). */
function item(ref: number, certificate: DecodedCertificate | null, findings: Finding[], row: Partial<AffectedCertificate['row']> = {}, ct?: CtLocation): AffectedCertificate {
  return affected({ certificate, sha256: certificate?.sha256 ?? 'ef'.repeat(32), findings, ...(ct ? { ct } : {}) }, { ref, serial: `0bad${ref}`, ...row });
}

const sum = (values: Record<string, number>): number => Object.values(values).reduce((total, value) => total + value, 0);

describe('classOf: every affected certificate in exactly one class', () => {
  it('revoked first (decodable or not, expired or not), then undecodable, then expired at the scan, else still valid', () => {
    const revokedAt = { revokedAt: '2026-10-05T00:00:00.000Z' };
    const expiredLongAgo = issued({ notBefore: new Date('2019-06-01T00:00:00Z') });
    expect(classOf(item(1, issued(), [mismatch]), scanTime)).toBe('still-valid');
    expect(classOf(item(2, expiredLongAgo, [mismatch]), scanTime)).toBe('expired');
    expect(classOf(item(3, null, [undecodable]), scanTime)).toBe('undecodable');
    expect(classOf(item(4, expiredLongAgo, [mismatch], revokedAt), scanTime)).toBe('revoked');
    expect(classOf(item(5, null, [undecodable], revokedAt), scanTime)).toBe('revoked');
    expect(classOf(item(6, issued(), [mismatch], revokedAt), scanTime)).toBe('revoked');
  });

  it('a certificate whose notAfter is exactly the scan time is expired; a second later it is still valid', () => {
    const notBefore = new Date('2026-09-01T00:00:00Z');
    expect(classOf(item(1, issued({ notBefore, notAfter: scanTime }), [mismatch]), scanTime)).toBe('expired');
    expect(classOf(item(2, issued({ notBefore, notAfter: new Date(scanTime.getTime() + 1000) }), [mismatch]), scanTime)).toBe('still-valid');
  });
});

describe('isPrecertificateEntry', () => {
  it('a certificate with the CT poison extension, or a CT precert entry; not a final certificate', () => {
    expect(isPrecertificateEntry(item(1, issued({}, true), [mismatch]))).toBe(true);
    expect(isPrecertificateEntry(item(2, issued(), [mismatch], {}, precertEntry(3)))).toBe(true);
    expect(isPrecertificateEntry(item(3, issued(), [mismatch], {}, { ...precertEntry(4), entryType: 'x509' }))).toBe(false);
    expect(isPrecertificateEntry(item(4, issued(), [mismatch]))).toBe(false);
    expect(isPrecertificateEntry(item(5, null, [undecodable]))).toBe(false);
  });
});

describe('factsOf: what the appendix row of one certificate says, and what is counted', () => {
  it('a still-valid certificate with an error finding: due 5 days after the scan, each check once in order of first appearance', () => {
    const certificate = issued({ notBefore: new Date('2026-10-01T08:30:00Z') });
    expect(factsOf(item(7, certificate, [mismatch, placeholder, mismatch]), scanTime, null)).toEqual({
      certificateClass: 'still-valid',
      status: 'due',
      deadline: '2026-12-01T12:00:00.000Z',
      notBefore: '2026-10-01T08:30:00.000Z',
      validationType: 'OV',
      checks: ['e_subject_country_order_mismatch', 'w_subject_country_placeholder'],
      precertificateOnly: false,
      certId: 7,
      serial: certificate.serialHex,
      sha256: certificate.sha256,
    } satisfies AffectedFacts);
  });

  it('an undecodable row: the source row\'s serial, no notBefore, type unknown, no certificate hash, never a precertificate', () => {
    expect(factsOf(item(8, null, [undecodable], { issuedAt: '2026-11-24T00:00:00.000Z' }, precertEntry(9)), scanTime, null)).toEqual({
      certificateClass: 'undecodable',
      status: 'due',
      // Issued before the scan: 5 days from the scan.
      deadline: '2026-12-01T12:00:00.000Z',
      notBefore: null,
      validationType: 'unknown',
      checks: ['e_certificate_undecodable'],
      precertificateOnly: false,
      certId: 8,
      serial: '0bad8',
      sha256: '',
    } satisfies AffectedFacts);
  });

  it('a precertificate whose final certificate was not found; a certificate with no CA/B Forum policy OID is of unknown type', () => {
    const precertificate = issued({ validationType: 'EV', jurisdictionCountry: 'MM' }, true);
    const facts = factsOf(item(9, precertificate, [mismatch], {}, precertEntry(11)), scanTime, null);
    expect([facts.precertificateOnly, facts.validationType, facts.sha256, facts.certificateClass]).toEqual([true, 'EV', precertificate.sha256, 'still-valid']);

    const spec = certificateFor(mm);
    const noPolicy = decodeCertificate(
      buildCertificate({ serial: Buffer.from([0x7f]), subject: subjectFor(spec), notBefore: spec.notBefore, notAfter: new Date('2026-12-30T00:00:00Z'), policyOids: [], subjectPublicKeyInfo: key.spki }, ca.issuing),
    );
    expect(noPolicy.validationType).toBeNull();
    expect(factsOf(item(10, noPolicy, [placeholder]), scanTime, null)).toMatchObject({ validationType: 'unknown', status: 'review', deadline: null, precertificateOnly: false });
  });

  it('the empty-input hash is the SHA-256 of zero bytes', () => {
    expect(EMPTY_INPUT_SHA256).toBe(createHash('sha256').update(Buffer.alloc(0)).digest('hex'));
    expect(CERTIFICATE_CLASSES).toEqual(['still-valid', 'revoked', 'expired', 'undecodable']);
  });
});

describe('countAffected: the numbers every report prints', () => {
  it('a scan of nothing counts zero everywhere, and each empty count is its own object', () => {
    const counts = emptyCounts();
    expect(counts).toEqual({
      total: 0,
      byClass: { 'still-valid': 0, revoked: 0, expired: 0, undecodable: 0 },
      precertificatesOnly: 0,
      crtshLinks: 0,
      byValidationType: {},
      byStatus: { revoked: 0, expired: 0, overdue: 0, due: 0, review: 0 },
      toRevoke: { stillValid: 0, undecodable: 0 },
      nextDeadline: null,
      overdue: [],
      firstNotBefore: null,
      lastNotBefore: null,
      byMonthAndCheck: {},
    } satisfies AffectedCounts);
    counts.byClass.revoked++;
    counts.overdue.push({ certId: 1, serial: '01', sha256: '', deadline: 'x' });
    expect(emptyCounts().byClass.revoked).toBe(0);
    expect(emptyCounts().overdue).toEqual([]);
  });

  it('ten certificates of every class and status: classes, types and statuses add up to the total', () => {
    // Discovered on 2026-11-10: deadlines run from then, or from a later notBefore (or issuance time).
    const discoveredAt = new Date('2026-11-10T00:00:00Z');
    const at = (iso: string) => new Date(iso);
    const a = issued({ notBefore: at('2026-10-01T00:00:00Z') }); // overdue since 11-15
    const c = issued({ notBefore: at('2026-11-22T00:00:00Z') }); // due 11-27: the next deadline
    const g = issued({ notBefore: at('2026-06-01T00:00:00Z'), notAfter: at('2026-08-30T00:00:00Z') }); // expired: the first notBefore
    const d = issued({ notBefore: at('2026-11-25T00:00:00Z'), validationType: 'DV', organization: null, state: null, locality: null }); // due 11-30: the last notBefore
    const b = issued({ notBefore: at('2026-11-24T00:00:00Z'), validationType: 'EV', jurisdictionCountry: 'MM' }); // due 11-29
    const e = issued({ notBefore: at('2026-09-15T00:00:00Z') }); // a warning only: for review
    const f = issued({ notBefore: at('2026-10-20T00:00:00Z') }); // revoked
    const i = issued({ notBefore: at('2026-11-01T00:00:00Z'), validationType: 'IV' }, true); // a precertificate only: overdue since 11-15
    const items = [
      item(1, a, [mismatch, placeholder, mismatch]),
      item(2, c, [mismatch]),
      item(3, g, [mismatch]),
      item(4, d, [mismatch]),
      item(5, b, [mismatch]),
      item(6, e, [placeholder]),
      item(7, f, [mismatch], { revokedAt: '2026-10-25T00:00:00.000Z' }),
      item(8, null, [undecodable], { issuedAt: '2026-11-20T00:00:00.000Z' }), // undecodable: overdue since 11-25
      item(9, i, [mismatch], {}, precertEntry(5)),
      item(10, null, [undecodable], { revokedAt: '2026-11-21T00:00:00.000Z' }), // undecodable, but revoked
    ];
    const counts = emptyCounts();
    for (const one of items) countAffected(counts, factsOf(one, scanTime, discoveredAt));

    expect(counts).toEqual({
      total: 10,
      byClass: { 'still-valid': 6, revoked: 2, expired: 1, undecodable: 1 },
      precertificatesOnly: 1,
      crtshLinks: 8,
      byValidationType: { OV: 5, DV: 1, EV: 1, IV: 1, unknown: 2 },
      byStatus: { revoked: 2, expired: 1, overdue: 3, due: 3, review: 1 },
      toRevoke: { stillValid: 5, undecodable: 1 },
      nextDeadline: '2026-11-27T00:00:00.000Z',
      overdue: [
        { certId: 1, serial: a.serialHex, sha256: a.sha256, deadline: '2026-11-15T00:00:00.000Z' },
        { certId: 8, serial: '0bad8', sha256: '', deadline: '2026-11-25T00:00:00.000Z' },
        { certId: 9, serial: i.serialHex, sha256: i.sha256, deadline: '2026-11-15T00:00:00.000Z' },
      ],
      firstNotBefore: '2026-06-01T00:00:00.000Z',
      lastNotBefore: '2026-11-25T00:00:00.000Z',
      byMonthAndCheck: {
        '2026-06': { e_subject_country_order_mismatch: 1 },
        '2026-09': { w_subject_country_placeholder: 1 },
        '2026-10': { e_subject_country_order_mismatch: 2, w_subject_country_placeholder: 1 },
        '2026-11': { e_subject_country_order_mismatch: 4 },
      },
    } satisfies AffectedCounts);
    expect(sum(counts.byClass)).toBe(counts.total);
    expect(sum(counts.byValidationType)).toBe(counts.total);
    expect(sum(counts.byStatus)).toBe(counts.total);
    expect(counts.toRevoke.stillValid + counts.toRevoke.undecodable).toBe(counts.byStatus.overdue + counts.byStatus.due);
  });

  it('the next deadline is the earliest due one, in whatever order the rows come', () => {
    const due = factsOf(item(1, issued(), [mismatch]), scanTime, null);
    const deadlines = ['2026-11-29T00:00:00.000Z', '2026-11-27T00:00:00.000Z', '2026-11-30T00:00:00.000Z', '2026-11-28T00:00:00.000Z'];
    const counts = emptyCounts();
    for (const deadline of deadlines) countAffected(counts, { ...due, deadline });
    expect(counts.nextDeadline).toBe('2026-11-27T00:00:00.000Z');
    // An overdue or reviewed row never sets it.
    const alone = emptyCounts();
    countAffected(alone, { ...due, status: 'overdue', deadline: '2026-11-20T00:00:00.000Z' });
    countAffected(alone, { ...due, status: 'review', deadline: null });
    expect(alone.nextDeadline).toBeNull();
  });

  it('the overdue list stops at 100 certificates, in the order they came; the counts go on', () => {
    const overdue = factsOf(item(1, issued({ notBefore: new Date('2026-10-01T00:00:00Z') }), [mismatch]), scanTime, new Date('2026-11-01T00:00:00Z'));
    expect(overdue.status).toBe('overdue');
    const counts = emptyCounts();
    for (let certId = 1; certId <= 101; certId++) countAffected(counts, { ...overdue, certId });
    expect(counts.overdue.map((listed) => listed.certId)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
    expect([counts.byStatus.overdue, counts.toRevoke.stillValid, counts.total]).toEqual([101, 101, 101]);
  });
});
