// The fast path: CertificateFacts without a full pkijs decode of every certificate. A strict DER
// walk locates the TBSCertificate fields; the Name RDNs and the few extensions the checks use are
// decoded by pkijs through caches keyed by their exact bytes (issuers, countries, organizations and
// policy extensions repeat across millions of certificates). A cache hit reuses pkijs's decode of
// byte-identical input, so the result is exact. When the walker is not sure, it returns null and
// the caller decodes the certificate fully with pkijs.
import { asn1js, pkijs } from './pkijs_module.js';
import { decodeRdn, readIsCA, readPolicyOids, validationTypeOf } from './certificate.js';
import { children, isStrictDer, readTlvInto, scratchTlv, type Tlv } from './der_walk.js';
import { readValidity, type TimeField } from './time.js';
import { ATTRIBUTE_LABEL, EXTENSION, type ValidationType } from './oids.js';
import { fnv1a } from '../fnv.js';
import { hexText, latin1Text } from '../buffer_text.js';
import type { CertificateFacts, NameAttribute } from './types.js';


interface CacheEntry<V> {
  bytes: Uint8Array;
  value: V;
  next: CacheEntry<V> | undefined;
}


function sameBytes(stored: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (stored.length !== end - start) return false;
  for (let index = 0; index < stored.length; index++) if (stored[index] !== bytes[start + index]) return false;
  return true;
}

/**
 * A cache keyed by exact bytes (a hash finds the bucket; the stored bytes are compared, so a hash
 * collision can never return another value). Two generations bound its size: lookups promote from
 * the old one, and the old one is dropped when the new one fills.
 */
export class ByteKeyedCache<V> {
  private current = new Map<number, CacheEntry<V>>();
  private previous = new Map<number, CacheEntry<V>>();
  private currentSize = 0;
  constructor(private readonly generationSize: number) {}

  get(bytes: Uint8Array, start: number, end: number, seed = 0): V | undefined {
    const hash = fnv1a(bytes, start, end, seed);
    for (let entry = this.current.get(hash); entry; entry = entry.next) if (sameBytes(entry.bytes, bytes, start, end)) return entry.value;
    for (let entry = this.previous.get(hash); entry; entry = entry.next) {
      if (sameBytes(entry.bytes, bytes, start, end)) {
        this.insert(hash, entry.bytes, entry.value);
        return entry.value;
      }
    }
    return undefined;
  }

  set(bytes: Uint8Array, start: number, end: number, value: V, seed = 0): void {
    this.insert(fnv1a(bytes, start, end, seed), bytes.slice(start, end), value);
  }

  private insert(hash: number, key: Uint8Array, value: V): void {
    if (this.currentSize >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
      this.currentSize = 0;
    }
    this.current.set(hash, { bytes: key, value, next: this.current.get(hash) });
    this.currentSize++;
  }

  get size(): number {
    return this.currentSize;
  }
}

/** The DER TLV of an OID, to compare with certificate bytes in place. */
function encodedOid(dotted: string): Uint8Array {
  return new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER(false));
}

function bytesEqual(bytes: Uint8Array, tlv: Tlv, expected: Uint8Array): boolean {
  return sameBytes(expected, bytes, tlv.start, tlv.end);
}

/**
 * Most attribute values are short printable-ASCII strings, and many are unique per certificate
 * (commonName) or per order (organizationName, serialNumber), so a cache cannot hold them all on a
 * shuffled corpus of millions. For a well-known attribute alone in its RDN, encoded as UTF8String,
 * PrintableString or IA5String whose bytes are all printable ASCII (0x20-0x7e), asn1js decodes the
 * value byte for byte into the same characters, so it is read directly. Everything else (non-ASCII
 * text, other string types, multi-valued RDNs, unknown attribute types) goes through pkijs and the
 * byte-keyed cache. The differential tests hold both routes to the full pkijs decode.
 */
interface KnownAttribute {
  tlv: Uint8Array;
  oid: string;
  label: string;
}
/** Known attribute types by a hash of their encoded OID (the bytes are compared on lookup). */
const KNOWN_ATTRIBUTES = new Map<number, KnownAttribute[]>();
for (const oid of Object.keys(ATTRIBUTE_LABEL)) {
  const tlv = encodedOid(oid);
  const hash = fnv1a(tlv, 0, tlv.length, 0);
  KNOWN_ATTRIBUTES.set(hash, [...(KNOWN_ATTRIBUTES.get(hash) ?? []), { tlv, oid, label: ATTRIBUTE_LABEL[oid]! }]);
}

