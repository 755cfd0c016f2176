// A minimal DER *encoder* used to build demo and benchmark certificates quickly; the signature comes
// from node:crypto. Decoding never uses this file: it goes through pkijs/asn1js (src/decode/).

export type Der = Buffer;

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Der {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
export const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat(items));
export const explicit = (tagNumber: number, inner: Der): Der => tlv(0xa0 | tagNumber, inner);
export const octetString = (content: Buffer): Der => tlv(0x04, content);
export const bitString = (content: Buffer): Der => tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
export const boolean = (value: boolean): Der => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
export const nullValue = (): Der => Buffer.from([0x05, 0x00]);

/** INTEGER from unsigned big-endian magnitude bytes (a 00 is prepended when the top bit is set). */
export function unsignedInteger(magnitude: Buffer): Der {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let body = magnitude.subarray(start);
  if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(0x02, body);
}

export function smallInteger(value: number): Der {
  const bytes: number[] = [];
  let n = value;
  do {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  } while (n > 0);
  return unsignedInteger(Buffer.from(bytes));
}

export function objectIdentifier(dotted: string): Der {
  const arcs = dotted.split('.').map((arc) => Number(arc));
  const [first = 0, second = 0, ...rest] = arcs;
  const out: number[] = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [];
    let n = arc;
    do {
      chunk.unshift((n & 0x7f) | (chunk.length ? 0x80 : 0));
      n = Math.floor(n / 128);
    } while (n > 0);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** ASN.1 string types by their universal tag number, as used in X.520 names. */
export const STRING_TAGS = {
  UTF8String: 12,
  PrintableString: 19,
  TeletexString: 20,
  IA5String: 22,
  UniversalString: 28,
  BMPString: 30,
} as const;
export type EncodableStringType = keyof typeof STRING_TAGS;

export function string(type: EncodableStringType, value: string): Der {
  const tag = STRING_TAGS[type];
  if (type === 'BMPString') return tlv(tag, Buffer.from(value, 'utf16le').swap16());
  if (type === 'UTF8String') return tlv(tag, Buffer.from(value, 'utf8'));
  if (type === 'UniversalString') {
    const codePoints = [...value].map((character) => character.codePointAt(0)!);
    const bytes = Buffer.alloc(codePoints.length * 4);
    codePoints.forEach((codePoint, index) => bytes.writeUInt32BE(codePoint, index * 4));
    return tlv(tag, bytes);
  }
  return tlv(tag, Buffer.from(value, 'latin1'));
}

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
export function time(date: Date): Der {
  const year = date.getUTCFullYear();
  const rest =
    twoDigits(date.getUTCMonth() + 1) +
    twoDigits(date.getUTCDate()) +
    twoDigits(date.getUTCHours()) +
    twoDigits(date.getUTCMinutes()) +
    twoDigits(date.getUTCSeconds()) +
    'Z';
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(twoDigits(year % 100) + rest, 'ascii'));
  return tlv(0x18, Buffer.from(String(year).padStart(4, '0') + rest, 'ascii'));
}

/** A UTCTime or GeneralizedTime with exactly these characters, in any form (tests build every form X.680 allows). */
export const utcTime = (text: string): Der => tlv(0x17, Buffer.from(text, 'latin1'));
export const generalizedTime = (text: string): Der => tlv(0x18, Buffer.from(text, 'latin1'));

export interface NameAttributeSpec {
  oid: string;
  value: string;
  type?: EncodableStringType;
}

/**
 * A Name with one attribute per RDN, as CAs issue them. An inner array makes one multi-valued RDN
 * (used by tests for the C=DE+C=IT case).
 */
export function name(rdns: ReadonlyArray<NameAttributeSpec | ReadonlyArray<NameAttributeSpec>>): Der {
  return sequence(
    ...rdns.map((rdn) => {
      const attributes = Array.isArray(rdn) ? rdn : [rdn as NameAttributeSpec];
      return set(
        ...attributes.map((attribute) =>
          sequence(objectIdentifier(attribute.oid), string(attribute.type ?? 'UTF8String', attribute.value)),
        ),
      );
    }),
  );
}
