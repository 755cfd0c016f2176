import { describe, expect, it } from 'vitest';
import { SharedTextsBuilder, SharedTextsReader } from '../../src/sources/shared_texts.js';

describe('SharedTexts: a column of strings in shared memory', () => {
  it('reads back ASCII, the first non-ASCII code point (U+0080), two- to four-byte UTF-8 and no text, in order', () => {
    const texts = ['abc', '\u0080', 'Ä-\u0080-ÿ', '€ Größe', '😀 ok', null, '', 'tail'];
    const builder = new SharedTextsBuilder(texts.length, 8);
    texts.forEach((text, entry) => builder.set(entry, text));
    const reader = new SharedTextsReader(builder.finish());
    expect(texts.map((_, entry) => reader.text(entry))).toEqual(texts.map((text) => text ?? ''));
    expect([reader.start(1), reader.end(1)]).toEqual([3, 5]);
    expect(reader.bytes.subarray(reader.start(1), reader.end(1))).toEqual(Buffer.from([0xc2, 0x80]));
  });

  it('grows past a small first estimate for a long text, ASCII or not', () => {
    const long = 'k'.repeat(5000);
    const wide = 'ü'.repeat(3000);
    const builder = new SharedTextsBuilder(1, 1);
    builder.set(0, 'x');
    builder.set(1, long);
    builder.set(2, wide);
    const reader = new SharedTextsReader(builder.finish());
    expect([reader.text(0), reader.text(1), reader.text(2)]).toEqual(['x', long, wide]);
    expect(reader.end(2)).toBe(1 + 5000 + 6000);
  });
});