/** The X.520 types (2.5.4.n, encoded 06 03 55 04 n) by n: most attributes are one of them. */
const X520_BY_LAST_BYTE: Array<KnownAttribute | undefined> = new Array(128).fill(undefined);
for (const candidates of KNOWN_ATTRIBUTES.values()) {
  for (const candidate of candidates) {
    const { tlv } = candidate;
    if (tlv.length === 5 && tlv[1] === 3 && tlv[2] === 0x55 && tlv[3] === 0x04 && tlv[4]! < 0x80) X520_BY_LAST_BYTE[tlv[4]!] = candidate;
  }
}

function knownAttribute(der: Uint8Array, oid: Tlv): KnownAttribute | undefined {
  if (oid.end - oid.start === 5 && der[oid.start + 1] === 3 && der[oid.start + 2] === 0x55 && der[oid.start + 3] === 0x04) {
    const last = der[oid.start + 4]!;
    if (last < 0x80) return X520_BY_LAST_BYTE[last];
  }
  const candidates = KNOWN_ATTRIBUTES.get(fnv1a(der, oid.start, oid.end, 0));
  if (candidates) for (const candidate of candidates) if (bytesEqual(der, oid, candidate.tlv)) return candidate;
  return undefined;
}

const ASCII_STRING_TYPES: Readonly<Record<number, string>> = { 0x0c: 'UTF8String', 0x13: 'PrintableString', 0x16: 'IA5String' };

// Reused by every readSimpleAttribute call (the decoder never re-enters it).
const atv = scratchTlv();
const attributeOid = scratchTlv();
const attributeValue = scratchTlv();

function readSimpleAttribute(der: Uint8Array, text: Buffer, rdn: Tlv, rdnIndex: number): NameAttribute | null {
  if (!readTlvInto(der, rdn.contentStart, rdn.end, atv) || atv.end !== rdn.end || atv.tag !== 0x30) return null;
  const oid = attributeOid;
  if (!readTlvInto(der, atv.contentStart, atv.end, oid) || oid.tag !== 0x06) return null;
  const known = knownAttribute(der, oid);
  if (!known) return null;
  const value = attributeValue;
  if (!readTlvInto(der, oid.end, atv.end, value) || value.end !== atv.end) return null;
  const stringType = ASCII_STRING_TYPES[value.tag];
  if (!stringType) return null;
  for (let index = value.contentStart; index < value.end; index++) {
    const byte = der[index]!;
    if (byte < 0x20 || byte > 0x7e) return null;
  }
  return { oid: known.oid, label: known.label, value: latin1Text(text, value.contentStart, value.end), stringType, rdnIndex };
}

const EXTENSION_SCRATCH = { extension: scratchTlv(), oid: scratchTlv(), second: scratchTlv(), third: scratchTlv() };

const CT_POISON_TLV = encodedOid(EXTENSION.ctPoison);

/** The extensions the fast path reads; the ones it skips are OTHER_EXTENSION. */
const OTHER_EXTENSION = 0;
const CT_POISON = 1;
const SUBJECT_ALT_NAME = 2;
const CERTIFICATE_POLICIES = 3;
const BASIC_CONSTRAINTS = 4;

/**
 * The id-ce extensions (2.5.29.n, encoded 06 03 55 1d n) by n, so that most extension OIDs are
 * told apart by one byte rather than compared with each OID the fast path reads.
 */
const ID_CE_BY_LAST_BYTE = new Uint8Array(128);
for (const [oid, kind] of [
  [EXTENSION.subjectAltName, SUBJECT_ALT_NAME],
  [EXTENSION.certificatePolicies, CERTIFICATE_POLICIES],
  [EXTENSION.basicConstraints, BASIC_CONSTRAINTS],
] as const) {
  const tlv = encodedOid(oid);
  if (tlv.length !== 5 || tlv[1] !== 3 || tlv[2] !== 0x55 || tlv[3] !== 0x1d || tlv[4]! >= 0x80) throw new Error(`${oid} is not 2.5.29.n`);
  ID_CE_BY_LAST_BYTE[tlv[4]!] = kind;
}

