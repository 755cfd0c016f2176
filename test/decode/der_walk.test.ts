// The strict DER walk keeps the ends of the TLVs it is inside on a stack of its own instead of
// calling itself: held here to the recursive walk it replaced, on every fuzz input and at the
// nesting limit.
import { describe, expect, it } from 'vitest';
import { isStrictDer } from '../../src/decode/der_walk.js';
import { isReadableTime } from '../../src/decode/time.js';
import { fuzzCorpus } from './facts_fuzz.js';
import * as der from '../../src/demo/der.js';

/** The recursive walk as it was (primitive contents judged the same way, through isStrictDer on one TLV). */
function recursiveStrictDer(bytes: Uint8Array, start: number, end: number, depth = 0): boolean {
  if (depth > 32) return false;
  let offset = start;
  while (offset < end) {
    if (offset + 2 > end) return false;
    const tag = bytes[offset]!;
    if ((tag & 0x1f) === 0x1f) return false;
    let cursor = offset + 1;
    let length = bytes[cursor++]!;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 3 || cursor + count > end || bytes[cursor] === 0) return false;
      length = 0;
      for (let index = 0; index < count; index++) length = length * 256 + bytes[cursor++]!;
      if (length < 0x80) return false;
    }
    const contentEnd = cursor + length;
    if (contentEnd > end) return false;
    if (tag & 0x20) {
      if (tag !== 0x30 && tag !== 0x31 && (tag < 0xa0 || tag >= 0xc0)) return false;
      if (!recursiveStrictDer(bytes, cursor, contentEnd, depth + 1)) return false;
    } else if (!isStrictDer(bytes, offset, contentEnd)) {
      return false;
    }
    offset = contentEnd;
  }
  return offset === end;
}

/** `count` SEQUENCEs, each inside the one before, the innermost holding `inner`. */
function nested(count: number, inner: number[]): Uint8Array {
  let bytes = inner;
  for (let index = 0; index < count; index++) bytes = [0x30, bytes.length, ...bytes];
  return Uint8Array.from(bytes);
}

