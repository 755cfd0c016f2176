// The guard on the fast path: wherever it answers, it must answer exactly what a full pkijs decode
// gives; where it is not sure it must say so (null) and leave the certificate to pkijs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { ByteKeyedCache, FactsDecoder } from '../../src/decode/facts.js';
import { TIME_FORMS, UNREADABLE_TIMES } from './time_forms.js';
import { readPemCertificates } from '../../src/decode/pem.js';
import type { CertificateFacts } from '../../src/decode/types.js';
import { ATTRIBUTE, POLICY } from '../../src/decode/oids.js';
import { buildCertificate, createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import { buildDemoCertificate, plantedCases, seededRandom } from '../../src/demo/demo_db.js';
import { tlv, type EncodableStringType, type NameAttributeSpec } from '../../src/demo/der.js';
import { FIXTURES } from '../helpers.js';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const fixtureDers: Buffer[] = walk(FIXTURES)
  .filter((path) => /\.(pem|der)$/.test(path))
  .flatMap((path) => (path.endsWith('.der') ? [readFileSync(path)] : readPemCertificates(readFileSync(path, 'latin1'))));

/** The full pkijs decode, reduced to the facts; 'undecodable' when pkijs rejects the bytes. */
function reference(der: Uint8Array): CertificateFacts | 'undecodable' {
  try {
    const { dnsNames: _dnsNames, sha256: _sha256, ...facts } = decodeCertificate(der);
    return facts;
  } catch {
    return 'undecodable';
  }
}

interface Tally {
  agreed: number;
  fellBack: number;
}

function compare(decoder: FactsDecoder, der: Uint8Array, tally: Tally, label: string): void {
  const fast = decoder.decode(der);
  if (fast === null) {
    tally.fellBack++;
    return;
  }
  const full = reference(der);
  if (full === 'undecodable') throw new Error(`${label}: fast path answered for bytes pkijs cannot decode`);
  expect(fast, label).toEqual(full);
  tally.agreed++;
}

// Generated certificates with the subjects CAs (and mis-issuers) produce.
const ca = createDemoCa(new Date('2026-11-26T00:00:00Z'));
const key = generateKeyPair();
const random = seededRandom(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const STRING_TYPES: EncodableStringType[] = ['UTF8String', 'PrintableString', 'TeletexString', 'IA5String', 'BMPString', 'UniversalString'];
const VALUES = ['MM', 'ad', 'XX', '', 'Some-State', 'München', 'Île-de-France', 'Tokyo, C=JP', '東京都', 'O"Brien & Co', '.', 'x'.repeat(70)];
const OIDS = [ATTRIBUTE.countryName, ATTRIBUTE.stateOrProvinceName, ATTRIBUTE.localityName, ATTRIBUTE.organizationName, ATTRIBUTE.commonName, ATTRIBUTE.jurisdictionCountryName, ATTRIBUTE.organizationIdentifier, '1.2.3.4.5.6.7.8.99999'];

function randomSubject(): Array<NameAttributeSpec | NameAttributeSpec[]> {
  const rdns: Array<NameAttributeSpec | NameAttributeSpec[]> = [];
  const count = Math.floor(random() * 7);
  for (let index = 0; index < count; index++) {
    const attribute = (): NameAttributeSpec => ({ oid: pick(OIDS), value: pick(VALUES), type: pick(STRING_TYPES) });
    const roll = random();
    if (roll < 0.1) rdns.push([]); // an empty RDN
    else if (roll < 0.25) rdns.push([attribute(), attribute()]); // a multi-valued RDN
    else rdns.push(attribute());
  }
  return rdns;
}

/** A validity time in any form (readable or not), as a TLV. */
function randomTime(): Buffer {
  const forms: ReadonlyArray<readonly [number, string]> = [...TIME_FORMS.map(([tag, text]) => [tag, text] as const), ...UNREADABLE_TIMES];
  const [tag, text] = pick(forms);
  return tlv(tag, Buffer.from(text, 'latin1'));
}

function generated(count: number, timeForms = false): Buffer[] {
  return Array.from({ length: count }, (_, index) =>
    buildCertificate(
      {
        serial: Buffer.from([0x40, index >> 8, index & 0xff]),
        subject: randomSubject(),
        notBefore: new Date(Date.UTC(2019 + (index % 8), index % 12, 1 + (index % 28), index % 24)),
        notAfter: new Date(Date.UTC(2050 + (index % 3), 0, 1)),
        dnsNames: [`host${index}.example`],
        policyOids: [pick(Object.values(POLICY))],
        precertificate: random() < 0.2,
        isCA: random() < 0.1,
        subjectPublicKeyInfo: key.spki,
        ...(timeForms ? { encodedValidity: [randomTime(), randomTime()] as const } : {}),
      },
      ca.issuing,
    ),
  );
}

/** The attributes issue #15 compares with the order. */
const ISSUE_15_OIDS = [
  ATTRIBUTE.businessCategory,
  ATTRIBUTE.serialNumber,
  ATTRIBUTE.jurisdictionStateOrProvinceName,
  ATTRIBUTE.jurisdictionLocalityName,
  ATTRIBUTE.streetAddress,
  ATTRIBUTE.postalCode,
  ATTRIBUTE.organizationIdentifier,
];
const VETTED_VALUES = ['Private Organization', 'Government Entity', 'HRB 12345', '00', 'N/A', 'Utrecht', 'Noord-Holland', 'Damrak 1', '1012 LG', '21532', 'NTRNL-30123456', 'VATDE-123456789', 'Straße 5', '  Utrecht  ', 'Österreich', '東京都'];

/** EV-like subjects: every issue #15 attribute, in a random string type, sometimes two in one RDN. */
function vettedFieldCertificates(count: number): Buffer[] {
  return Array.from({ length: count }, (_, index) => {
    const rdns: Array<NameAttributeSpec | NameAttributeSpec[]> = [];
    for (const oid of ISSUE_15_OIDS) {
      const attribute: NameAttributeSpec = { oid, value: pick(VETTED_VALUES), type: random() < 0.6 ? pick(['UTF8String', 'PrintableString'] as const) : pick(STRING_TYPES) };
      if (random() < 0.1) rdns.push([attribute, { oid: pick(ISSUE_15_OIDS), value: pick(VETTED_VALUES), type: 'UTF8String' }]);
      else rdns.push(attribute);
    }
    rdns.push({ oid: ATTRIBUTE.commonName, value: `vetted${index}.example` });
    return buildCertificate(
      {
        serial: Buffer.from([0x41, index >> 8, index & 0xff]),
        subject: rdns,
        notBefore: new Date(Date.UTC(2020 + (index % 7), index % 12, 1)),
        notAfter: new Date(Date.UTC(2027 + (index % 3), 0, 1)),
        dnsNames: [`vetted${index}.example`],
        policyOids: [POLICY.EV],
        subjectPublicKeyInfo: key.spki,
      },
      ca.issuing,
    );
  });
}

function mutate(der: Buffer): Buffer {
  const copy = Buffer.from(der);
  const roll = random();
  if (roll < 0.5) {
    for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) copy[Math.floor(random() * copy.length)]! ^= 1 << Math.floor(random() * 8);
    return copy;
  }
  if (roll < 0.75) return copy.subarray(0, Math.floor(random() * copy.length));
  if (roll < 0.9) {
    copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
    return copy;
  }
  return Buffer.concat([copy, Buffer.from([0x00])]);
}

/**
 * The fuzz sizes below, times CERTSCAN_FUZZ_SCALE: a mutation run's default profile sets 0.1
 * (vitest.mutate.config.ts), where every surviving decoder mutant runs the whole fuzz.
 */
const FUZZ_SCALE = Number(process.env.CERTSCAN_FUZZ_SCALE ?? '1');
const scaled = (count: number) => Math.max(1, Math.round(count * FUZZ_SCALE));

describe('fast path agrees with the full pkijs decode', () => {
  it('on every real certificate of the peer fixtures', () => {
    const tally = { agreed: 0, fellBack: 0 };
    fixtureDers.forEach((der, index) => compare(new FactsDecoder(), der, tally, `fixture ${index}`));
    expect(tally.agreed + tally.fellBack).toBe(fixtureDers.length);
    expect(tally.agreed).toBeGreaterThan(fixtureDers.length * 0.9);
  });

  it('on 3,000 generated certificates with odd string types, empty and multi-valued RDNs', () => {
    const decoder = new FactsDecoder(64); // a small cache, so entries are evicted and decoded again
    const tally = { agreed: 0, fellBack: 0 };
    generated(scaled(3000)).forEach((der, index) => compare(decoder, der, tally, `generated ${index}`));
    expect(tally.agreed).toBeGreaterThan(scaled(2900));
  });

  it('on 2,000 generated certificates with every validity time form, readable or not', () => {
    const decoder = new FactsDecoder(64);
    const tally = { agreed: 0, fellBack: 0 };
    const certificates = generated(scaled(2000), true);
    certificates.forEach((der, index) => compare(decoder, der, tally, `time forms ${index}`));
    // Where both times are readable the fast path answers (and equals pkijs + the shared reader).
    const readable = TIME_FORMS.length / (TIME_FORMS.length + UNREADABLE_TIMES.length);
    expect(tally.agreed).toBeGreaterThan(certificates.length * readable * readable * 0.8);
    expect(tally.fellBack).toBeGreaterThan(0);
  });

  it('on 2,000 certificates carrying every vetted subject field of issue #15, in every string type, alone and in multi-valued RDNs', () => {
    const decoder = new FactsDecoder(64);
    const tally = { agreed: 0, fellBack: 0 };
    const seen = new Map<string, number>();
    vettedFieldCertificates(scaled(2000)).forEach((der, index) => {
      compare(decoder, der, tally, `vetted fields ${index}`);
      const facts = decoder.decode(der);
      for (const attribute of facts?.subject ?? []) seen.set(attribute.oid, (seen.get(attribute.oid) ?? 0) + 1);
    });
    expect(tally.agreed).toBeGreaterThan(scaled(1900));
    // The fast path read each new field, by its label, many times over.
    for (const oid of ISSUE_15_OIDS) expect(seen.get(oid) ?? 0, oid).toBeGreaterThan(scaled(200));
  });

  it('on the demo corpus certificates of issue #15 (one per planted case, and the clean one)', () => {
    const decoder = new FactsDecoder();
    const tally = { agreed: 0, fellBack: 0 };
    const { certificates } = plantedCases(new Date('2026-11-26T00:00:00Z'));
    certificates
      .filter((spec) => !spec.truncateTo)
      .forEach((spec, index) => compare(decoder, buildDemoCertificate(spec, Buffer.from([0x50, index]), ca.issuing, key), tally, `planted ${index}`));
    expect(tally.fellBack).toBe(0);
  });

  it('on 20,000 mutated certificates (bit flips, truncations, random bytes, trailing bytes)', () => {
    const decoder = new FactsDecoder(256);
    const bases = [...fixtureDers, ...generated(scaled(300)), ...generated(scaled(100), true)];
    const tally = { agreed: 0, fellBack: 0 };
    for (let index = 0; index < scaled(20_000); index++) compare(decoder, mutate(pick(bases)), tally, `mutation ${index}`);
    // Both routes are exercised: many mutants still decode, many do not.
    expect(tally.agreed).toBeGreaterThan(scaled(2000));
    expect(tally.fellBack).toBeGreaterThan(scaled(2000));
  });
});

describe('fast path pieces', () => {
  it('a subjectAltName pkijs would refuse (its SEQUENCE tag flipped to GeneralizedTime, as mutation 10156 found) is not sure', () => {
    const der = Buffer.from(generated(1)[0]!);
    // SAN extension: OID 2.5.29.17 (06 03 55 1d 11), OCTET STRING, then the GeneralNames SEQUENCE.
    const at = der.indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x11]));
    expect(at).toBeGreaterThan(0);
    const sequenceAt = at + 5 + 2;
    expect(der[sequenceAt]).toBe(0x30);
    expect(new FactsDecoder().decode(der)).not.toBeNull();
    der[sequenceAt] = 0x18;
    expect(new FactsDecoder().decode(der)).toBeNull();
    expect(reference(der)).toBe('undecodable');
  });

  it('the byte-keyed cache never confuses keys, even on hash collisions', () => {
    const cache = new ByteKeyedCache<number>(4);
    const keys = Array.from({ length: 50 }, (_, index) => Buffer.from(`key-${index}`));
    keys.forEach((bytes, index) => cache.set(bytes, 0, bytes.length, index));
    // Only the last two generations are kept; whatever is found is the right value.
    keys.forEach((bytes, index) => {
      const found = cache.get(bytes, 0, bytes.length);
      if (found !== undefined) expect(found).toBe(index);
    });
    expect(cache.get(keys[49]!, 0, keys[49]!.length)).toBe(49);
  });
});
