// BR 4.9.1.1 deadlines: every status, and the boundaries between them.
import { describe, expect, it } from 'vitest';
import type { AffectedCertificate } from '../../src/inspect.js';
import type { DecodedCertificate } from '../../src/decode/types.js';
import type { Severity } from '../../src/checks/types.js';
import { OperationalError } from '../../src/errors.js';
import { REVOCATION_DAYS, refuseDiscoveryBeforeIssuance, refuseFutureDiscovery, revocationDeadline } from '../../src/reports/deadline.js';

const scanTime = new Date('2026-11-26T12:00:00Z');

function item(severities: Severity[], notAfter: string | null = '2027-01-01T00:00:00.000Z', revokedAt: string | null = null): AffectedCertificate {
  return {
    row: { ref: 1, orderId: null, order: null, serial: '01', issuedAt: null, revokedAt, revocationReason: null },
    // Only notAfter is read here.
    certificate: notAfter === null ? null : ({ notAfter } as DecodedCertificate),
    sha256: 'aa',
    findings: severities.map((severity) => ({ check: 'x_check', severity, detail: 'd', citation: 'c' })),
  };
}

describe('revocationDeadline', () => {
  it('an error or fatal finding: due 5 days after the scan, overdue after that', () => {
    expect(REVOCATION_DAYS).toBe(5);
    expect(revocationDeadline(item(['warn', 'error']), scanTime, null)).toEqual({ status: 'due', deadline: '2026-12-01T12:00:00.000Z' });
    expect(revocationDeadline(item(['fatal']), scanTime, null)).toEqual({ status: 'due', deadline: '2026-12-01T12:00:00.000Z' });
    // Discovered earlier: the deadline runs from then. Exactly on it is still due; a millisecond later, overdue.
    expect(revocationDeadline(item(['error']), scanTime, new Date('2026-11-21T12:00:00Z'))).toEqual({ status: 'due', deadline: '2026-11-26T12:00:00.000Z' });
    expect(revocationDeadline(item(['error']), scanTime, new Date('2026-11-21T11:59:59.999Z'))).toEqual({ status: 'overdue', deadline: '2026-11-26T11:59:59.999Z' });
    // An undecodable row has no notAfter: still due.
    expect(revocationDeadline(item(['error'], null), scanTime, null).status).toBe('due');
  });

  it('warnings and notices only: for review, with no deadline', () => {
    expect(revocationDeadline(item(['warn', 'notice']), scanTime, null)).toEqual({ status: 'review', deadline: null });
  });

  it('revoked comes first, then expired (notAfter at or before the scan); neither gets a deadline', () => {
    expect(revocationDeadline(item(['error'], '2020-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'), scanTime, null)).toEqual({ status: 'revoked', deadline: null });
    expect(revocationDeadline(item(['warn'], '2027-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'), scanTime, null)).toEqual({ status: 'revoked', deadline: null });
    expect(revocationDeadline(item(['error'], '2026-11-26T12:00:00.000Z'), scanTime, null)).toEqual({ status: 'expired', deadline: null });
    expect(revocationDeadline(item(['warn'], '2026-11-26T11:00:00.000Z'), scanTime, null)).toEqual({ status: 'expired', deadline: null });
    expect(revocationDeadline(item(['error'], '2026-11-26T12:00:00.001Z'), scanTime, null).status).toBe('due');
  });
});

describe('deadlines never before the certificate was issued', () => {
  const discoveredAt = new Date('2026-11-01T00:00:00Z');
  const issuedAfter = (notBefore: string | null, issuedAt: string | null): AffectedCertificate => ({
    ...item(['error']),
    row: { ...item(['error']).row, issuedAt },
    certificate: notBefore === null ? null : ({ notAfter: '2027-01-01T00:00:00.000Z', notBefore } as DecodedCertificate),
  });

  it('5 days from the notBefore of a certificate issued after the discovery, from the issuance time of an undecodable row', () => {
    expect(revocationDeadline(issuedAfter('2026-11-24T00:00:00.000Z', null), scanTime, discoveredAt)).toEqual({ status: 'due', deadline: '2026-11-29T00:00:00.000Z' });
    expect(revocationDeadline(issuedAfter('2026-10-20T00:00:00.000Z', null), scanTime, discoveredAt)).toEqual({ status: 'overdue', deadline: '2026-11-06T00:00:00.000Z' });
    expect(revocationDeadline(issuedAfter(null, '2026-11-23T00:00:00.000Z'), scanTime, discoveredAt)).toEqual({ status: 'due', deadline: '2026-11-28T00:00:00.000Z' });
    // Neither a notBefore nor an issuance time: from the discovery date.
    expect(revocationDeadline(issuedAfter(null, null), scanTime, discoveredAt)).toEqual({ status: 'overdue', deadline: '2026-11-06T00:00:00.000Z' });
  });
});

describe('--discovered refused', () => {
  it('after the scan: refused; at the scan time or before it, or not given: accepted', () => {
    expect(() => refuseFutureDiscovery(new Date('2026-11-26T12:00:00.001Z'), scanTime)).toThrow(
      new OperationalError('--discovered 2026-11-26T12:00:00.001Z is after this scan (2026-11-26T12:00:00.000Z): a discovery date cannot be in the future'),
    );
    refuseFutureDiscovery(scanTime, scanTime);
    refuseFutureDiscovery(new Date('2026-11-01T00:00:00Z'), scanTime);
    refuseFutureDiscovery(null, scanTime);
  });

  it('before the first affected notBefore: refused; on it or later, or nothing affected: accepted', () => {
    expect(() => refuseDiscoveryBeforeIssuance(new Date('2026-09-30T23:59:59.999Z'), '2026-10-01T00:00:00.000Z')).toThrow(
      new OperationalError('--discovered 2026-09-30T23:59:59.999Z is before the first affected certificate was issued (notBefore 2026-10-01T00:00:00.000Z); reports not written'),
    );
    refuseDiscoveryBeforeIssuance(new Date('2026-10-01T00:00:00Z'), '2026-10-01T00:00:00.000Z');
    refuseDiscoveryBeforeIssuance(new Date('2026-09-01T00:00:00Z'), null);
    refuseDiscoveryBeforeIssuance(null, '2026-10-01T00:00:00.000Z');
  });
});

