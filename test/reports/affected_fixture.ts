// An affected certificate for the report writers' tests: a real certificate signed by a demo CA,
// issued C=AD for an order vetted MM, with two findings (one of them twice).
import { createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import { buildDemoCertificate } from '../../src/demo/demo_db.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import type { AffectedCertificate } from '../../src/inspect.js';
import { DEFAULT_INCIDENT_REPORT, type ScanSummary } from '../../src/reports/summary.js';
import { SCAN_TIME, certificateFor, order } from '../helpers.js';

export const scanTime = new Date(SCAN_TIME);
export const ca = createDemoCa(scanTime, 'Appendix Test');
export const mm = order('ORD-MM', { country: 'MM', state: 'Yangon Region', locality: 'Yangon', organization: 'Myanma Demo Bank' });
export const der = buildDemoCertificate(
  certificateFor(mm, { country: 'AD', commonName: 'bank.example', notBefore: new Date('2026-10-01T08:30:00Z') }),
  Buffer.from('0a1b2c', 'hex'),
  ca.issuing,
  generateKeyPair(),
);
export const certificate = decodeCertificate(der);
export const mismatch = { check: 'e_subject_country_order_mismatch', severity: 'error' as const, detail: 'd', citation: 'c' };
export const placeholder = { check: 'w_subject_country_placeholder', severity: 'warn' as const, detail: 'd', citation: 'c' };

export function affected(fields: Partial<AffectedCertificate> = {}, row: Partial<AffectedCertificate['row']> = {}): AffectedCertificate {
  return {
    row: { ref: 42, orderId: 'ORD-MM', order: mm, serial: '0a1b2c', issuedAt: '2026-10-01T08:30:00.000Z', revokedAt: null, revocationReason: null, ...row },
    certificate,
    sha256: certificate.sha256,
    findings: [mismatch, placeholder, mismatch],
    ...fields,
  };
}


/** A summary of a scan of nothing, with `fields` changed. */
export function scanSummary(fields: Partial<ScanSummary> = {}): ScanSummary {
  return {
    scanId: 'test',
    tool: { name: 'certscan', version: '0.0.0' },
    startedAt: '2026-11-26T12:00:00.000Z',
    finishedAt: '2026-11-26T12:00:01.000Z',
    source: { kind: 'sqlite', path: 'db.sqlite', databaseFile: { bytes: 0, modifiedAt: '2026-11-26T00:00:00.000Z' }, certificatesTable: 'certificates', pageQuery: '-', pageSize: 1, firstId: null, lastId: null },
    workers: 1,
    configSha256: '00',
    certificatesScanned: 0,
    affectedCertificates: 0,
    findings: 0,
    findingsByCheck: {},
    affectedByValidationType: {},
    stillValid: 0,
    revoked: 0,
    expired: 0,
    undecodable: 0,
    precertificatesOnly: 0,
    crtshLinks: 0,
    affectedByMonth: {},
    firstAffectedNotBefore: null,
    lastAffectedNotBefore: null,
    discoveredAt: null,
    revocation: { byStatus: { revoked: 0, expired: 0, overdue: 0, due: 0, review: 0 }, toRevoke: { stillValid: 0, undecodable: 0 }, nextDeadline: null, overdue: [] },
    reports: [],
    decoding: { fastPath: 0, fastPathFallbacks: 0 },
    incidentReport: DEFAULT_INCIDENT_REPORT,
    inputProblems: 0,
    workerRestarts: 0,
    ...fields,
  };
}
