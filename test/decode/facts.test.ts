// The guard on the fast path: wherever it answers, it must answer exactly what a full pkijs decode
// gives; where it is not sure it must say so (null) and leave the certificate to pkijs.
import { describe, expect, it } from 'vitest';
import { ByteKeyedCache, FactsDecoder, factsOf } from '../../src/decode/facts.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { TIME_FORMS, UNREADABLE_TIMES } from './time_forms.js';
import { ISSUE_15_OIDS, fuzzCorpus, reference, type FuzzInput } from './facts_fuzz.js';

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
