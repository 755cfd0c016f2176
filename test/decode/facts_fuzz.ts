// The inputs of the decoder's differential fuzz (test/decode/facts.test.ts), each with what the full
// pkijs decode makes of it. pkijs takes about 2 ms a certificate, 40 times the fast path: a mutation
// run reruns facts.test.ts for every facts.ts mutant, so the corpus and its pkijs answers are made
// once and kept in the temp folder, keyed by the code that makes them (neither the builder nor
// pkijs's decode reaches src/decode/facts.ts, so no mutant can change them). What the test runs
// for every mutant is the fast path itself, on every input, compared with the stored answer.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { ATTRIBUTE, POLICY } from '../../src/decode/oids.js';
import { readPemCertificates } from '../../src/decode/pem.js';
import type { CertificateFacts } from '../../src/decode/types.js';
import { buildCertificate, createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import { buildDemoCertificate, plantedCases, seededRandom } from '../../src/demo/demo_db.js';
import { tlv, type EncodableStringType, type NameAttributeSpec } from '../../src/demo/der.js';
import { FIXTURES, ROOT } from '../helpers.js';
import { TIME_FORMS, UNREADABLE_TIMES } from './time_forms.js';

/** Bump when the corpus below changes in a way the key does not see. */
const FIXTURE_VERSION = 1;

/** The full pkijs decode, reduced to the facts; 'undecodable' when pkijs rejects the bytes. */
export function reference(der: Uint8Array): CertificateFacts | 'undecodable' {
  try {
    const { dnsNames: _dnsNames, sha256: _sha256, ...facts } = decodeCertificate(der);
    return facts;
  } catch {
    return 'undecodable';
  }
}

export interface FuzzInput {
  der: Buffer;
  /** What pkijs makes of `der` (reference above). */
  expected: CertificateFacts | 'undecodable';
}

export interface FuzzCorpus {
  /** Every certificate of the peer fixtures (real CAs' certificates). */
  fixtures: FuzzInput[];
  /** 3,000 × scale: odd string types, empty and multi-valued RDNs. */
  generated: FuzzInput[];
  /** 2,000 × scale: every validity time form, readable or not. */
  timeForms: FuzzInput[];
  /** 2,000 × scale: every vetted subject field of issue #15. */
  vettedFields: FuzzInput[];
  /** One per planted case of the demo corpus, and the clean one. */
  planted: FuzzInput[];
  /** 20,000 × scale: bit flips, truncations, random bytes, trailing bytes. */
  mutated: FuzzInput[];
}

/** The attributes issue #15 compares with the order. */
export const ISSUE_15_OIDS = [
  ATTRIBUTE.businessCategory,
  ATTRIBUTE.serialNumber,
  ATTRIBUTE.jurisdictionStateOrProvinceName,
  ATTRIBUTE.jurisdictionLocalityName,
  ATTRIBUTE.streetAddress,
  ATTRIBUTE.postalCode,
  ATTRIBUTE.organizationIdentifier,
];

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}

const fixturePaths = (): string[] => walk(FIXTURES).filter((path) => /\.(pem|der)$/.test(path));

function fixtureDers(): Buffer[] {
  return fixturePaths().flatMap((path) => (path.endsWith('.der') ? [readFileSync(path)] : readPemCertificates(readFileSync(path, 'latin1'))));
}

