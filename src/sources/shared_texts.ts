// A column of strings in shared memory: their UTF-8 bytes one after another and where each ends.
// The serial index keeps its rows' order ids (until resolved) and a text certificate key (EJBCA's
// fingerprint) so; every worker reads them without a copy.
import { utf8Text } from '../buffer_text.js';
import { SharedGrowable, sharedArray } from './shared_arrays.js';

/** Plain shared data: crosses threads without a copy. */
export interface SharedTexts {
  /** Uint32 per entry: where its text ends in `bytes` (it starts where the previous one ends). */
  ends: SharedArrayBuffer;
  /** The texts as UTF-8. */
  bytes: SharedArrayBuffer;
}

/** Writes a text's UTF-8 bytes at `at`; returns where they end. ASCII by a loop (most keys), the rest by Buffer.write. */
function writeUtf8(view: Buffer, at: number, text: string): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) return at - index + view.write(text, at - index, 'utf8');
    view[at++] = code;
  }
  return at;
}

/** Appends the texts of entries 0, 1, 2, ... in order; the arrays grow as they must. */
export class SharedTextsBuilder {
  private readonly ends: SharedGrowable<Uint32Array<SharedArrayBuffer>>;
  private readonly bytes: SharedGrowable<Uint8Array<SharedArrayBuffer>>;
  private view: Buffer;
  private length = 0;

  /** `entries` and `bytesPerEntry` size the arrays (an overestimate costs address space only). */
  constructor(entries: number, bytesPerEntry: number) {
    this.ends = new SharedGrowable(sharedArray.uint32, entries);
    this.bytes = new SharedGrowable(sharedArray.bytes, entries * bytesPerEntry);
    this.view = Buffer.from(this.bytes.buffer);
  }

  /** Sets entry `entry` (the one after the last set) to `text`; null: no text (no bytes). */
  set(entry: number, text: string | null): void {
    if (text !== null) {
      // At most 3 UTF-8 bytes per UTF-16 code unit.
      const most = this.length + text.length * 3;
      if (most > this.view.length) this.view = Buffer.from(this.bytes.ensure(most).buffer);
      this.length = writeUtf8(this.view, this.length, text);
    }
    this.ends.ensure(entry + 1)[entry] = this.length;
  }

  finish(): SharedTexts {
    return { ends: this.ends.buffer, bytes: this.bytes.buffer };
  }
}

/** Reads the texts a SharedTextsBuilder wrote. */
export class SharedTextsReader {
  readonly bytes: Buffer;
  private readonly ends: Uint32Array;

  constructor(shared: SharedTexts) {
    this.bytes = Buffer.from(shared.bytes);
    this.ends = new Uint32Array(shared.ends);
  }

  start(entry: number): number {
    return entry === 0 ? 0 : this.ends[entry - 1]!;
  }

  end(entry: number): number {
    return this.ends[entry]!;
  }

  text(entry: number): string {
    return utf8Text(this.bytes, this.start(entry), this.ends[entry]!);
  }
}
