// Full decode of one DER certificate with pkijs/asn1js into a plain DecodedCertificate.
import type * as Asn1js from 'asn1js';
import type * as Pkijs from 'pkijs';
import { asn1js, pkijs } from './pkijs_module.js';
import { ATTRIBUTE_LABEL, EXTENSION, POLICY, type ValidationType } from './oids.js';
import { DecodeError, type DecodedCertificate, type NameAttribute } from './types.js';
import { sha256Hex } from './digest.js';
import { readValidity, type TimeField } from './time.js';

/** Universal tag numbers of the ASN.1 character string types (X.680 8.4). */
const STRING_TYPE_BY_TAG: Readonly<Record<number, string>> = {
  12: 'UTF8String',
  18: 'NumericString',
  19: 'PrintableString',
  20: 'TeletexString',
  21: 'VideotexString',
  22: 'IA5String',
  25: 'GraphicString',
  26: 'VisibleString',
  27: 'GeneralString',
  28: 'UniversalString',
  30: 'BMPString',
};

const TAG_CLASS_UNIVERSAL = 1;

function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('hex');
}

/** The type and value of an attribute value block, as a string type name and a string. */
export function describeAttributeValue(value: Asn1js.AsnType): { stringType: string; value: string } {
  const block = value as Asn1js.BaseBlock;
  const { tagClass, tagNumber } = block.idBlock;
  const stringType = tagClass === TAG_CLASS_UNIVERSAL ? STRING_TYPE_BY_TAG[tagNumber] : undefined;
  if (stringType) {
    const decoded = (block as Asn1js.BaseStringBlock).valueBlock.value;
    if (typeof decoded === 'string') return { stringType, value: decoded };
  }
  return {
    stringType: stringType ?? `[${tagClass === TAG_CLASS_UNIVERSAL ? 'UNIVERSAL' : `class ${tagClass}`} ${tagNumber}]`,
    value: `#${toHex(block.toBER(false))}`,
  };
}

/** Decodes one RDN (a SET of AttributeTypeAndValue) with pkijs; rdnIndex is filled in by the caller. */
export function decodeRdn(rdn: Asn1js.AsnType, rdnIndex: number): NameAttribute[] {
  if (!(rdn instanceof asn1js.Set)) throw new DecodeError(`RDN ${rdnIndex} of a Name is not a SET`);
  return rdn.valueBlock.value.map((atvBlock) => {
    const atv = new pkijs.AttributeTypeAndValue({ schema: atvBlock });
    const { stringType, value } = describeAttributeValue(atv.value);
    return { oid: atv.type, label: ATTRIBUTE_LABEL[atv.type] ?? atv.type, value, stringType, rdnIndex };
  });
}

/**
 * Decodes a Name keeping its RDN structure. pkijs's RelativeDistinguishedNames flattens the RDNs,
 * so the SETs are walked with asn1js and each AttributeTypeAndValue is decoded by pkijs.
 */
export function decodeName(nameDer: ArrayBuffer): { attributes: NameAttribute[]; rdnCount: number } {
  const parsed = asn1js.fromBER(nameDer);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) {
    throw new DecodeError(`Name is not a DER SEQUENCE: ${parsed.result.error || 'unexpected type'}`);
  }
  const rdns = parsed.result.valueBlock.value;
  return { attributes: rdns.flatMap((rdn, rdnIndex) => decodeRdn(rdn, rdnIndex)), rdnCount: rdns.length };
}

export function validationTypeOf(policyOids: readonly string[]): ValidationType | null {
  // A certificate asserts one of these; EV outranks the others if a CA asserted several.
  for (const type of ['EV', 'IV', 'OV', 'DV'] as const) {
    if (policyOids.includes(POLICY[type])) return type;
  }
  return null;
}

export function readIsCA(extension: Pkijs.Extension | undefined): boolean {
  return (extension?.parsedValue as Pkijs.BasicConstraints | undefined)?.cA === true;
}

function extensionsOf(certificate: Pkijs.Certificate): Pkijs.Extension[] {
  return certificate.extensions ?? [];
}

export function readDnsNames(extension: Pkijs.Extension | undefined): string[] {
  const altNames = (extension?.parsedValue as Pkijs.AltName | undefined)?.altNames ?? [];
  return altNames.filter((name) => name.type === 2).map((name) => String(name.value));
}

export function readPolicyOids(extension: Pkijs.Extension | undefined): string[] {
  const policies = (extension?.parsedValue as Pkijs.CertificatePolicies | undefined)?.certificatePolicies ?? [];
  return policies.map((policy) => policy.policyIdentifier);
}

/** Decodes a DER X.509 certificate with pkijs. Throws DecodeError when the DER is not a certificate. */
export function decodeCertificate(derBytes: Uint8Array): DecodedCertificate {
  const parsed = parseWhole(derBytes, 'certificate');
  let certificate: Pkijs.Certificate;
  try {
    certificate = new pkijs.Certificate({ schema: parsed });
  } catch (error) {
    throw new DecodeError(`not an X.509 certificate: ${(error as Error).message}`);
  }
  return describedOrDecodeError(() => describeCertificate(certificate, sha256Hex(derBytes), (parsed as Asn1js.Sequence).valueBlock.value[0]!));
}

