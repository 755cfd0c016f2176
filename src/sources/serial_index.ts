// Serial -> certificate id and order, for joining CT and file entries with the issuance database
// without a query per entry. Built once by one pass over the certificates table (id, serial,
// order id), in shared memory that every worker reads without a copy. Each entry keeps its serial's
// bytes, so a lookup compares serials exactly: a hash collision never joins the wrong row.
import { SharedGrowable, sharedArray, slotOf, tableCapacity } from './shared_arrays.js';

/** An entry's order reference: the row's order id is NULL. */
export const NO_ORDER_ID = -1;
/**
 * An entry's order reference: the row names an order the order store cannot resolve (no such
 * order, a key that occurs twice, an unusual key type): the row is read through SQLite instead.
 */
export const ORDER_UNRESOLVED = -2;

/** One part of the index: the rows of an id range, as one worker read them. Plain shared data. */
export interface SharedSerialIndexPart {
  /** Float64 certificate id per entry. */
  ids: SharedArrayBuffer;
  /** Int32 per entry: the order's ordinal in the order store, NO_ORDER_ID or ORDER_UNRESOLVED. */
  orderRefs: SharedArrayBuffer;
  /** Uint32 per entry: where its serial ends in `serials` (it starts where the previous one ends). */
  serialEnds: SharedArrayBuffer;
  /** The serials as unsigned big-endian bytes without leading zero bytes. */
  serials: SharedArrayBuffer;
  entries: number;
}

/** The whole index: its parts and one hash table over all of them. Plain shared data. */
export interface SharedSerialIndex {
  parts: SharedSerialIndexPart[];
  /** Uint32 pairs per slot: the serial's hash, then the entry's number over all parts + 1 (0: empty). */
  slots: SharedArrayBuffer;
}

/** FNV-1a over bytes[start, end). */
function bytesHash(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ bytes[index]!, 0x01000193);
  return hash >>> 0;
}

const HEX_DIGIT = /^[0-9a-f]*$/;

function hexValue(code: number): number {
  return code <= 0x39 ? code - 0x30 : code - 0x57;
}

/** A part's arrays, as typed views. */
class Part {
  readonly ids: Float64Array;
  readonly orderRefs: Int32Array;
  readonly serialEnds: Uint32Array;
  readonly serials: Uint8Array;

  constructor(
    readonly shared: SharedSerialIndexPart,
    /** The number of the part's first entry over all parts. */
    readonly base: number,
  ) {
    this.ids = new Float64Array(shared.ids);
    this.orderRefs = new Int32Array(shared.orderRefs);
    this.serialEnds = new Uint32Array(shared.serialEnds);
    this.serials = new Uint8Array(shared.serials);
  }

  serialStart(entry: number): number {
    return entry === 0 ? 0 : this.serialEnds[entry - 1]!;
  }
}

/**
 * Reads the rows `feed` adds into one part: id, serial as normalized hex (lowercase, no leading
 * zeros) and order reference. A serial with other characters can never equal a certificate's
 * serial and is left out. `expected` sizes the arrays (an overestimate costs address space only).
 */
export function buildSerialIndexPart(expected: number, feed: (add: (id: number, normalizedSerial: string, orderRef: number) => void) => void): SharedSerialIndexPart {
  const capacity = Math.max(1024, expected);
  const ids = new SharedGrowable(sharedArray.float64, capacity);
  const orderRefs = new SharedGrowable(sharedArray.int32, capacity);
  const serialEnds = new SharedGrowable(sharedArray.uint32, capacity);
  // 20 bytes is RFC 5280's longest serial; longer ones grow the array.
  const serials = new SharedGrowable(sharedArray.bytes, capacity * 20);
  let entries = 0;
  let serialLength = 0;
  feed((id, normalized, orderRef) => {
    if (!HEX_DIGIT.test(normalized)) return;
    const bytes = serials.ensure(serialLength + Math.ceil(normalized.length / 2));
    // Leading zeros carry no value (zero itself has no bytes); an odd count of digits left starts with a half byte.
    let digit = 0;
    while (digit < normalized.length && normalized.charCodeAt(digit) === 0x30) digit++;
    if ((normalized.length - digit) % 2 === 1) bytes[serialLength++] = hexValue(normalized.charCodeAt(digit++));
    for (; digit < normalized.length; digit += 2) {
      bytes[serialLength++] = (hexValue(normalized.charCodeAt(digit)) << 4) | hexValue(normalized.charCodeAt(digit + 1));
    }
    ids.ensure(entries + 1)[entries] = id;
    orderRefs.ensure(entries + 1)[entries] = orderRef;
    serialEnds.ensure(entries + 1)[entries] = serialLength;
    entries++;
  });
  return { ids: ids.buffer, orderRefs: orderRefs.buffer, serialEnds: serialEnds.buffer, serials: serials.buffer, entries };
}