/** Which of the extensions the fast path reads `oid` (an OID TLV) names. */
function extensionKind(der: Uint8Array, oid: Tlv): number {
  const start = oid.start;
  if (oid.end - start === 5 && der[start + 1] === 3 && der[start + 2] === 0x55 && der[start + 3] === 0x1d) {
    const last = der[start + 4]!;
    return last < 0x80 ? ID_CE_BY_LAST_BYTE[last]! : OTHER_EXTENSION;
  }
  return bytesEqual(der, oid, CT_POISON_TLV) ? CT_POISON : OTHER_EXTENSION;
}

/** What the fast path takes from a certificatePolicies or basicConstraints extension (one shape for both). */
interface DecodedExtension {
  /** certificatePolicies: the policy OIDs, and the validation type they assert (worked out once per cached value). */
  policyOids: readonly string[];
  validationType: ValidationType | null;
  /** basicConstraints: cA. */
  isCA: boolean;
}

function arrayBufferOf(bytes: Uint8Array, start: number, end: number): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + end) as ArrayBuffer;
}

/**
 * A full decode's facts in the fast path's shape (its fields, in its order), for the checks. A
 * DecodedCertificate has two more fields, in other places: the first one that reached the checks
 * (an affected certificate, checked again after its full decode, or a fallback) threw away the
 * optimized code of every check V8 had inlined it into ("wrong map"), and the code that V8 made
 * again then read two shapes of facts on every certificate.
 */
export function factsOf(certificate: CertificateFacts): CertificateFacts {
  return {
    serialHex: certificate.serialHex,
    issuer: certificate.issuer,
    subject: certificate.subject,
    subjectRdnCount: certificate.subjectRdnCount,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    notBeforeMs: certificate.notBeforeMs,
    notAfterMs: certificate.notAfterMs,
    validityEncoding: certificate.validityEncoding,
    policyOids: certificate.policyOids,
    validationType: certificate.validationType,
    isPrecertificate: certificate.isPrecertificate,
    isCA: certificate.isCA,
  };
}

export interface FactsDecoderStats {
  fast: number;
  fallback: number;
}

export class FactsDecoder {
  /** Decoded RDNs keyed by position and exact bytes; the attribute objects are frozen and shared. */
  private readonly rdns: ByteKeyedCache<readonly NameAttribute[]>;
  private readonly names: ByteKeyedCache<{ attributes: NameAttribute[]; rdnCount: number }>;
  private lastName: { bytes: Uint8Array; value: { attributes: NameAttribute[]; rdnCount: number } } | null = null;
  private readonly extensions = new ByteKeyedCache<DecodedExtension>(4096);
  readonly stats: FactsDecoderStats = { fast: 0, fallback: 0 };

  constructor(cacheSize = 20_000) {
    this.rdns = new ByteKeyedCache(cacheSize);
    this.names = new ByteKeyedCache(Math.max(16, cacheSize >> 6));
  }

  /** The facts of one DER certificate, or null when only a full pkijs decode can tell. */
  decode(der: Uint8Array): CertificateFacts | null {
    const facts = this.tryDecode(der);
    if (facts) this.stats.fast++;
    else this.stats.fallback++;
    return facts;
  }

  /**
   * The facts of a TBSCertificate (an RFC 6962 precert_entry), or null when only pkijs can tell.
   * A log's TBS has no poison extension; `isPrecertificate` says what the entry was.
   */
  decodeTbs(der: Uint8Array, isPrecertificate: boolean): CertificateFacts | null {
    const tbs = WALK.tbs;
    const facts = readTlvInto(der, 0, der.length, tbs) && tbs.tag === 0x30 && tbs.end === der.length && isStrictDer(der, tbs.contentStart, tbs.end) ? this.decodeTbsFields(der, tbs) : null;
    if (facts) this.stats.fast++;
    else this.stats.fallback++;
    return facts && isPrecertificate ? { ...facts, isPrecertificate: true } : facts;
  }

  private tryDecode(der: Uint8Array): CertificateFacts | null {
    const { certificate, tbs, signatureAlgorithm, signature } = WALK;
    if (!readTlvInto(der, 0, der.length, certificate) || certificate.tag !== 0x30 || certificate.end !== der.length) return null;
    if (!isStrictDer(der, certificate.contentStart, certificate.end)) return null;
    if (!readTlvInto(der, certificate.contentStart, certificate.end, tbs) || tbs.tag !== 0x30) return null;
    if (!readTlvInto(der, tbs.end, certificate.end, signatureAlgorithm) || !isAlgorithmIdentifier(der, signatureAlgorithm)) return null;
    if (!readTlvInto(der, signatureAlgorithm.end, certificate.end, signature) || signature.tag !== 0x03 || signature.end !== certificate.end) return null;
    return this.decodeTbsFields(der, tbs);
  }

