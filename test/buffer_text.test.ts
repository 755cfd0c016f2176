// The text of a Buffer range, taken from Buffer's own decoders (latin1Slice, utf8Slice, hexSlice)
// where Node has them, and from toString where it has not: both routes give toString's text.
import { describe, expect, it } from 'vitest';
import * as bufferText from '../src/buffer_text.js';

type BufferText = typeof bufferText;
type Slices = Record<'latin1Slice' | 'utf8Slice' | 'hexSlice', unknown>;

let loads = 0;

/**
 * buffer_text.ts evaluated afresh, inside the test that calls this, on a Buffer without the three
 * decoders (as on a Node that lacks them). Another query each time makes it another module.
 */
async function loadedWithoutSlices(): Promise<BufferText> {
  const prototype = Buffer.prototype as unknown as Slices;
  const kept = { latin1Slice: prototype.latin1Slice, utf8Slice: prototype.utf8Slice, hexSlice: prototype.hexSlice };
  try {
    for (const name of Object.keys(kept) as Array<keyof Slices>) delete prototype[name];
    const path = `../src/buffer_text.js?without-slices=${++loads}`;
    return (await import(/* @vite-ignore */ path)) as BufferText;
  } finally {
    Object.assign(prototype, kept);
  }
}

/** Every range of a mixed text as latin1, UTF-8 and hex, as toString gives it. */
function expectToStringTexts({ latin1Text, utf8Text, hexText }: BufferText): void {
  const bytes = Buffer.from('0x caf\u00e9 \u00ff\u4e2d\u{1f600}', 'utf8');
  for (const [start, end] of [[0, bytes.length], [0, 0], [3, 9], [5, bytes.length], [bytes.length, bytes.length]] as const) {
    expect(latin1Text(bytes, start, end)).toBe(bytes.toString('latin1', start, end));
    expect(utf8Text(bytes, start, end)).toBe(bytes.toString('utf8', start, end));
    expect(hexText(bytes, start, end)).toBe(bytes.toString('hex', start, end));
  }
  expect(hexText(Buffer.from([0x00, 0x0f, 0xa0, 0xff]), 1, 4)).toBe('0fa0ff');
}

describe('buffer_text', () => {
  it("with Buffer's decoders", () => {
    expectToStringTexts(bufferText);
  });

  it('without them, through toString', async () => {
    const fallback = await loadedWithoutSlices();
    expect(fallback.hexText).not.toBe(bufferText.hexText);
    expectToStringTexts(fallback);
  });
});