/** Generates the corpus: the same sizes and the same kinds of input the fuzz always had. */
function makeCorpus(scale: number): FuzzCorpus {
  const scaled = (count: number) => Math.max(1, Math.round(count * scale));
  const ca = createDemoCa(new Date('2026-11-26T00:00:00Z'));
  const key = generateKeyPair();
  const random = seededRandom(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const STRING_TYPES: EncodableStringType[] = ['UTF8String', 'PrintableString', 'TeletexString', 'IA5String', 'BMPString', 'UniversalString'];
  const VALUES = ['MM', 'ad', 'XX', '', 'Some-State', 'München', 'Île-de-France', 'Tokyo, C=JP', '東京都', 'O"Brien & Co', '.', 'x'.repeat(70)];
  const OIDS = [ATTRIBUTE.countryName, ATTRIBUTE.stateOrProvinceName, ATTRIBUTE.localityName, ATTRIBUTE.organizationName, ATTRIBUTE.commonName, ATTRIBUTE.jurisdictionCountryName, ATTRIBUTE.organizationIdentifier, '1.2.3.4.5.6.7.8.99999'];
  const VETTED_VALUES = ['Private Organization', 'Government Entity', 'HRB 12345', '00', 'N/A', 'Utrecht', 'Noord-Holland', 'Damrak 1', '1012 LG', '21532', 'NTRNL-30123456', 'VATDE-123456789', 'Straße 5', '  Utrecht  ', 'Österreich', '東京都'];

  // Generated certificates with the subjects CAs (and mis-issuers) produce.
  const randomSubject = (): Array<NameAttributeSpec | NameAttributeSpec[]> => {
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
  };

  /** A validity time in any form (readable or not), as a TLV. */
  const randomTime = (): Buffer => {
    const forms: ReadonlyArray<readonly [number, string]> = [...TIME_FORMS.map(([tag, text]) => [tag, text] as const), ...UNREADABLE_TIMES];
    const [tag, text] = pick(forms);
    return tlv(tag, Buffer.from(text, 'latin1'));
  };

  const generated = (count: number, timeForms = false): Buffer[] =>
    Array.from({ length: count }, (_, index) =>
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

  /** EV-like subjects: every issue #15 attribute, in a random string type, sometimes two in one RDN. */
  const vettedFieldCertificates = (count: number): Buffer[] =>
    Array.from({ length: count }, (_, index) => {
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

  const mutate = (der: Buffer): Buffer => {
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
  };

  const withAnswers = (ders: Buffer[]): FuzzInput[] => ders.map((der) => ({ der, expected: reference(der) }));
  const realFixtures = fixtureDers();
  const { certificates } = plantedCases(new Date('2026-11-26T00:00:00Z'));
  const corpus = {
    fixtures: withAnswers(realFixtures),
    generated: withAnswers(generated(scaled(3000))),
    timeForms: withAnswers(generated(scaled(2000), true)),
    vettedFields: withAnswers(vettedFieldCertificates(scaled(2000))),
    planted: withAnswers(certificates.filter((spec) => !spec.truncateTo).map((spec, index) => buildDemoCertificate(spec, Buffer.from([0x50, index]), ca.issuing, key))),
    mutated: [] as FuzzInput[],
  };
  const bases = [...realFixtures, ...generated(scaled(300)), ...generated(scaled(100), true)];
  corpus.mutated = withAnswers(Array.from({ length: scaled(20_000) }, () => mutate(pick(bases))));
  return corpus;
}

/**
 * The code the corpus and its answers come from: the builder, the full decode and its time reader,
 * the demo corpus, the time forms, this file and the fixture certificates. Not facts.ts: the fast
 * path is what the corpus judges, and a mutation run changes it.
 */
function corpusKey(scale: number): string {
  const hash = createHash('sha256').update(`${FIXTURE_VERSION}\u0000${scale}\u0000${process.version}\n`);
  const sources = [
    ...readdirSync(join(ROOT, 'src', 'decode')).filter((name) => name.endsWith('.ts') && name !== 'facts.ts').map((name) => join('src', 'decode', name)),
    ...readdirSync(join(ROOT, 'src', 'demo')).filter((name) => name.endsWith('.ts')).map((name) => join('src', 'demo', name)),
    join('src', 'sources', 'order_fields.ts'),
    join('test', 'decode', 'time_forms.ts'),
    join('test', 'decode', 'facts_fuzz.ts'),
    // pkijs and asn1js make the answers too: a new version of either is a new key.
    'package-lock.json',
  ].sort();
  for (const path of [...sources.map((source) => join(ROOT, source)), ...fixturePaths()]) hash.update(`${path.slice(ROOT.length)}\u0000`).update(readFileSync(path));
  return hash.digest('hex').slice(0, 16);
}

/** The corpus at `scale` × the fuzz's full size, from the temp folder when this code made it before. */
export function fuzzCorpus(scale: number): FuzzCorpus {
  const file = join(tmpdir(), `certscan-facts-fuzz-${corpusKey(scale)}.v8`);
  if (existsSync(file)) return deserialize(readFileSync(file)) as FuzzCorpus;
  const corpus = makeCorpus(scale);
  // Written whole, then renamed: two test runners making it at once each leave a whole file.
  const partial = `${file}.${process.pid}.${process.hrtime.bigint()}.tmp`;
  writeFileSync(partial, serialize(corpus));
  renameSync(partial, file);
  return corpus;
}
