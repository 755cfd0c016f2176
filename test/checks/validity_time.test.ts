// Issue 11 point 2: a certificate whose validity times are not in RFC 5280's DER form is reported
// by e_validity_time_not_der, and every other check still runs on it with the true notBefore
// (before, `240101000000-0500` read as 1899-11-30 put every rule out of effect).
import { describe, expect, it } from 'vitest';
import { buildCertificate, createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import * as der from '../../src/demo/der.js';
import { ATTRIBUTE, POLICY } from '../../src/decode/oids.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { FILTERED, createInspector, inspectRow } from '../../src/inspect.js';
import { checkInput, runCheck } from '../../src/checks/run.js';
import validityTimeNotDer from '../../src/checks/e_validity_time_not_der.js';
import type { SourceRow } from '../../src/sources/types.js';
import { TIME_FORMS } from '../decode/time_forms.js';
import { fixtureCertificate } from '../helpers.js';

const ca = createDemoCa(new Date('2026-11-26T00:00:00Z'));
const key = generateKeyPair();
const context = { placeholderCountries: new Set<string>(), placeholderValues: new Set<string>(), embargoedCountries: new Set<string>() };
let serial = 1;

/** An OV certificate with C=de (lower case: e_subject_country_not_uppercase) and these validity times. */
function certificate(notBefore: Buffer, notAfter: Buffer = der.utcTime('250101000000Z')): Buffer {
  return buildCertificate(
    {
      serial: Buffer.from([0x44, serial++]),
      subject: [
        { oid: ATTRIBUTE.countryName, value: 'de', type: 'PrintableString' },
        { oid: ATTRIBUTE.organizationName, value: 'Example GmbH' },
        { oid: ATTRIBUTE.commonName, value: 'www.example.de' },
      ],
      notBefore: new Date(0),
      notAfter: new Date(0),
      policyOids: [POLICY.OV],
      encodedValidity: [notBefore, notAfter],
      subjectPublicKeyInfo: key.spki,
    },
    ca.issuing,
  );
}

const verdict = (bytes: Buffer) => runCheck(validityTimeNotDer, checkInput(decodeCertificate(bytes), { ref: 1, orderId: null, order: null }), context);

describe('e_validity_time_not_der', () => {
  it.each([
    ['2401010000Z', der.utcTime('2401010000Z'), 'notBefore UTCTime "2401010000Z": no seconds'],
    ['240101000000-0500', der.utcTime('240101000000-0500'), 'notBefore UTCTime "240101000000-0500": offset -0500 instead of Z'],
    ['20240101000000-0500', der.generalizedTime('20240101000000-0500'), 'notBefore GeneralizedTime "20240101000000-0500": offset -0500 instead of Z; notBefore GeneralizedTime "20240101000000-0500": a date in 2024 must be a UTCTime'],
    ['20240101000000Z', der.generalizedTime('20240101000000Z'), 'notBefore GeneralizedTime "20240101000000Z": a date in 2024 must be a UTCTime'],
    ['20240101000000.5Z', der.generalizedTime('20240101000000.5Z'), 'notBefore GeneralizedTime "20240101000000.5Z": fractional time; notBefore GeneralizedTime "20240101000000.5Z": a date in 2024 must be a UTCTime'],
    ['2051010112', der.generalizedTime('2051010112'), 'notBefore GeneralizedTime "2051010112": no time zone (local time; read as UTC); notBefore GeneralizedTime "2051010112": no minutes and seconds'],
    ['205101011230Z', der.generalizedTime('205101011230Z'), 'notBefore GeneralizedTime "205101011230Z": no seconds'],
    // The zone cut off before the digits are counted; an offset of hours alone.
    ['2051010112Z', der.generalizedTime('2051010112Z'), 'notBefore GeneralizedTime "2051010112Z": no minutes and seconds'],
    ['2051010112.25+01', der.generalizedTime('2051010112.25+01'), 'notBefore GeneralizedTime "2051010112.25+01": offset +01 instead of Z; notBefore GeneralizedTime "2051010112.25+01": no minutes and seconds; notBefore GeneralizedTime "2051010112.25+01": fractional time'],
    // The year rule is GeneralizedTime's: a UTCTime of 2020 (its text starts "2001") has no such problem.
    ['2001010000Z', der.utcTime('2001010000Z'), 'notBefore UTCTime "2001010000Z": no seconds'],
    // 2050 is the first GeneralizedTime year (1950, the first UTCTime one: a notAfter below).
    ['20500101000000+0100', der.generalizedTime('20500101000000+0100'), 'notBefore GeneralizedTime "20500101000000+0100": offset +0100 instead of Z'],
  ])('reports %s', (_text, notBefore, detail) => {
    expect(verdict(certificate(notBefore))).toEqual({ check: 'e_validity_time_not_der', status: 'error', detail });
  });

  it('reports a notAfter in another form', () => {
    expect(verdict(certificate(der.utcTime('240101000000Z'), der.utcTime('2501010000Z'))).detail).toBe('notAfter UTCTime "2501010000Z": no seconds');
    // A notBefore in 1950 is before the check's date (NE); as a notAfter, 1950 is a UTCTime year.
    expect(verdict(certificate(der.utcTime('240101000000Z'), der.generalizedTime('19500101000000Z'))).detail).toBe('notAfter GeneralizedTime "19500101000000Z": a date in 1950 must be a UTCTime');
    // 1949, before UTCTime's range, is a GeneralizedTime year: only the notBefore is named.
    expect(verdict(certificate(der.utcTime('2401010000Z'), der.generalizedTime('19491231235959Z'))).detail).toBe('notBefore UTCTime "2401010000Z": no seconds');
  });

  it('passes the DER forms: UTCTime through 2049, GeneralizedTime from 2050', () => {
    expect(verdict(certificate(der.utcTime('240101000000Z'), der.generalizedTime('20500101000000Z'))).status).toBe('pass');
  });

  it('reports every non-DER form of the decode tests, and passes every DER one', () => {
    for (const [tag, text, instant, derForm] of TIME_FORMS) {
      const bytes = certificate(der.tlv(tag, Buffer.from(text, 'latin1')), der.generalizedTime('20600101000000Z'));
      // A notBefore before 1999 is before the rule (RFC 2459): NE, whatever the form.
      const expected = new Date(instant) < new Date('1999-01-01T00:00:00Z') ? 'NE' : derForm ? 'pass' : 'error';
      expect(verdict(bytes).status, text).toBe(expected);
    }
  });
});

describe('a certificate with non-DER times is checked with its true notBefore', () => {
  const inspector = createInspector({ disabledChecks: [], placeholderCountries: [] });
  const rowOf = (bytes: Buffer): SourceRow => ({ ref: 7, der: bytes, orderId: null, order: null });

  it.each([
    ['UTCTime without seconds', der.utcTime('2401010000Z')],
    ['UTCTime with an offset', der.utcTime('240101000000-0500')],
    ['GeneralizedTime with an offset', der.generalizedTime('20240101000000-0500')],
  ])('%s: e_subject_country_not_uppercase still fires, beside the time finding', (_label, notBefore) => {
    const result = inspectRow(inspector, rowOf(certificate(notBefore)));
    if (result === FILTERED || result === null) throw new Error('the certificate should be affected');
    expect(result.certificate?.notBefore).toBe(notBefore.toString('latin1').includes('-0500') ? '2024-01-01T05:00:00.000Z' : '2024-01-01T00:00:00.000Z');
    expect(result.findings.map((finding) => finding.check).sort()).toEqual(
      ['e_order_record_missing', 'e_subject_country_not_uppercase', 'e_validity_time_not_der'],
    );
  });

  it('an unreadable time makes the certificate undecodable, not dated 1899', () => {
    const result = inspectRow(inspector, rowOf(certificate(der.utcTime('2401010000'))));
    if (result === FILTERED || result === null) throw new Error('the certificate should be affected');
    expect(result.certificate).toBeNull();
    expect(result.findings.map((finding) => finding.check)).toEqual(['e_certificate_undecodable']);
    expect(result.findings[0]!.detail).toContain('notBefore is not a readable time: UTCTime "2401010000"');
  });
});

/**
 * zlint's own test certificates for its time lints (test/fixtures/peers/zlint/, PROVENANCE.md).
 * zlint has one lint per aspect (e_utc_time_does_not_include_seconds, e_utc_time_not_in_zulu,
 * e_generalized_time_not_in_zulu, e_wrong_time_format_pre2050); certscan's one check errs where
 * any of them errs and passes where all pass. [file, verdict, the instants certscan reads]
 */
const ZLINT_TIME_FIXTURES: ReadonlyArray<[string, 'pass' | 'error', string, string]> = [
  ['utcHasSeconds.pem', 'pass', '2015-01-01T02:03:04.000Z', '2017-12-01T06:07:08.000Z'],
  ['utcNoSeconds.pem', 'error', '2012-04-27T00:00:00.000Z', '2022-04-27T05:00:00.000Z'], // 1204270000Z
  ['utcNotZulu.pem', 'error', '2016-08-10T19:27:28.000Z', '2017-12-01T06:07:08.000Z'], // 160810142728-0500
  ['generalizedHasSeconds.pem', 'pass', '2055-12-01T06:07:08.000Z', '2057-12-01T06:07:08.000Z'],
  ['generalizedNotZulu.pem', 'error', '2055-12-01T06:07:08.000Z', '2056-08-11T18:20:01.000Z'], // 20560811122001-0600
  ['generalizedAfter2050.pem', 'pass', '2055-01-01T00:00:00.000Z', '2057-12-01T00:00:00.000Z'],
  ['generalizedPrior2050.pem', 'error', '2055-01-01T00:00:00.000Z', '1957-12-01T00:00:00.000Z'], // GeneralizedTime for 1957
];

describe('agreement with zlint on its time test certificates', () => {
  it.each(ZLINT_TIME_FIXTURES)('%s: %s', (file, expected, notBefore, notAfter) => {
    const certificate = decodeCertificate(fixtureCertificate(`peers/zlint/${file}`));
    expect([certificate.notBefore, certificate.notAfter]).toEqual([notBefore, notAfter]);
    expect(runCheck(validityTimeNotDer, checkInput(certificate, { ref: 1, orderId: null, order: null }), context).status).toBe(expected);
  });
});
