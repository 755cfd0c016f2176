// The guard on the fast path: wherever it answers, it must answer exactly what a full pkijs decode
// gives; where it is not sure it must say so (null) and leave the certificate to pkijs.
import { describe, expect, it } from 'vitest';
import { ByteKeyedCache, FactsDecoder, factsOf } from '../../src/decode/facts.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { TIME_FORMS, UNREADABLE_TIMES } from './time_forms.js';
import { ISSUE_15_OIDS, fuzzCorpus, reference, type FuzzInput } from './facts_fuzz.js';
import { isDeepStrictEqual } from 'node:util';
import { children, readTlv, type Tlv } from '../../src/decode/der_walk.js';
import { ATTRIBUTE, EXTENSION, POLICY } from '../../src/decode/oids.js';
import type { CertificateFacts } from '../../src/decode/types.js';
import { buildCertificate, createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import * as der from '../../src/demo/der.js';

interface Tally {
  agreed: number;
  fellBack: number;
}

/** The fast path on one input: null, or exactly what pkijs made of it (stored with the input). */
function compare(decoder: FactsDecoder, { der, expected }: FuzzInput, tally: Tally, label: string): void {
  const fast = decoder.decode(der);
  if (fast === null) {
    tally.fellBack++;
    return;
  }
  if (expected === 'undecodable') throw new Error(`${label}: fast path answered for bytes pkijs cannot decode`);
  expect(fast, label).toEqual(expected);
  tally.agreed++;
}

/**
 * The fuzz sizes below, times CERTSCAN_FUZZ_SCALE: a mutation run's default profile sets 0.1
 * (vitest.mutate.config.ts), where every surviving decoder mutant runs the whole fuzz. The inputs
 * and pkijs's answers are made once per change of the code that makes them (facts_fuzz.ts).
 */
const FUZZ_SCALE = Number(process.env.CERTSCAN_FUZZ_SCALE ?? '1');
const scaled = (count: number) => Math.max(1, Math.round(count * FUZZ_SCALE));
const corpus = fuzzCorpus(FUZZ_SCALE);

describe('fast path agrees with the full pkijs decode', () => {
  it('on every real certificate of the peer fixtures', () => {
    const tally = { agreed: 0, fellBack: 0 };
    corpus.fixtures.forEach((input, index) => compare(new FactsDecoder(), input, tally, `fixture ${index}`));
    expect(corpus.fixtures.length).toBeGreaterThan(100);
    expect(tally.agreed + tally.fellBack).toBe(corpus.fixtures.length);
    expect(tally.agreed).toBeGreaterThan(corpus.fixtures.length * 0.9);
  });

  it('on 3,000 generated certificates with odd string types, empty and multi-valued RDNs', () => {
    const decoder = new FactsDecoder(64); // a small cache, so entries are evicted and decoded again
    const tally = { agreed: 0, fellBack: 0 };
    expect(corpus.generated).toHaveLength(scaled(3000));
    corpus.generated.forEach((input, index) => compare(decoder, input, tally, `generated ${index}`));
    expect(tally.agreed).toBeGreaterThan(scaled(2900));
  });

  it('on 2,000 generated certificates with every validity time form, readable or not', () => {
    const decoder = new FactsDecoder(64);
    const tally = { agreed: 0, fellBack: 0 };
    const certificates = corpus.timeForms;
    expect(certificates).toHaveLength(scaled(2000));
    certificates.forEach((input, index) => compare(decoder, input, tally, `time forms ${index}`));
    // Where both times are readable the fast path answers (and equals pkijs + the shared reader).
    const readable = TIME_FORMS.length / (TIME_FORMS.length + UNREADABLE_TIMES.length);
    expect(tally.agreed).toBeGreaterThan(certificates.length * readable * readable * 0.8);
    expect(tally.fellBack).toBeGreaterThan(0);
  });

  it('on 2,000 certificates carrying every vetted subject field of issue #15, in every string type, alone and in multi-valued RDNs', () => {
    const decoder = new FactsDecoder(64);
    const tally = { agreed: 0, fellBack: 0 };
    const seen = new Map<string, number>();
    expect(corpus.vettedFields).toHaveLength(scaled(2000));
    corpus.vettedFields.forEach((input, index) => {
      compare(decoder, input, tally, `vetted fields ${index}`);
      const facts = decoder.decode(input.der);
      for (const attribute of facts?.subject ?? []) seen.set(attribute.oid, (seen.get(attribute.oid) ?? 0) + 1);
    });
    expect(tally.agreed).toBeGreaterThan(scaled(1900));
    // The fast path read each new field, by its label, many times over.
    for (const oid of ISSUE_15_OIDS) expect(seen.get(oid) ?? 0, oid).toBeGreaterThan(scaled(200));
  });

  it('on the demo corpus certificates of issue #15 (one per planted case, and the clean one)', () => {
    const decoder = new FactsDecoder();
    const tally = { agreed: 0, fellBack: 0 };
    corpus.planted.forEach((input, index) => compare(decoder, input, tally, `planted ${index}`));
    expect(tally.agreed).toBe(corpus.planted.length);
    expect(tally.agreed).toBeGreaterThan(10);
  });

  it('on 20,000 mutated certificates (bit flips, truncations, random bytes, trailing bytes)', () => {
    const decoder = new FactsDecoder(256);
    const tally = { agreed: 0, fellBack: 0 };
    expect(corpus.mutated).toHaveLength(scaled(20_000));
    corpus.mutated.forEach((input, index) => compare(decoder, input, tally, `mutation ${index}`));
    // Both routes are exercised: many mutants still decode, many do not.
    expect(tally.agreed).toBeGreaterThan(scaled(2000));
    expect(tally.fellBack).toBeGreaterThan(scaled(2000));
  });
});

describe('fast path pieces', () => {
  it('a subjectAltName pkijs would refuse (its SEQUENCE tag flipped to GeneralizedTime, as mutation 10156 found) is not sure', () => {
    const der = Buffer.from(corpus.generated[0]!.der);
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

  it("factsOf gives a full decode's facts in the fast path's shape: the same fields, in the same order, with the same values", () => {
    let compared = 0;
    for (const { der } of corpus.fixtures) {
      const fast = new FactsDecoder().decode(der);
      if (fast === null) continue;
      const full = decodeCertificate(der);
      // The full decode itself has two more fields, elsewhere: the shape factsOf exists for.
      expect(Object.keys(full)).not.toEqual(Object.keys(fast));
      const facts = factsOf(full);
      expect(Object.keys(facts)).toEqual(Object.keys(fast));
      expect(facts).toEqual(fast);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
});

/** An Extension: SEQUENCE { OID, [critical], OCTET STRING { value } }. */
function extension(oid: string, value: Buffer, critical = false): Buffer {
  return der.sequence(der.objectIdentifier(oid), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

/**
 * `certificate` with its extensions replaced by what `edit` makes of them. The signature no longer
 * fits, which neither decode checks.
 */
function withExtensions(certificate: Buffer, edit: (extensions: Buffer[]) => Buffer[]): Buffer {
  const bytesOf = (tlv: Tlv) => certificate.subarray(tlv.start, tlv.end);
  const [tbs, ...signature] = children(certificate, readTlv(certificate, 0, certificate.length)!);
  const fields = children(certificate, tbs!);
  const extensionsField = fields.find((field) => field.tag === 0xa3);
  const extensions = extensionsField ? children(certificate, readTlv(certificate, extensionsField.contentStart, extensionsField.end)!).map(bytesOf) : [];
  const otherFields = fields.filter((field) => field !== extensionsField).map(bytesOf);
  return der.sequence(der.sequence(...otherFields, der.explicit(3, der.sequence(...edit(extensions)))), ...signature.map(bytesOf));
}

describe('the extensions the fast path reads, told apart by the last byte of 2.5.29.n', () => {
  /** OIDs whose encoding ends in the byte of subjectAltName (17), basicConstraints (19) or certificatePolicies (32) but differs before it. */
  const LOOKALIKES = [17, 19, 32].flatMap((n) => [`2.5.28.${n}`, `1.2.29.${n}`, `2.5.29.${n}.0`, `1.3.6.${n}`]);

  it('an extension that only looks like one of them changes nothing, before the real ones of every fixture certificate', () => {
    const decoder = new FactsDecoder();
    const differing: string[] = [];
    let read = 0;
    let withCA = 0;
    let withPolicies = 0;
    for (const [index, { der: certificate, expected }] of corpus.fixtures.entries()) {
      if (expected === 'undecodable' || decoder.decode(certificate) === null) continue;
      read++;
      if (expected.isCA) withCA++;
      if (expected.policyOids.length > 0) withPolicies++;
      for (const oid of LOOKALIKES) {
        const fast = decoder.decode(withExtensions(certificate, (extensions) => [extension(oid, der.nullValue()), ...extensions]));
        if (!isDeepStrictEqual(fast, expected)) differing.push(`fixture ${index} after ${oid}: ${JSON.stringify(fast)}`);
      }
    }
    expect(differing).toEqual([]);
    // Among them CA certificates and certificates with policies, whose extensions come after the lookalike.
    expect(read).toBeGreaterThan(100);
    expect(withCA).toBeGreaterThan(0);
    expect(withPolicies).toBeGreaterThan(10);
  });
});

describe('certificatePolicies and basicConstraints on the fast path', () => {
  const ca = createDemoCa(new Date('2026-12-01T00:00:00Z'));
  const key = generateKeyPair();
  const certificate = (policyOids: string[], isCA: boolean) =>
    buildCertificate(
      {
        serial: Buffer.from([0x34, policyOids.length]),
        subject: [{ oid: ATTRIBUTE.commonName, value: 'extensions.example' }],
        notBefore: new Date('2026-12-01T00:00:00Z'),
        notAfter: new Date('2027-03-01T00:00:00Z'),
        dnsNames: ['extensions.example'],
        policyOids,
        isCA,
        subjectPublicKeyInfo: key.spki,
      },
      ca.issuing,
    );
  const policies = (...oids: string[]) => extension(EXTENSION.certificatePolicies, der.sequence(...oids.map((oid) => der.sequence(der.objectIdentifier(oid)))));
  const basicConstraints = (isCA: boolean) => extension(EXTENSION.basicConstraints, isCA ? der.sequence(der.boolean(true)) : der.sequence(), true);

  /** The fast path's facts, which must be there and be the full decode's. */
  function fastFacts(decoder: FactsDecoder, bytes: Buffer): CertificateFacts {
    const fast = decoder.decode(bytes);
    expect(fast).not.toBeNull();
    expect(fast).toEqual(reference(bytes));
    return fast!;
  }

  it('the first of two certificatePolicies or two basicConstraints counts, as in the full decode', () => {
    const decoder = new FactsDecoder();
    const ev = withExtensions(certificate([POLICY.EV], true), (extensions) => [...extensions, policies(POLICY.DV), basicConstraints(false)]);
    expect(fastFacts(decoder, ev)).toMatchObject({ policyOids: [POLICY.EV], validationType: 'EV', isCA: true });
    const dv = withExtensions(certificate([POLICY.DV], false), (extensions) => [...extensions, policies(POLICY.EV), basicConstraints(true)]);
    expect(fastFacts(decoder, dv)).toMatchObject({ policyOids: [POLICY.DV], validationType: 'DV', isCA: false });
  });

  it('basicConstraints is read where it stands, after the extensions the fast path skips', () => {
    const reversed = withExtensions(certificate([POLICY.OV], true), (extensions) => extensions.reverse());
    expect(fastFacts(new FactsDecoder(), reversed)).toMatchObject({ policyOids: [POLICY.OV], validationType: 'OV', isCA: true });
  });

  it('a certificatePolicies value decoded once serves every certificate that carries it, each with its own array', () => {
    const decoder = new FactsDecoder();
    const ev = certificate([POLICY.EV, POLICY.OV], false);
    const dv = certificate([POLICY.DV], false);
    const first = fastFacts(decoder, ev);
    first.policyOids.push('1.2.3.4'); // a caller changing its facts
    expect(fastFacts(decoder, dv)).toMatchObject({ policyOids: [POLICY.DV], validationType: 'DV' });
    const again = fastFacts(decoder, ev);
    expect(again).toMatchObject({ policyOids: [POLICY.EV, POLICY.OV], validationType: 'EV' });
    expect(again.policyOids).not.toBe(first.policyOids);
  });
});
