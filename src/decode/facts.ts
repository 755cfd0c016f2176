// The fast path: CertificateFacts without a full pkijs decode of every certificate. A strict DER
// walk locates the TBSCertificate fields; the Name RDNs and the few extensions the checks use are
// decoded by pkijs through caches keyed by their exact bytes (issuers, countries, organizations and
// policy extensions repeat across millions of certificates). A cache hit reuses pkijs's decode of
// byte-identical input, so the result is exact. When the walker is not sure, it returns null and
// the caller decodes the certificate fully with pkijs.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { decodeRdn, readIsCA, readPolicyOids, validationTypeOf } from './certificate.js';
import { children, isStrictDer, readTime, readTlv, type Tlv } from './der_walk.js';
import { ATTRIBUTE, EXTENSION } from './oids.js';
import type { CertificateFacts, NameAttribute } from './types.js';

type AttributeCore = Omit<NameAttribute, 'rdnIndex'>;

/** Two generations: lookups promote from the old one, and the old one is dropped when the new fills. */
export class TwoGenerationCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();
  constructor(private readonly generationSize: number) {}

  get(key: string): V | undefined {
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const old = this.previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, value: V): void {
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}

function encodedOid(dotted: string): string {
  const encoded = new asn1js.ObjectIdentifier({ value: dotted }).toBER(false);
  return Buffer.from(encoded).toString('latin1');
}

/**
 * commonName is unique per certificate, so a cache cannot help it. When it is one attribute alone
 * in its RDN, encoded as UTF8String, PrintableString or IA5String with printable ASCII bytes only,
 * its value is exactly those characters (asn1js decodes all three byte for byte in that range),
 * and it is read directly. Anything else goes through pkijs.
 */
const COMMON_NAME_OID_TLV = encodedOid(ATTRIBUTE.commonName);
const ASCII_STRING_TYPES: Readonly<Record<number, string>> = { 0x0c: 'UTF8String', 0x13: 'PrintableString', 0x16: 'IA5String' };

function readSimpleCommonName(der: Uint8Array, text: Buffer, rdn: Tlv): AttributeCore | null {
  const atv = readTlv(der, rdn.contentStart, rdn.end);
  if (!atv || atv.end !== rdn.end || atv.tag !== 0x30) return null;
  const oid = readTlv(der, atv.contentStart, atv.end);
  if (!oid || oid.tag !== 0x06 || text.toString('latin1', oid.start, oid.end) !== COMMON_NAME_OID_TLV) return null;
  const value = readTlv(der, oid.end, atv.end);
  const stringType = value && value.end === atv.end ? ASCII_STRING_TYPES[value.tag] : undefined;
  if (!value || !stringType) return null;
  for (let index = value.contentStart; index < value.end; index++) {
    const byte = der[index]!;
    if (byte < 0x20 || byte > 0x7e) return null;
  }
  return { oid: ATTRIBUTE.commonName, label: 'CN', value: text.toString('latin1', value.contentStart, value.end), stringType };
}

const OID_TLV = {
  certificatePolicies: encodedOid(EXTENSION.certificatePolicies),
  basicConstraints: encodedOid(EXTENSION.basicConstraints),
  ctPoison: encodedOid(EXTENSION.ctPoison),
};

function arrayBufferOf(bytes: Uint8Array, start: number, end: number): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + end) as ArrayBuffer;
}

export interface FactsDecoderStats {
  fast: number;
  fallback: number;
}

export class FactsDecoder {
  private readonly rdns: TwoGenerationCache<AttributeCore[]>;
  private readonly names: TwoGenerationCache<{ attributes: NameAttribute[]; rdnCount: number }>;
  private readonly extensions = new TwoGenerationCache<{ policyOids?: string[]; isCA?: boolean }>(4096);
  readonly stats: FactsDecoderStats = { fast: 0, fallback: 0 };

  constructor(cacheSize = 100_000) {
    this.rdns = new TwoGenerationCache(cacheSize);
    this.names = new TwoGenerationCache(Math.max(16, cacheSize >> 6));
  }

  /** The facts of one DER certificate, or null when only a full pkijs decode can tell. */
  decode(der: Uint8Array): CertificateFacts | null {
    const facts = this.tryDecode(der);
    if (facts) this.stats.fast++;
    else this.stats.fallback++;
    return facts;
  }