export class SerialIndex {
  private readonly parts: Part[];
  private readonly slots: Uint32Array;
  private readonly mask: number;

  private constructor(private readonly shared: SharedSerialIndex) {
    let base = 0;
    this.parts = shared.parts.map((part) => {
      const view = new Part(part, base);
      base += part.entries;
      return view;
    });
    this.slots = new Uint32Array(shared.slots);
    this.mask = this.slots.length / 2 - 1;
  }

  /** One hash table over the parts (sized to the rows actually read: sparse ids do not inflate it). */
  static combine(parts: SharedSerialIndexPart[]): SerialIndex {
    const entries = parts.reduce((total, part) => total + part.entries, 0);
    const index = new SerialIndex({ parts, slots: sharedArray.uint32(tableCapacity(entries) * 2).buffer });
    for (const part of index.parts) {
      for (let entry = 0; entry < part.shared.entries; entry++) index.insert(bytesHash(part.serials, part.serialStart(entry), part.serialEnds[entry]!), part.base + entry);
    }
    return index;
  }

  static attach(shared: SharedSerialIndex): SerialIndex {
    return new SerialIndex(shared);
  }

  get size(): number {
    return this.parts.reduce((total, part) => total + part.shared.entries, 0);
  }

  /** What to send to the workers. */
  toShared(): SharedSerialIndex {
    return this.shared;
  }

  /**
   * The entry of a serial given as DER INTEGER content bytes (bytes[start, end); leading zero
   * bytes are skipped), with the lowest id where the serial repeats; -1 when absent.
   */
  find(bytes: Uint8Array, start: number, end: number): number {
    while (start < end && bytes[start] === 0) start++;
    const length = end - start;
    const hash = bytesHash(bytes, start, end);
    let best = -1;
    let bestId = 0;
    for (let slot = slotOf(hash, this.mask); this.slots[slot * 2 + 1] !== 0; slot = (slot + 1) & this.mask) {
      if (this.slots[slot * 2] !== hash) continue;
      const entry = this.slots[slot * 2 + 1]! - 1;
      const part = this.partOf(entry);
      const local = entry - part.base;
      const serialStart = part.serialStart(local);
      if (part.serialEnds[local]! - serialStart !== length) continue;
      let equal = true;
      for (let offset = 0; offset < length; offset++) {
        if (part.serials[serialStart + offset] !== bytes[start + offset]) {
          equal = false;
          break;
        }
      }
      if (equal && (best === -1 || part.ids[local]! < bestId)) {
        best = entry;
        bestId = part.ids[local]!;
      }
    }
    return best;
  }

  idOf(entry: number): number {
    const part = this.partOf(entry);
    return part.ids[entry - part.base]!;
  }

  /** The order store ordinal of the entry's order, NO_ORDER_ID or ORDER_UNRESOLVED. */
  orderRefOf(entry: number): number {
    const part = this.partOf(entry);
    return part.orderRefs[entry - part.base]!;
  }

  /** The part an entry number falls in (parts are few: one per worker). */
  private partOf(entry: number): Part {
    let part = this.parts[0]!;
    for (let index = 1; index < this.parts.length && this.parts[index]!.base <= entry; index++) part = this.parts[index]!;
    return part;
  }

  private insert(hash: number, entry: number): void {
    let slot = slotOf(hash, this.mask);
    while (this.slots[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot * 2] = hash;
    this.slots[slot * 2 + 1] = entry + 1;
  }
}
