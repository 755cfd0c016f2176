// A strict DER walker for the fast path. It accepts only a subset of what asn1js accepts (definite
// minimal lengths, low tag numbers, a whitelist of primitive types with well-formed content), so
// whenever it says "well formed", pkijs's full decode would parse the same bytes without error.
// Anything outside that subset makes it answer "not sure", and the caller falls back to pkijs.
import { isReadableTime } from './time.js';

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  contentStart: number;
  end: number;
}

/** Reads the TLV at `offset`, or null when it is not strict DER or overruns `limit`. */
export function readTlv(bytes: Uint8Array, offset: number, limit: number): Tlv | null {
  const tlv: Tlv = { tag: 0, start: 0, contentStart: 0, end: 0 };
  return readTlvInto(bytes, offset, limit, tlv) ? tlv : null;
}

/** A Tlv for readTlvInto to fill again and again. */
export const scratchTlv = (): Tlv => ({ tag: 0, start: 0, contentStart: 0, end: 0 });

/**
 * readTlv into `out` (false, with `out` unspecified, where readTlv gives null): the hot loops
 * over extensions and RDNs reuse a few Tlvs instead of allocating one per element.
 */
export function readTlvInto(bytes: Uint8Array, offset: number, limit: number, out: Tlv): boolean {
  if (offset + 2 > limit) return false;
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) return false; // high tag number form
  let cursor = offset + 1;
  let length = bytes[cursor++]!;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3 || cursor + count > limit) return false; // indefinite or huge
    if (bytes[cursor] === 0) return false; // non-minimal
    length = 0;
    for (let index = 0; index < count; index++) length = length * 256 + bytes[cursor++]!;
    if (length < 0x80) return false; // non-minimal
  }
  const end = cursor + length;
  if (end > limit) return false;
  out.tag = tag;
  out.start = offset;
  out.contentStart = cursor;
  out.end = end;
  return true;
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
    case 0x17: // UTCTime
    case 0x18: // GeneralizedTime: every form certscan's time reader reads (and asn1js parses)
      return isReadableTime(bytes, tag, start, end);
    default:
      return false;
  }
}

/** Deepest nesting isStrictDer follows; deeper input is left to pkijs. */
const MAX_DEPTH = 32;
/** The ends of the constructed TLVs isStrictDer is inside (it never re-enters itself). */
const enclosingEnds = new Int32Array(MAX_DEPTH + 1);

/**
 * True when bytes[start, end) is a sequence of strict-DER TLVs, recursively. It runs on every
 * certificate (about 60 TLVs each), so it parses headers inline rather than through readTlv and
 * keeps the ends of the enclosing TLVs in a fixed stack rather than calling itself per SEQUENCE.
 */
export function isStrictDer(bytes: Uint8Array, start: number, end: number, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  let level = depth;
  let levelEnd = end;
  let offset = start;
  for (;;) {
    if (offset === levelEnd) {
      // The content of the enclosing TLV is used up exactly: go on after it.
      if (level === depth) return true;
      levelEnd = enclosingEnds[--level]!;
      continue;
    }
    if (offset + 2 > levelEnd) return false;
    const tag = bytes[offset]!;
    if ((tag & 0x1f) === 0x1f) return false;
    let cursor = offset + 1;
    let length = bytes[cursor++]!;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 3 || cursor + count > levelEnd || bytes[cursor] === 0) return false;
      length = 0;
      for (let index = 0; index < count; index++) length = length * 256 + bytes[cursor++]!;
      if (length < 0x80) return false;
    }
    const contentEnd = cursor + length;
    if (contentEnd > levelEnd) return false;
    if (tag & 0x20) {
      // Constructed: SEQUENCE, SET, or context-specific; never a constructed string.
      if (tag !== 0x30 && tag !== 0x31 && (tag < 0xa0 || tag >= 0xc0)) return false;
      if (level + 1 > MAX_DEPTH) return false;
      enclosingEnds[level++] = levelEnd;
      levelEnd = contentEnd;
      offset = cursor;
    } else {
      if (!primitiveContentOk(bytes, tag, cursor, contentEnd)) return false;
      offset = contentEnd;
    }
  }
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