  private tryDecode(der: Uint8Array): CertificateFacts | null {
    const certificate = readTlv(der, 0, der.length);
    if (!certificate || certificate.tag !== 0x30 || certificate.end !== der.length) return null;
    if (!isStrictDer(der, certificate.contentStart, certificate.end)) return null;
    const [tbs, signatureAlgorithm, signature, ...extra] = children(der, certificate);
    if (!tbs || tbs.tag !== 0x30 || !isAlgorithmIdentifier(der, signatureAlgorithm) || signature?.tag !== 0x03 || extra.length) return null;

    const fields = children(der, tbs);
    let index = 0;
    if (fields[0]?.tag === 0xa0) {
      const version = children(der, fields[0]);
      if (version.length !== 1 || version[0]!.tag !== 0x02) return null;
      index++;
    }
    const serial = fields[index++];
    const algorithm = fields[index++];
    const issuer = fields[index++];
    const validity = fields[index++];
    const subject = fields[index++];
    const spki = fields[index++];
    if (serial?.tag !== 0x02 || !isAlgorithmIdentifier(der, algorithm) || issuer?.tag !== 0x30 || validity?.tag !== 0x30) return null;
    if (subject?.tag !== 0x30 || spki?.tag !== 0x30) return null;
    const spkiParts = children(der, spki);
    if (spkiParts.length !== 2 || !isAlgorithmIdentifier(der, spkiParts[0]) || spkiParts[1]!.tag !== 0x03) return null;
    if (fields[index]?.tag === 0x81) index++;
    if (fields[index]?.tag === 0x82) index++;
    let extensionsTlv: Tlv | undefined;
    if (fields[index]?.tag === 0xa3) extensionsTlv = fields[index++];
    if (index !== fields.length) return null;

    const times = children(der, validity);
    if (times.length !== 2) return null;
    const notBefore = readTime(der, times[0]!);
    const notAfter = readTime(der, times[1]!);
    if (!notBefore || !notAfter) return null;

    const issuerName = this.decodeWholeName(der, issuer);
    const subjectName = this.decodeName(der, subject);
    if (!issuerName || !subjectName) return null;

    let policyOids: string[] = [];
    let isCA = false;
    let isPrecertificate = false;
    if (extensionsTlv) {
      const wrapper = children(der, extensionsTlv);
      if (wrapper.length !== 1 || wrapper[0]!.tag !== 0x30) return null;
      const seen = new Set<string>();
      for (const extension of children(der, wrapper[0]!)) {
        const parts = extension.tag === 0x30 ? children(der, extension) : [];
        const [oid, second, third] = parts;
        const wellFormed =
          oid?.tag === 0x06 && ((parts.length === 2 && second!.tag === 0x04) || (parts.length === 3 && second!.tag === 0x01 && third!.tag === 0x04));
        if (!wellFormed) return null;
        const oidKey = Buffer.from(der.buffer, der.byteOffset + oid.start, oid.end - oid.start).toString('latin1');
        // pkijs users (and certscan's full decode) take the first extension of a type.
        if (seen.has(oidKey)) continue;
        seen.add(oidKey);
        if (oidKey === OID_TLV.ctPoison) isPrecertificate = true;
        else if (oidKey === OID_TLV.certificatePolicies) policyOids = [...(this.decodeExtension(der, extension).policyOids ?? [])];
        else if (oidKey === OID_TLV.basicConstraints) isCA = this.decodeExtension(der, extension).isCA ?? false;
      }
    }

    return {
      serialHex: Buffer.from(der.buffer, der.byteOffset + serial.contentStart, serial.end - serial.contentStart).toString('hex'),
      issuer: issuerName.attributes,
      subject: subjectName.attributes,
      subjectRdnCount: subjectName.rdnCount,
      notBefore,
      notAfter,
      policyOids,
      validationType: validationTypeOf(policyOids),
      isPrecertificate,
      isCA,
    };
  }

  /** A Name, RDN by RDN through the cache; null when an RDN is not a SET of two-element SEQUENCEs. */
  private decodeName(der: Uint8Array, name: Tlv): { attributes: NameAttribute[]; rdnCount: number } | null {
    const attributes: NameAttribute[] = [];
    const rdns = children(der, name);
    const text = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
    for (let rdnIndex = 0; rdnIndex < rdns.length; rdnIndex++) {
      const rdn = rdns[rdnIndex]!;
      if (rdn.tag !== 0x31) return null;
      const commonName = readSimpleCommonName(der, text, rdn);
      if (commonName) {
        attributes.push({ ...commonName, rdnIndex });
        continue;
      }
      const key = text.toString('latin1', rdn.start, rdn.end);
      let cores = this.rdns.get(key);
      if (!cores) {
        for (const atv of children(der, rdn)) {
          const parts = atv.tag === 0x30 ? children(der, atv) : [];
          if (parts.length !== 2 || parts[0]!.tag !== 0x06) return null;
        }
        const parsed = asn1js.fromBER(arrayBufferOf(der, rdn.start, rdn.end));
        cores = decodeRdn(parsed.result, 0).map(({ rdnIndex: _ignored, ...core }) => core);
        this.rdns.set(key, cores);
      }
      for (const core of cores) attributes.push({ ...core, rdnIndex });
    }
    return { attributes, rdnCount: rdns.length };
  }

  /** Issuer Names repeat whole: cache the decoded Name by its bytes. */
  private decodeWholeName(der: Uint8Array, name: Tlv): { attributes: NameAttribute[]; rdnCount: number } | null {
    const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1', name.start, name.end);
    const cached = this.names.get(key);
    if (cached) return { attributes: cached.attributes.map((attribute) => ({ ...attribute })), rdnCount: cached.rdnCount };
    const decoded = this.decodeName(der, name);
    if (decoded) this.names.set(key, { attributes: decoded.attributes.map((attribute) => ({ ...attribute })), rdnCount: decoded.rdnCount });
    return decoded;
  }

  private decodeExtension(der: Uint8Array, extension: Tlv): { policyOids?: string[]; isCA?: boolean } {
    const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1', extension.start, extension.end);
    let value = this.extensions.get(key);
    if (!value) {
      const parsed = new pkijs.Extension({ schema: asn1js.fromBER(arrayBufferOf(der, extension.start, extension.end)).result });
      value =
        parsed.extnID === EXTENSION.certificatePolicies ? { policyOids: readPolicyOids(parsed) } : { isCA: readIsCA(parsed) };
      this.extensions.set(key, value);
    }
    return value;
  }
}

function isAlgorithmIdentifier(der: Uint8Array, tlv: Tlv | undefined): boolean {
  if (tlv?.tag !== 0x30) return false;
  const parts = children(der, tlv);
  return parts.length >= 1 && parts.length <= 2 && parts[0]!.tag === 0x06;
}