describe('isStrictDer', () => {
  const corpus = fuzzCorpus(Number(process.env.CERTSCAN_FUZZ_SCALE ?? '1'));
  const inputs = [...corpus.fixtures, ...corpus.generated, ...corpus.timeForms, ...corpus.mutated].map((input) => input.der);

  it('agrees with the recursive walk on every fuzz input, whole and from the second byte on', () => {
    let accepted = 0;
    for (const der of inputs) {
      for (const start of [0, 1, 4]) {
        const expected = recursiveStrictDer(der, start, der.length);
        expect(isStrictDer(der, start, der.length), `${der.toString('hex')} from ${start}`).toBe(expected);
        if (expected) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(inputs.length / 2);
  });

  it('follows 32 nested SEQUENCEs and refuses the 33rd', () => {
    const whole = (bytes: Uint8Array, depth = 0) => isStrictDer(bytes, 0, bytes.length, depth);
    expect(whole(nested(32, []))).toBe(true);
    expect(whole(nested(32, [0x05, 0x00]))).toBe(true);
    expect(whole(nested(33, []))).toBe(false);
    expect(whole(nested(33, []))).toBe(recursiveStrictDer(nested(33, []), 0, 66));
    expect(whole(nested(1, []), 31)).toBe(true);
    expect(whole(nested(2, []), 31)).toBe(false);
    expect(whole(nested(0, [0x05, 0x00]), 33)).toBe(false);
    // At the limit itself a primitive is read, as the recursive walk did.
    expect(whole(nested(0, [0x05, 0x00]), 32)).toBe(true);
    expect(whole(nested(0, []), 32)).toBe(true);
    expect(whole(nested(0, [0x05, 0x00]), 32)).toBe(recursiveStrictDer(nested(0, [0x05, 0x00]), 0, 2, 32));
  });

  it('reads long-form lengths of one to three bytes, and refuses indefinite, non-minimal and four-byte ones', () => {
    /** An OCTET STRING whose length field is `lengthBytes` and whose content is `contentLength` bytes. */
    const octets = (lengthBytes: number[], contentLength: number) => Buffer.concat([Buffer.from([0x04, ...lengthBytes]), Buffer.alloc(contentLength, 0x41)]);
    const cases: Array<[string, Buffer, boolean]> = [
      ['0x81 0x80', octets([0x81, 0x80], 0x80), true],
      ['0x82 0x01 0x00', octets([0x82, 0x01, 0x00], 0x100), true],
      ['0x83 0x01 0x00 0x00', octets([0x83, 0x01, 0x00, 0x00], 0x1_0000), true],
      ['0x81 0x7f: would fit the short form', octets([0x81, 0x7f], 0x7f), false],
      ['0x82 0x00 0x80: a leading zero byte', octets([0x82, 0x00, 0x80], 0x80), false],
      ['0x83 0x00 0x01 0x00: a leading zero byte', octets([0x83, 0x00, 0x01, 0x00], 0x100), false],
      ['0x80: indefinite', Buffer.from([0x04, 0x80, 0x41, 0x00, 0x00]), false],
      ['0x84: four length bytes, with the content all there (16 MiB)', octets([0x84, 0x01, 0x00, 0x00, 0x00], 0x100_0000), false],
      ['0x84 0x00 ...: four length bytes, leading zeros', octets([0x84, 0x00, 0x00, 0x00, 0x80], 0x80), false],
      ['0x82 0x01 0x00, a byte short', octets([0x82, 0x01, 0x00], 0xff), false],
    ];
    for (const [label, bytes, expected] of cases) {
      expect(isStrictDer(bytes, 0, bytes.length), label).toBe(expected);
      expect(recursiveStrictDer(bytes, 0, bytes.length), label).toBe(expected);
      // The same inside a SEQUENCE, and as the second element after a NULL.
      if (bytes.length >= 0x100_0000) continue; // the SEQUENCE's own length would take four bytes
      const inside = der.sequence(der.nullValue(), bytes);
      expect(isStrictDer(inside, 0, inside.length), `${label}, inside`).toBe(expected);
    }
  });

  it('refuses length bytes that run past the enclosing TLV or the input', () => {
    // SEQUENCE of 3 bytes holding an OCTET STRING whose two length bytes would end after it
    expect(isStrictDer(Uint8Array.from([0x30, 0x03, 0x04, 0x82, 0x01, 0x00]), 0, 6)).toBe(false);
    expect(isStrictDer(Uint8Array.from([0x04, 0x82, 0x01]), 0, 3)).toBe(false);
    expect(isStrictDer(Uint8Array.from([0x05, 0x00, 0x04]), 0, 3)).toBe(false); // one byte left: no header
    expect(isStrictDer(Uint8Array.from([0x30, 0x03, 0x05, 0x00, 0x04, 0x00]), 0, 6)).toBe(false); // one byte left in the SEQUENCE
  });

  it('goes on after a nested TLV and refuses one that overruns its parent', () => {
    // SEQUENCE { SEQUENCE { NULL }, INTEGER 5 }, then NULL
    expect(isStrictDer(Uint8Array.from([0x30, 0x07, 0x30, 0x02, 0x05, 0x00, 0x02, 0x01, 0x05, 0x05, 0x00]), 0, 11)).toBe(true);
    // the inner SEQUENCE claims 3 bytes where its parent has 2 left
    expect(isStrictDer(Uint8Array.from([0x30, 0x04, 0x30, 0x03, 0x05, 0x00, 0x05, 0x00]), 0, 8)).toBe(false);
    // a primitive content that is wrong deep inside
    expect(isStrictDer(nested(5, [0x01, 0x02, 0xff, 0xff]), 0, 14)).toBe(false);
    expect(isStrictDer(nested(5, [0x17, 0x0d, ...Buffer.from('240101000000Z')]), 0, 25)).toBe(isReadableTime(Buffer.from('240101000000Z'), 0x17, 0, 13));
  });
});