  /** The TBSCertificate's fields, located by a DER walk (already known to be strict DER). */
  private decodeTbsFields(der: Uint8Array, tbs: Tlv): CertificateFacts | null {
    const fields = WALK.fields;
    const fieldCount = childrenInto(der, tbs, fields);
    if (fieldCount < 0) return null;
    let index = 0;
    if (fieldCount > 0 && fields[0]!.tag === 0xa0) {
      const version = WALK.first;
      if (!readTlvInto(der, fields[0]!.contentStart, fields[0]!.end, version) || version.tag !== 0x02 || version.end !== fields[0]!.end) return null;
      index++;
    }
    const serial = fieldAt(fields, fieldCount, index++);
    const algorithm = fieldAt(fields, fieldCount, index++);
    const issuer = fieldAt(fields, fieldCount, index++);
    const validity = fieldAt(fields, fieldCount, index++);
    const subject = fieldAt(fields, fieldCount, index++);
    const spki = fieldAt(fields, fieldCount, index++);
    if (serial?.tag !== 0x02 || !isAlgorithmIdentifier(der, algorithm) || issuer?.tag !== 0x30 || validity?.tag !== 0x30) return null;
    if (subject?.tag !== 0x30 || spki?.tag !== 0x30) return null;
    const { first, second } = WALK;
    if (!twoChildren(der, spki, first, second) || !isAlgorithmIdentifier(der, first) || second.tag !== 0x03) return null;
    if (fieldAt(fields, fieldCount, index)?.tag === 0x81) index++;
    if (fieldAt(fields, fieldCount, index)?.tag === 0x82) index++;
    let extensionsTlv: Tlv | undefined;
    if (fieldAt(fields, fieldCount, index)?.tag === 0xa3) extensionsTlv = fieldAt(fields, fieldCount, index++);
    if (index !== fieldCount) return null;

    if (!twoChildren(der, validity, first, second)) return null;
    const times = readValidity(timeField(der, first, WALK.notBefore), timeField(der, second, WALK.notAfter));
    if (typeof times === 'string') return null; // pkijs's decode says why

    const text = Buffer.isBuffer(der) ? der : Buffer.from(der.buffer, der.byteOffset, der.byteLength);
    const issuerName = this.decodeWholeName(der, text, issuer);
    const subjectName = this.decodeName(der, text, subject);
    if (!issuerName || !subjectName) return null;

    let policyOids: string[] = [];
    let validationType: ValidationType | null = null;
    let isCA = false;
    let isPrecertificate = false;
    if (extensionsTlv) {
      const list = WALK.first;
      if (!readTlvInto(der, extensionsTlv.contentStart, extensionsTlv.end, list) || list.tag !== 0x30 || list.end !== extensionsTlv.end) return null;
      let seenPolicies = false;
      let seenBasicConstraints = false;
      const { extension, oid, second, third } = EXTENSION_SCRATCH;
      for (let at = list.contentStart; at < list.end; ) {
        if (!readTlvInto(der, at, list.end, extension)) return null;
        at = extension.end;
        // SEQUENCE { OID, [BOOLEAN], OCTET STRING }
        const hasOid = extension.tag === 0x30 && readTlvInto(der, extension.contentStart, extension.end, oid) && oid.tag === 0x06;
        const hasSecond = hasOid && oid.end < extension.end && readTlvInto(der, oid.end, extension.end, second);
        const wellFormed =
          hasSecond &&
          ((second.tag === 0x04 && second.end === extension.end) ||
            (second.tag === 0x01 && second.end < extension.end && readTlvInto(der, second.end, extension.end, third) && third.tag === 0x04 && third.end === extension.end));
        if (!wellFormed) return null;
        // certscan's full decode takes the first extension of a type; so does this.
        const kind = extensionKind(der, oid);
        if (kind === CT_POISON) isPrecertificate = true;
        else if (kind === SUBJECT_ALT_NAME) {
          // The checks do not read the names, but the full decode does: a value pkijs would refuse
          // (say a bit flip that makes the SEQUENCE a GeneralizedTime) must not pass here.
          const value = second.tag === 0x04 ? second : third;
          if (!isPlainGeneralNames(der, value.contentStart, value.end)) return null;
        } else if (kind === CERTIFICATE_POLICIES && !seenPolicies) {
          seenPolicies = true;
          const decoded = this.decodeExtension(der, extension);
          if (!decoded) return null;
          policyOids = decoded.policyOids.slice(); // the facts' own array: the cached one is shared
          validationType = decoded.validationType;
        } else if (kind === BASIC_CONSTRAINTS && !seenBasicConstraints) {
          seenBasicConstraints = true;
          const decoded = this.decodeExtension(der, extension);
          if (!decoded) return null;
          isCA = decoded.isCA;
        }
      }
    }

    // The one shape of the facts the checks see: factsOf (below) copies a full decode into it.
    return {
      serialHex: hexText(text, serial.contentStart, serial.end),
      issuer: issuerName.attributes,
      subject: subjectName.attributes,
      subjectRdnCount: subjectName.rdnCount,
      notBefore: times.notBefore,
      notAfter: times.notAfter,
      notBeforeMs: times.notBeforeMs,
      notAfterMs: times.notAfterMs,
      validityEncoding: times.encoding,
      policyOids,
      validationType,
      isPrecertificate,
      isCA,
    };
  }

