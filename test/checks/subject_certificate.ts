// A real signed certificate with a given subject, decoded and ready for a check (tests of the
// value checks build one per case: real parts, not hand-made CertificateFacts).
import { buildCertificate, createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import type { NameAttributeSpec } from '../../src/demo/der.js';
import { POLICY } from '../../src/decode/oids.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { checkInput, runCheck, type CheckRun } from '../../src/checks/run.js';
import type { Check, CheckContext, CheckInput } from '../../src/checks/types.js';

const ca = createDemoCa(new Date('2026-11-26T00:00:00Z'));
const key = generateKeyPair();
let serial = 1;

export const NO_SETTINGS: CheckContext = { placeholderCountries: new Set(), placeholderValues: new Set(), embargoedCountries: new Set() };

export function inputWithSubject(subject: NameAttributeSpec[], notBefore = '2024-06-01T00:00:00Z', policyOids: readonly string[] = [POLICY.OV], notAfter?: string): CheckInput {
  const der = buildCertificate(
    {
      serial: Buffer.from([0x66, serial >> 8, serial++ & 0xff]),
      subject,
      notBefore: new Date(notBefore),
      notAfter: notAfter ? new Date(notAfter) : new Date(new Date(notBefore).getTime() + 90 * 86_400_000),
      policyOids,
      subjectPublicKeyInfo: key.spki,
    },
    ca.issuing,
  );
  return checkInput(decodeCertificate(der), { ref: 1, orderId: null, order: null });
}

export function runOnSubject(check: Check, subject: NameAttributeSpec[], context: CheckContext = NO_SETTINGS): CheckRun {
  return runCheck(check, inputWithSubject(subject), context);
}
