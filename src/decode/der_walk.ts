// A strict DER walker for the fast path. It accepts only a subset of what asn1js accepts (definite
// minimal lengths, low tag numbers, a whitelist of primitive types with well-formed content), so
// whenever it says "well formed", pkijs's full decode would parse the same bytes without error.
// Anything outside that subset makes it answer "not sure", and the caller falls back to pkijs.

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  contentStart: number;
  end: number;
}

/** Reads the TLV at `offset`, or null when it is not strict DER or overruns `limit`. */
export function readTlv(bytes: Uint8Array, offset: number, limit: number): Tlv | null {
  if (offset + 2 > limit) return null;
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) return null; // high tag number form
  let cursor = offset + 1;
  let length = bytes[cursor++]!;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3 || cursor + count > limit) return null; // indefinite or huge
    if (bytes[cursor] === 0) return null; // non-minimal
    length = 0;
    for (let index = 0; index < count; index++) length = length * 256 + bytes[cursor++]!;
    if (length < 0x80) return null; // non-minimal
  }
  const end = cursor + length;
  if (end > limit) return null;
  return { tag, start: offset, contentStart: cursor, end };
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let index = start; index < end; index++) text += String.fromCharCode(bytes[index]!);
  return text;
}

/** A UTCTime (0x17) or GeneralizedTime (0x18) as an ISO string, or null when not strictly valid. */
export function readTime(bytes: Uint8Array, tlv: Tlv): string | null {
  const text = ascii(bytes, tlv.contentStart, tlv.end);
  const match = (tlv.tag === 0x17 ? UTC_TIME : tlv.tag === 0x18 ? GENERALIZED_TIME : null)?.exec(text);
  if (!match) return null;
  let year = Number(match[1]);
  if (tlv.tag === 0x17) year += year >= 50 ? 1900 : 2000;
  else if (year < 1950) return null; // leave unusual years to pkijs
  const [month, day, hour, minute, second] = match.slice(2).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (date.getUTCDate() !== day) return null; // 31 April and the like
  return date.toISOString();
}

function primitiveContentOk(bytes: Uint8Array, tag: number, start: number, end: number): boolean {
  const length = end - start;
  if (tag >= 0x80) return tag < 0xc0; // context-specific primitive: raw bytes
  switch (tag) {
    case 0x01: // BOOLEAN
      return length === 1;
    case 0x02: // INTEGER
    case 0x0a: // ENUMERATED
      return length >= 1;
    case 0x03: // BIT STRING
      return length >= 1 && bytes[start]! <= 7 && (length > 1 || bytes[start] === 0);
    case 0x04: // OCTET STRING
      return true;
    case 0x05: // NULL
      return length === 0;
    case 0x06: {
      // OBJECT IDENTIFIER: minimal subidentifiers, the last one complete
      if (length === 0 || bytes[end - 1]! & 0x80) return false;
      let subidentifierStart = true;
      for (let index = start; index < end; index++) {
        if (subidentifierStart && bytes[index] === 0x80) return false;
        subidentifierStart = (bytes[index]! & 0x80) === 0;
      }
      return true;
    }
    case 0x0c: // UTF8String
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x14: // TeletexString
    case 0x16: // IA5String
    case 0x1a: // VisibleString
      return true;
    case 0x1e: // BMPString
      return length % 2 === 0;
    case 0x1c: // UniversalString
      return length % 4 === 0;
    case 0x17:
    case 0x18:
      return readTime(bytes, { tag, start, contentStart: start, end }) !== null;
    default:
      return false;
  }
}

/** True when bytes[start, end) is a sequence of strict-DER TLVs, recursively. */
export function isStrictDer(bytes: Uint8Array, start: number, end: number, depth = 0): boolean {
  if (depth > 32) return false;
  let offset = start;
  while (offset < end) {
    const tlv = readTlv(bytes, offset, end);
    if (!tlv) return false;
    if (tlv.tag & 0x20) {
      // Constructed: SEQUENCE, SET, or context-specific; never a constructed string.
      const universalOk = tlv.tag === 0x30 || tlv.tag === 0x31;
      const contextOk = tlv.tag >= 0xa0 && tlv.tag < 0xc0;
      if (!universalOk && !contextOk) return false;
      if (!isStrictDer(bytes, tlv.contentStart, tlv.end, depth + 1)) return false;
    } else if (!primitiveContentOk(bytes, tlv.tag, tlv.contentStart, tlv.end)) {
      return false;
    }
    offset = tlv.end;
  }
  return offset === end;
}

/** The TLVs directly inside a constructed TLV (whose content is already known to be strict DER). */
export function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const items: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const tlv = readTlv(bytes, offset, parent.end)!;
    items.push(tlv);
    offset = tlv.end;
  }
  return items;
}