/**
 * pkijs parses some parts (extensions' contents) only when they are read: an exception there
 * (asn1js throws RangeError on an odd-length BMPString) means the certificate does not decode.
 */
function describedOrDecodeError(describe: () => DecodedCertificate): DecodedCertificate {
  try {
    return describe();
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError((error as Error).message);
  }
}

/**
 * Decodes a TBSCertificate (what an RFC 6962 precert_entry carries) with pkijs: the TBS is placed
 * in pkijs's Certificate structure with an empty signature, so the same pkijs code reads it. The
 * poison extension is not in a log's TBS, so the caller says whether it is a precertificate.
 * `sha256` is the hash to report (of the precertificate DER when the source has it).
 */
export function decodeTbsCertificate(tbsBytes: Uint8Array, sha256: string, isPrecertificate: boolean): DecodedCertificate {
  const tbs = parseWhole(tbsBytes, 'TBSCertificate');
  if (!(tbs instanceof asn1js.Sequence)) throw new DecodeError('TBSCertificate is not a SEQUENCE');
  const fields = tbs.valueBlock.value;
  const signatureAlgorithm = fields[fields[0]?.idBlock.tagClass === 3 ? 2 : 1];
  if (!signatureAlgorithm) throw new DecodeError('TBSCertificate has no signature AlgorithmIdentifier');
  let certificate: Pkijs.Certificate;
  try {
    certificate = new pkijs.Certificate({ schema: new asn1js.Sequence({ value: [tbs, signatureAlgorithm, new asn1js.BitString()] }) });
  } catch (error) {
    throw new DecodeError(`not an X.509 TBSCertificate: ${(error as Error).message}`);
  }
  const decoded = describedOrDecodeError(() => describeCertificate(certificate, sha256, tbs));
  return isPrecertificate ? { ...decoded, isPrecertificate: true } : decoded;
}


/** BER-parses exactly the given bytes (no trailing bytes) with asn1js. */
function parseWhole(derBytes: Uint8Array, what: string): Asn1js.AsnType {
  // asn1js wants an ArrayBuffer of exactly these bytes.
  const buffer = derBytes.buffer.slice(derBytes.byteOffset, derBytes.byteOffset + derBytes.byteLength) as ArrayBuffer;
  if (buffer.byteLength === 0) throw new DecodeError('empty DER');
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(buffer);
  } catch (error) {
    // asn1js throws (rather than reports) on some values, e.g. a GeneralizedTime it cannot read.
    throw new DecodeError(`not valid BER/DER: ${(error as Error).message}`);
  }
  if (parsed.offset === -1) throw new DecodeError(`not valid BER/DER: ${parsed.result.error || 'decoding failed'}`);
  if (parsed.offset !== buffer.byteLength) {
    throw new DecodeError(`${buffer.byteLength - parsed.offset} trailing byte(s) after the ${what} at offset ${parsed.offset}`);
  }
  return parsed.result;
}

/**
 * The validity times, read by certscan's own time reader from the raw characters (pkijs's Dates
 * are wrong for every form but YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ). `tbs` is the TBSCertificate pkijs
 * accepted, so its validity is a SEQUENCE of two times.
 */
function validityOf(tbs: Asn1js.AsnType): ReturnType<typeof readValidity> {
  const fields = (tbs as Asn1js.Sequence).valueBlock.value;
  const validity = fields[fields[0]?.idBlock.tagClass === 3 ? 4 : 3] as Asn1js.Sequence;
  const field = (time: Asn1js.AsnType | undefined): TimeField => {
    const block = time as Asn1js.BaseStringBlock | undefined;
    const bytes = block?.valueBlock.valueHexView ?? new Uint8Array(0);
    return { bytes, tag: block?.idBlock.tagClass === TAG_CLASS_UNIVERSAL ? block.idBlock.tagNumber : -1, start: 0, end: bytes.length };
  };
  return readValidity(field(validity.valueBlock.value[0]), field(validity.valueBlock.value[1]));
}

function describeCertificate(certificate: Pkijs.Certificate, sha256: string, tbs: Asn1js.AsnType): DecodedCertificate {
  const times = validityOf(tbs);
  if (typeof times === 'string') throw new DecodeError(times);
  const subject = decodeName(certificate.subject.valueBeforeDecode);
  const issuer = decodeName(certificate.issuer.valueBeforeDecode);
  const extensions = extensionsOf(certificate);
  const find = (oid: string) => extensions.find((extension) => extension.extnID === oid);
  const policyOids = readPolicyOids(find(EXTENSION.certificatePolicies));

  return {
    serialHex: toHex(certificate.serialNumber.valueBlock.valueHexView),
    issuer: issuer.attributes,
    subject: subject.attributes,
    subjectRdnCount: subject.rdnCount,
    dnsNames: readDnsNames(find(EXTENSION.subjectAltName)),
    notBefore: times.notBefore,
    notAfter: times.notAfter,
    notBeforeMs: times.notBeforeMs,
    notAfterMs: times.notAfterMs,
    validityEncoding: times.encoding,
    sha256,
    policyOids,
    validationType: validationTypeOf(policyOids),
    isPrecertificate: find(EXTENSION.ctPoison) !== undefined,
    isCA: readIsCA(find(EXTENSION.basicConstraints)),
  };
}
