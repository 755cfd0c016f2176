// Issue 11 point 5: e_subject_country_missing gives each reason for requiring C its own date from
// the BR / EVG history. zlint dates "IV requires C" from BR 1.3.1 (2015-09-28) and says NE for its
// indivValNoCountryNotEffective.pem (notBefore 2015-09-27T23:59:59Z); so does certscan now.
import { describe, expect, it } from 'vitest';
import { buildCertificate, createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import type { NameAttributeSpec } from '../../src/demo/der.js';
import { ATTRIBUTE, POLICY } from '../../src/decode/oids.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { checkInput, runCheck, runChecks } from '../../src/checks/run.js';
import countryMissing from '../../src/checks/e_subject_country_missing.js';
import { fixtureCertificate } from '../helpers.js';

const ca = createDemoCa(new Date('2026-11-26T00:00:00Z'));
const key = generateKeyPair();
const context = { placeholderCountries: new Set<string>(), placeholderValues: new Set<string>(), embargoedCountries: new Set<string>() };
let serial = 1;

interface Shape {
  policy?: keyof typeof POLICY;
  isCA?: boolean;
  subject: NameAttributeSpec[];
}

const CN: NameAttributeSpec = { oid: ATTRIBUTE.commonName, value: 'www.example.com' };
const O: NameAttributeSpec = { oid: ATTRIBUTE.organizationName, value: 'Example Inc.' };
const GIVEN_NAME: NameAttributeSpec = { oid: ATTRIBUTE.givenName, value: 'Ada' };
const C: NameAttributeSpec = { oid: ATTRIBUTE.countryName, value: 'NA', type: 'PrintableString' };

function inputFor(shape: Shape, notBefore: string) {
  const der = buildCertificate(
    {
      serial: Buffer.from([0x55, serial++]),
      subject: shape.subject,
      notBefore: new Date(notBefore),
      notAfter: new Date(new Date(notBefore).getTime() + 90 * 86_400_000),
      policyOids: shape.policy ? [POLICY[shape.policy]] : [],
      isCA: shape.isCA ?? false,
      subjectPublicKeyInfo: key.spki,
    },
    ca.issuing,
  );
  return checkInput(decodeCertificate(der), { ref: 1, orderId: null, order: null });
}

const run = (shape: Shape, notBefore: string) => runCheck(countryMissing, inputFor(shape, notBefore), context);

describe('e_subject_country_missing: each trigger from its own date', () => {
  // [trigger, certificate shape without C, the date the rule took effect, the reason named]
  const cases: ReadonlyArray<[string, Shape, string, string]> = [
    ['CA certificate (BR 1.0)', { isCA: true, subject: [CN] }, '2012-07-01', 'CA certificate'],
    ['OV (BR 1.0)', { policy: 'OV', subject: [CN] }, '2012-07-01', 'OV certificate'],
    ['IV (BR 1.3.1)', { policy: 'IV', subject: [CN] }, '2015-09-28', 'IV certificate'],
    ['EV (EVG 1.0)', { policy: 'EV', subject: [CN] }, '2007-06-07', 'EV certificate'],
    ['organizationName present (BR 1.0 9.2.5)', { subject: [O, CN] }, '2012-07-01', 'subject names an organization'],
    ['givenName present (September 2016)', { subject: [GIVEN_NAME, CN] }, '2016-09-07', 'subject names a person (givenName / surname)'],
  ];

  it.each(cases)('%s: NE the second before %s, an error from its first second', (_label, shape, date, reason) => {
    const before = new Date(new Date(`${date}T00:00:00Z`).getTime() - 1000).toISOString();
    expect(run(shape, before).status).toBe('NE');
    expect(run(shape, `${date}T00:00:00Z`)).toEqual({ check: 'e_subject_country_missing', status: 'error', detail: `no countryName in the subject (${reason})` });
    // With a C the certificate passes once the rule is in force, and is NE before.
    const withCountry = { ...shape, subject: [C, ...shape.subject] };
    expect(run(withCountry, `${date}T00:00:00Z`).status).toBe('pass');
    expect(run(withCountry, before).status).toBe('NE');
  });

  it('a certificate with several triggers is in effect from the earliest, and names those in force', () => {
    const ivPerson: Shape = { policy: 'IV', subject: [GIVEN_NAME, CN] };
    expect(run(ivPerson, '2015-09-27T23:59:59Z').status).toBe('NE');
    expect(run(ivPerson, '2015-09-28T00:00:00Z').detail).toBe('no countryName in the subject (IV certificate)');
    expect(run(ivPerson, '2016-09-07T00:00:00Z').detail).toBe('no countryName in the subject (IV certificate; subject names a person (givenName / surname))');
    const ovOrganization: Shape = { policy: 'OV', subject: [O, GIVEN_NAME, CN] };
    expect(run(ovOrganization, '2013-01-01T00:00:00Z').detail).toBe('no countryName in the subject (OV certificate; subject names an organization)');
  });

  it('the per-certificate date holds in runChecks (the scan loop) as in runCheck', () => {
    expect(runChecks([countryMissing], inputFor({ policy: 'IV', subject: [CN] }, '2015-09-27T12:00:00Z'), context)).toEqual([]);
    expect(runChecks([countryMissing], inputFor({ policy: 'IV', subject: [CN] }, '2015-09-28T00:00:00Z'), context).map((finding) => finding.check)).toEqual([
      'e_subject_country_missing',
    ]);
  });

  it('a DV certificate naming neither an organization nor a person does not apply', () => {
    expect(run({ policy: 'DV', subject: [CN] }, '2024-01-01T00:00:00Z').status).toBe('NA');
  });

  it('zlint indivValNoCountryNotEffective.pem (IV + givenName/surname, notBefore 2015-09-27T23:59:59Z): NE, as zlint says', () => {
    const certificate = decodeCertificate(fixtureCertificate('peers/zlint/indivValNoCountryNotEffective.pem'));
    expect(certificate.notBefore).toBe('2015-09-27T23:59:59.000Z');
    expect(runCheck(countryMissing, checkInput(certificate, { ref: 1, orderId: null, order: null }), context).status).toBe('NE');
  });

  it('zlint indivValNoCountry.pem (the same rule in force): error', () => {
    const certificate = decodeCertificate(fixtureCertificate('peers/zlint/indivValNoCountry.pem'));
    expect(runCheck(countryMissing, checkInput(certificate, { ref: 1, orderId: null, order: null }), context).status).toBe('error');
  });

  it('the metadata date is the earliest trigger date, and the citation dates each trigger', () => {
    expect(countryMissing.effectiveDate).toBe('2007-06-07');
    for (const date of ['2012-07-01', '2015-09-28', '2007-06-07', '2016-09-07']) expect(countryMissing.citation).toContain(date);
  });
});