  /** A Name, RDN by RDN through the cache; null when an RDN is not a SET of two-element SEQUENCEs. */
  private decodeName(der: Uint8Array, text: Buffer, name: Tlv): { attributes: NameAttribute[]; rdnCount: number } | null {
    const attributes: NameAttribute[] = [];
    // A Tlv per call, not shared: the issuer's Name is decoded before the subject's.
    const rdn = scratchTlv();
    let rdnIndex = 0;
    for (let at = name.contentStart; at < name.end; rdnIndex++) {
      if (!readTlvInto(der, at, name.end, rdn) || rdn.tag !== 0x31) return null;
      at = rdn.end;
      const simple = readSimpleAttribute(der, text, rdn, rdnIndex);
      if (simple) {
        attributes.push(simple);
        continue;
      }
      // Keyed by position too: the cached attributes carry their rdnIndex.
      let cached = this.rdns.get(der, rdn.start, rdn.end, rdnIndex);
      if (!cached) {
        for (const atv of children(der, rdn)) {
          const parts = atv.tag === 0x30 ? children(der, atv) : [];
          if (parts.length !== 2 || parts[0]!.tag !== 0x06) return null;
        }
        const parsed = asn1js.fromBER(arrayBufferOf(der, rdn.start, rdn.end));
        cached = Object.freeze(decodeRdn(parsed.result, rdnIndex).map((attribute) => Object.freeze(attribute)));
        this.rdns.set(der, rdn.start, rdn.end, cached, rdnIndex);
      }
      for (const attribute of cached) attributes.push(attribute);
    }
    return { attributes, rdnCount: rdnIndex };
  }

  /** Issuer Names repeat whole: the decoded Name is cached by its bytes and shared (frozen). */
  private decodeWholeName(der: Uint8Array, text: Buffer, name: Tlv): { attributes: NameAttribute[]; rdnCount: number } | null {
    // A corpus comes from a few issuers, mostly one after another: the last one is compared first.
    const last = this.lastName;
    if (last && sameBytes(last.bytes, der, name.start, name.end)) return last.value;
    const found = this.lookupWholeName(der, text, name);
    if (found) this.lastName = { bytes: der.slice(name.start, name.end), value: found };
    return found;
  }

  private lookupWholeName(der: Uint8Array, text: Buffer, name: Tlv): { attributes: NameAttribute[]; rdnCount: number } | null {
    const cached = this.names.get(der, name.start, name.end);
    if (cached) return cached;
    const decoded = this.decodeName(der, text, name);
    if (decoded) this.names.set(der, name.start, name.end, Object.freeze(decoded));
    return decoded;
  }

  /** The extension's value as pkijs reads it, or null when pkijs throws on it (the full decode then says why). */
  private decodeExtension(der: Uint8Array, extension: Tlv): DecodedExtension | null {
    let value = this.extensions.get(der, extension.start, extension.end);
    if (!value) {
      try {
        const parsed = new pkijs.Extension({ schema: asn1js.fromBER(arrayBufferOf(der, extension.start, extension.end)).result });
        const policyOids = parsed.extnID === EXTENSION.certificatePolicies ? readPolicyOids(parsed) : [];
        value = { policyOids, validationType: validationTypeOf(policyOids), isCA: parsed.extnID === EXTENSION.certificatePolicies ? false : readIsCA(parsed) };
      } catch {
        // asn1js throws on some contents the walk does not look into (an OCTET STRING's inside),
        // e.g. a GeneralizedTime it cannot read: not sure, so not fast.
        return null;
      }
      this.extensions.set(der, extension.start, extension.end, value);
    }
    return value;
  }
}

