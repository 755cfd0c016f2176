import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { formatName, valuesOf } from '../../src/decode/names.js';
import { ATTRIBUTE } from '../../src/decode/oids.js';
import { readPemCertificates } from '../../src/decode/pem.js';
import { DecodeError } from '../../src/decode/types.js';
import { FIXTURES, fixtureCertificate } from '../helpers.js';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Fixtures that are undecodable on purpose, with why (tests elsewhere hold certscan to reporting them). */
const UNDECODABLE: Readonly<Record<string, string>> = {
  'peers/zlint/explicitTextBMPNotNFC.pem': 'an odd-length BMPString in certificatePolicies explicitText: asn1js throws RangeError (test/pool/pool.test.ts)',
};

const certificateFiles = walk(FIXTURES).filter((path) => /\.(pem|der)$/.test(path) && !UNDECODABLE[relative(FIXTURES, path)]);

describe('decodeCertificate on the peer projects\' real certificates', () => {
  it.each(Object.entries(UNDECODABLE))('%s is refused with a DecodeError (%s)', (file) => {
    const [der] = readPemCertificates(readFileSync(join(FIXTURES, file), 'latin1'));
    expect(() => decodeCertificate(der!)).toThrow(DecodeError);
  });

  it('finds the fixture files', () => {
    expect(certificateFiles.length).toBeGreaterThan(80);
  });

  it.each(certificateFiles.map((path) => [relative(FIXTURES, path)]))('%s decodes and agrees with node:crypto', (file) => {
    const bytes = readFileSync(join(FIXTURES, file));
    const ders = file.endsWith('.der') ? [bytes] : readPemCertificates(bytes.toString('latin1'));
    expect(ders.length).toBeGreaterThan(0);
    for (const der of ders) {
      const decoded = decodeCertificate(der);
      // An independent parser (OpenSSL through node:crypto) as the outside reference.
      const reference = new X509Certificate(der);
      expect(decoded.sha256).toBe(reference.fingerprint256.replace(/:/g, '').toLowerCase());
      expect(BigInt(`0x${decoded.serialHex}`)).toBe(BigInt(`0x${reference.serialNumber}`));
      expect(new Date(decoded.notAfter).getTime()).toBe(new Date(reference.validTo).getTime());
    }
  });
});

describe('decoded names keep order, RDN structure and string types', () => {
  it('multi-valued RDN C=DE+C=IT (zlint dupl_subj_attrs_ko_02)', () => {
    const decoded = decodeCertificate(fixtureCertificate('peers/zlint/dupl_subj_attrs_ko_02.pem'));
    const countries = decoded.subject.filter((attribute) => attribute.oid === ATTRIBUTE.countryName);
    expect(countries.map((attribute) => attribute.value)).toEqual(['DE', 'IT']);
    expect(countries[0]!.rdnIndex).toBe(countries[1]!.rdnIndex);
    expect(formatName(decoded.subject)).toMatch(/^C=DE\+C=IT, /);
  });

  it('C encoded as UTF8String is reported as such (zlint SubjectDNCountryNotPrintableString)', () => {
    const decoded = decodeCertificate(fixtureCertificate('peers/zlint/SubjectDNCountryNotPrintableString.pem'));
    const country = decoded.subject.find((attribute) => attribute.oid === ATTRIBUTE.countryName)!;
    expect(country).toMatchObject({ value: 'US', stringType: 'UTF8String', rdnIndex: 0 });
    // Its subject ends with an empty RDN: counted, holds no attribute.
    expect(decoded.subjectRdnCount).toBe(Math.max(...decoded.subject.map((attribute) => attribute.rdnIndex)) + 2);
  });

  it('an empty PrintableString C (zlint subjectInvalidCountry)', () => {
    const decoded = decodeCertificate(fixtureCertificate('peers/zlint/subjectInvalidCountry.pem'));
    expect(valuesOf(decoded.subject, ATTRIBUTE.countryName)).toEqual(['']);
  });

  it('jurisdictionCountryName as BMPString (zlint subjectjurCWrongEncoding)', () => {
    const decoded = decodeCertificate(fixtureCertificate('peers/zlint/subjectjurCWrongEncoding.pem'));
    const jurisdiction = decoded.subject.find((attribute) => attribute.oid === ATTRIBUTE.jurisdictionCountryName)!;
    expect(jurisdiction.stringType).toBe('BMPString');
  });

  it('TeletexString OU in a real root (pkilint teletex_attribute)', () => {
    const decoded = decodeCertificate(fixtureCertificate('peers/pkilint/tls_br/root_ca/teletex_attribute.pem'));
    expect(decoded.subject.some((attribute) => attribute.stringType === 'TeletexString')).toBe(true);
    expect(valuesOf(decoded.subject, ATTRIBUTE.countryName)).toEqual([]);
  });

  it('policy OIDs give the validation type', () => {
    expect(decodeCertificate(fixtureCertificate('peers/zlint/orgValGoodAllFields.pem')).validationType).toBe('OV');
    expect(decodeCertificate(fixtureCertificate('peers/zlint/indivValNoCountry.pem')).validationType).toBe('IV');
    expect(decodeCertificate(fixtureCertificate('peers/zlint/dvCountry.pem')).validationType).toBe('DV');
  });
});

describe('precertificates', () => {
  it('Google merge-delay precertificate: poison flag, serial, subject without CN', () => {
    const decoded = decodeCertificate(fixtureCertificate('ct/certs/merge-delay-precert.der'));
    expect(decoded.isPrecertificate).toBe(true);
    expect(decoded.serialHex).toBe('0570d298ddf34b');
    expect(decoded.dnsNames).toEqual(['flowers-to-the-world.com']);
    expect(valuesOf(decoded.subject, ATTRIBUTE.commonName)).toEqual([]);
    expect(formatName(decoded.subject)).toContain('C=GB');
  });

  it('the final certificate of a CT test pair carries no poison', () => {
    expect(decodeCertificate(fixtureCertificate('ct/certs/ctgo-test-precert.pem')).isPrecertificate).toBe(true);
    expect(decodeCertificate(fixtureCertificate('ct/certs/ctgo-test-embedded-sct-cert.pem')).isPrecertificate).toBe(false);
  });
});

describe('undecodable input is a DecodeError, never a crash', () => {
  const good = fixtureCertificate('peers/zlint/orgValGoodAllFields.pem');
  it.each([
    ['empty', Buffer.alloc(0)],
    ['truncated to half', good.subarray(0, good.length >> 1)],
    ['truncated by one byte', good.subarray(0, good.length - 1)],
    ['trailing bytes', Buffer.concat([good, Buffer.from([0, 0])])],
    ['not ASN.1', Buffer.from('this is not a certificate')],
    ['a SEQUENCE that is not a certificate', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05])],
  ])('%s', (_label, bytes) => {
    expect(() => decodeCertificate(bytes)).toThrow(DecodeError);
  });
});
