// The small formatting helpers every report column goes through.
import { describe, expect, it } from 'vitest';
import { buildCertificate, generateKeyPair } from '../../src/demo/certificate_builder.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { ATTRIBUTE } from '../../src/decode/oids.js';
import { isRevoked, isoSeconds, revocationReasonName, serialOf, subjectCountries, subjectJurisdictionCountries } from '../../src/reports/format.js';
import { affected, ca } from './affected_fixture.js';

describe('format helpers', () => {
  it('isoSeconds: milliseconds dropped, nothing for no time', () => {
    expect(isoSeconds('2026-10-01T08:30:00.123Z')).toBe('2026-10-01T08:30:00Z');
    expect(isoSeconds('2026-10-01T08:30:00Z')).toBe('2026-10-01T08:30:00Z');
    expect([isoSeconds(null), isoSeconds(undefined), isoSeconds('')]).toEqual(['', '', '']);
  });

  it('revocation reasons by their RFC 5280 names; a code with no name says its number; none is empty', () => {
    expect([revocationReasonName(0), revocationReasonName(4), revocationReasonName(10)]).toEqual(['unspecified', 'superseded', 'aACompromise']);
    // 7 is not used in RFC 5280.
    expect(revocationReasonName(7)).toBe('reason 7');
    expect(revocationReasonName(null)).toBe('');
  });

  it('every subject country and jurisdiction country, in order; none for an undecodable row', () => {
    const key = generateKeyPair();
    const printable = (oid: string, value: string) => ({ oid, value, type: 'PrintableString' as const });
    const certificate = decodeCertificate(
      buildCertificate(
        {
          serial: Buffer.from([0x42]),
          subject: [printable(ATTRIBUTE.jurisdictionCountryName, 'MM'), printable(ATTRIBUTE.jurisdictionCountryName, 'TH'), printable(ATTRIBUTE.countryName, 'AD'), printable(ATTRIBUTE.countryName, 'MM'), { oid: ATTRIBUTE.commonName, value: 'two.example' }],
          notBefore: new Date('2026-10-01T00:00:00Z'),
          notAfter: new Date('2026-12-30T00:00:00Z'),
          subjectPublicKeyInfo: key.spki,
        },
        ca.issuing,
      ),
    );
    const item = affected({ certificate, sha256: certificate.sha256 });
    expect([subjectCountries(item), subjectJurisdictionCountries(item)]).toEqual(['AD,MM', 'MM,TH']);
    const undecodable = affected({ certificate: null });
    expect([subjectCountries(undecodable), subjectJurisdictionCountries(undecodable)]).toEqual(['', '']);
    expect(serialOf(item)).toBe('42');
  });

  it('the serial from the certificate, else from the source row, else empty; revoked when the row says so', () => {
    expect(serialOf(affected({ certificate: null }, { serial: '0f' }))).toBe('0f');
    expect(serialOf(affected({ certificate: null }, { serial: null }))).toBe('');
    expect([isRevoked(affected()), isRevoked(affected({}, { revokedAt: '2026-10-05T00:00:00.000Z' }))]).toEqual([false, true]);
  });
});
