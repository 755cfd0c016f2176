// SummaryAccumulator: the counts of summary.json, and a checkpoint's snapshot of them.
import { describe, expect, it } from 'vitest';
import type { DecodedCertificate } from '../../src/decode/types.js';
import { SummaryAccumulator } from '../../src/reports/summary.js';
import { affected, certificate, mismatch, placeholder, scanTime } from './affected_fixture.js';

const validUntil = (notAfter: string, notBefore = certificate.notBefore): DecodedCertificate => ({ ...certificate, notBefore, notAfter });

describe('SummaryAccumulator', () => {
  it('counts findings by check, and affected certificates by status, type and deadline', () => {
    const totals = new SummaryAccumulator(scanTime);
    const due = affected();
    const revoked = affected({}, { revokedAt: '2026-10-05T00:00:00.000Z' });
    const expired = affected({ certificate: validUntil('2026-11-01T00:00:00.000Z', '2026-08-01T00:00:00.000Z') });
    const undecodable = affected({ certificate: null, findings: [mismatch] }, { revokedAt: '2026-10-05T00:00:00.000Z' });
    const review = affected({ findings: [placeholder], certificate: validUntil('2027-01-01T00:00:00.000Z', '2026-11-20T00:00:00.000Z') });
    const items = [due, revoked, expired, undecodable, review];
    totals.add(1000, items);
    totals.addCertificates(items);
    expect({ ...totals, revocation: totals.revocationSummary() }).toMatchObject({
      certificatesScanned: 1000,
      findings: 11,
      findingsByCheck: { e_subject_country_order_mismatch: 7, w_subject_country_placeholder: 4 },
      affectedCertificates: 5,
      affectedByValidationType: { OV: 4 },
      stillValid: 2,
      revoked: 2,
      expired: 1,
      undecodable: 1,
      firstAffectedNotBefore: '2026-08-01T00:00:00.000Z',
      lastAffectedNotBefore: '2026-11-20T00:00:00.000Z',
      revocation: { byStatus: { revoked: 2, expired: 1, overdue: 0, due: 1, review: 1 }, nextDeadline: '2026-12-01T12:00:00.000Z', overdue: [] },
    });
  });

  it('lists overdue certificates (deadline from an earlier discovery) and keeps the earliest deadline ahead', () => {
    const totals = new SummaryAccumulator(scanTime, new Date('2026-11-01T00:00:00Z'));
    totals.addCertificates([affected({}, { ref: 7 })]);
    expect(totals.revocationSummary()).toEqual({
      byStatus: { revoked: 0, expired: 0, overdue: 1, due: 0, review: 0 },
      nextDeadline: null,
      overdue: [{ certId: 7, serial: '0a1b2c', sha256: certificate.sha256, deadline: '2026-11-06T00:00:00.000Z' }],
    });
  });

  it('a checkpoint snapshot restores every count, and the deadline state is copied, not shared', () => {
    const totals = new SummaryAccumulator(scanTime);
    totals.add(10, [affected()]);
    totals.addCertificates([affected()]);
    const snapshot = JSON.parse(JSON.stringify(totals.snapshot())) as Record<string, unknown>;
    const resumed = new SummaryAccumulator(scanTime);
    resumed.restore(snapshot);
    expect({ ...resumed, revocation: resumed.revocationSummary() }).toEqual({ ...totals, revocation: totals.revocationSummary() });
    totals.revocationSummary().byStatus.due = 99;
    expect(totals.revocationSummary().byStatus.due).toBe(1);
  });
});
