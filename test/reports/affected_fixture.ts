// An affected certificate for the report writers' tests: a real certificate signed by a demo CA,
// issued C=AD for an order vetted MM, with two findings (one of them twice).
import { createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import { buildDemoCertificate } from '../../src/demo/demo_db.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import type { AffectedCertificate } from '../../src/inspect.js';
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