/**
 * Scratch TLVs for the walk of one certificate: the decoder never re-enters it, and a walk made
 * about twenty TLV objects a certificate that only lived until the next field.
 */
const WALK = {
  certificate: scratchTlv(),
  tbs: scratchTlv(),
  signatureAlgorithm: scratchTlv(),
  signature: scratchTlv(),
  first: scratchTlv(),
  second: scratchTlv(),
  algorithm: scratchTlv(),
  parameters: scratchTlv(),
  /** A TBSCertificate has at most ten fields. */
  fields: Array.from({ length: 10 }, scratchTlv),
  notBefore: { bytes: new Uint8Array(0), tag: 0, start: 0, end: 0 } as TimeField,
  notAfter: { bytes: new Uint8Array(0), tag: 0, start: 0, end: 0 } as TimeField,
};

/** A validity time's TLV as a TimeField, into `into` (reused: two per certificate). */
function timeField(der: Uint8Array, tlv: Tlv, into: TimeField): TimeField {
  into.bytes = der;
  into.tag = tlv.tag;
  into.start = tlv.contentStart;
  into.end = tlv.end;
  return into;
}

/** The at-th of the first `count` TLVs in `fields`, else undefined. */
function fieldAt(fields: Tlv[], count: number, at: number): Tlv | undefined {
  return at < count ? fields[at] : undefined;
}

/** The TLVs directly inside `parent` into `into`; their count, or -1 when there are more than it holds. */
function childrenInto(der: Uint8Array, parent: Tlv, into: Tlv[]): number {
  let count = 0;
  for (let offset = parent.contentStart; offset < parent.end; count++) {
    if (count === into.length || !readTlvInto(der, offset, parent.end, into[count]!)) return -1;
    offset = into[count]!.end;
  }
  return count;
}

/** The two TLVs inside `parent` into `first` and `second`, when it holds exactly two. */
function twoChildren(der: Uint8Array, parent: Tlv, first: Tlv, second: Tlv): boolean {
  return readTlvInto(der, parent.contentStart, parent.end, first) && readTlvInto(der, first.end, parent.end, second) && second.end === parent.end;
}

/** SEQUENCE { OID, [parameters] }: one or two elements, the first an OID. */
function isAlgorithmIdentifier(der: Uint8Array, tlv: Tlv | null | undefined): boolean {
  if (tlv?.tag !== 0x30) return false;
  const { algorithm, parameters } = WALK;
  if (!readTlvInto(der, tlv.contentStart, tlv.end, algorithm) || algorithm.tag !== 0x06) return false;
  return algorithm.end === tlv.end || (readTlvInto(der, algorithm.end, tlv.end, parameters) && parameters.end === tlv.end);
}

/**
 * Whether [start, end) is one SEQUENCE of GeneralNames of the primitive kinds (rfc822Name, dNSName,
 * URI, iPAddress, registeredID) exactly: what pkijs reads without a doubt. Anything else
 * (directoryName, otherName, a broken structure) is for the full decode to judge.
 */
function isPlainGeneralNames(der: Uint8Array, start: number, end: number): boolean {
  const sequence = SAN_SCRATCH.sequence;
  if (!readTlvInto(der, start, end, sequence) || sequence.tag !== 0x30 || sequence.end !== end) return false;
  const name = SAN_SCRATCH.name;
  for (let at = sequence.contentStart; at < sequence.end; at = name.end) {
    if (!readTlvInto(der, at, sequence.end, name)) return false;
    // [1] rfc822Name, [2] dNSName, [6] URI (IA5String); [7] iPAddress (4 or 16 octets); [8] registeredID.
    if (name.tag === 0x81 || name.tag === 0x82 || name.tag === 0x86) {
      for (let index = name.contentStart; index < name.end; index++) if (der[index]! > 0x7f) return false;
    } else if (name.tag === 0x87) {
      const length = name.end - name.contentStart;
      if (length !== 4 && length !== 16) return false;
    } else if (name.tag !== 0x88) return false;
  }
  return true;
}

const SAN_SCRATCH = { sequence: scratchTlv(), name: scratchTlv() };
