// Serial -> certificate id and order, for joining CT and file entries with the issuance database
// without a query per entry. Built once by one pass over the certificates table (id, serial,
// order id), in shared memory that every worker reads without a copy. Each entry keeps its serial's
// bytes, so a lookup compares serials exactly: a hash collision never joins the wrong row.
import { SharedGrowable, sharedArray, slotOf, tableCapacity } from './shared_arrays.js';
import { SharedTextsBuilder, SharedTextsReader, type SharedTexts } from './shared_texts.js';
import { OrderStore, orderKeyOf } from './order_store.js';
import { compareKeys, type KeyKind } from './database/row_key.js';
import type { RowKey } from './types.js';
import { fnv1a } from '../fnv.js';

/** An entry's order reference: the row's order id is NULL. */
export const NO_ORDER_ID = -1;
/**
 * An entry's order reference: the row names an order the order store cannot resolve (no such
 * order, a key that occurs twice, an unusual key type): the row is read through SQLite instead.
 */
export const ORDER_UNRESOLVED = -2;

/** One part of the index: the rows of an id range, as one worker read them. Plain shared data. */
export interface SharedSerialIndexPart {
  /**
   * The certificate key per entry, as the database has it: Float64 for an integer key, UTF-8 text
   * for any other (EJBCA's fingerprint).
   */
  ids: { integers: SharedArrayBuffer } | { texts: SharedTexts };
  /** Int32 per entry: the order's ordinal in the order store, NO_ORDER_ID or ORDER_UNRESOLVED. */
  orderRefs: SharedArrayBuffer;
  /** Uint32 per entry: where its serial ends in `serials` (it starts where the previous one ends). */
  serialEnds: SharedArrayBuffer;
  /** The serials as unsigned big-endian bytes without leading zero bytes. */
  serials: SharedArrayBuffer;
  entries: number;
  /**
   * Each row's order id as read, until resolveOrderReferences turns them into orderRefs: a part is
   * read while the main thread is still reading the orders.
   */
  orderKeys?: {
    /** Uint8 per entry: an ORDER_KEY kind. */
    kinds: SharedArrayBuffer;
    /** The keys of the text and numeric kinds (the others have none). */
    texts: SharedTexts;
  };
}

/** What a row's order id is: NULL, text, an integer, or something else (left to SQLite). */
const ORDER_KEY = { none: 0, text: 1, numeric: 2, other: 3 } as const;

/** The whole index: its parts and one hash table over all of them. Plain shared data. */
export interface SharedSerialIndex {
  parts: SharedSerialIndexPart[];
  /** Uint32 pairs per slot: the serial's hash, then the entry's number over all parts + 1 (0: empty). */
  slots: SharedArrayBuffer;
}


/** The value of a hex digit's character code, or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/**
 * Adds one row to a part being read: id (a number for an integer key, text for a text key), serial
 * in hex, order id as the client returns it. false (and nothing added) when the serial is not all
 * hex digits.
 */
export type AddIndexRow = (id: RowKey, serialHex: string, orderId: unknown) => boolean;

/** A part's arrays, as typed views. */
class Part {
  /** An integer key's ids, else null. */
  readonly ids: Float64Array | null;
  /** A text key's ids, else null. */
  readonly textIds: SharedTextsReader | null;
  readonly orderRefs: Int32Array;
  readonly serialEnds: Uint32Array;
  readonly serials: Uint8Array;

  constructor(
    readonly shared: SharedSerialIndexPart,
    /** The number of the part's first entry over all parts. */
    readonly base: number,
  ) {
    this.ids = 'integers' in shared.ids ? new Float64Array(shared.ids.integers) : null;
    this.textIds = 'texts' in shared.ids ? new SharedTextsReader(shared.ids.texts) : null;
    this.orderRefs = new Int32Array(shared.orderRefs);
    this.serialEnds = new Uint32Array(shared.serialEnds);
    this.serials = new Uint8Array(shared.serials);
  }

  serialStart(entry: number): number {
    return entry === 0 ? 0 : this.serialEnds[entry - 1]!;
  }

  idOf(entry: number): RowKey {
    return this.ids ? this.ids[entry]! : this.textIds!.text(entry);
  }
}

/**
 * Reads the rows `feed` adds into one part: id, serial as hex digits (either case, leading zeros
 * allowed) and order id (as the client returns it). A serial with other characters can never
 * equal a certificate's serial and is left out. `expected` sizes the arrays (an overestimate costs
 * address space only). The order ids wait in the part for resolveOrderReferences. The ids are
 * kept as `keyKind` says: numbers (integer keys, the fast path) or text.
 */
export function buildSerialIndexPart(expected: number, feed: (add: AddIndexRow) => void, keyKind: KeyKind = 'integer'): SharedSerialIndexPart {
  const capacity = Math.max(1024, expected);
  const ids = keyKind === 'integer' ? new SharedGrowable(sharedArray.float64, capacity) : null;
  // 40 bytes: an EJBCA fingerprint (SHA-1 in hex).
  const textIds = keyKind === 'integer' ? null : new SharedTextsBuilder(capacity, 40);
  const orderRefs = new SharedGrowable(sharedArray.int32, capacity);
  const serialEnds = new SharedGrowable(sharedArray.uint32, capacity);
  // 20 bytes is RFC 5280's longest serial; longer ones grow the array.
  const serials = new SharedGrowable(sharedArray.bytes, capacity * 20);
  const keyKinds = new SharedGrowable(sharedArray.bytes, capacity);
  const keys = new SharedTextsBuilder(capacity, 16);
  let entries = 0;
  let serialLength = 0;
  feed((id, hex, orderId) => {
    const bytes = serials.ensure(serialLength + Math.ceil(hex.length / 2));
    // Leading zeros carry no value (zero itself has no bytes); an odd count of digits left starts with a half byte.
    let digit = 0;
    while (digit < hex.length && hex.charCodeAt(digit) === 0x30) digit++;
    let at = serialLength;
    if ((hex.length - digit) % 2 === 1) {
      const value = hexValue(hex.charCodeAt(digit++));
      if (value < 0) return false;
      bytes[at++] = value;
    }
    for (; digit < hex.length; digit += 2) {
      const high = hexValue(hex.charCodeAt(digit));
      const low = hexValue(hex.charCodeAt(digit + 1));
      if ((high | low) < 0) return false;
      bytes[at++] = (high << 4) | low;
    }
    serialLength = at;
    if (ids) ids.ensure(entries + 1)[entries] = Number(id);
    else textIds!.set(entries, String(id));
    orderRefs.ensure(entries + 1);
    serialEnds.ensure(entries + 1)[entries] = serialLength;
    // The order store's rule for what is a key (orderKeyOf); anything else is left to SQLite.
    const key = orderId === null || orderId === undefined ? null : orderKeyOf(orderId);
    const kind = orderId === null || orderId === undefined ? ORDER_KEY.none : key === null ? ORDER_KEY.other : key.numeric ? ORDER_KEY.numeric : ORDER_KEY.text;
    keys.set(entries, key === null ? null : key.text);
    keyKinds.ensure(entries + 1)[entries] = kind;
    entries++;
    return true;
  });
  return {
    ids: ids ? { integers: ids.buffer } : { texts: textIds!.finish() },
    orderRefs: orderRefs.buffer,
    serialEnds: serialEnds.buffer,
    serials: serials.buffer,
    entries,
    orderKeys: { kinds: keyKinds.buffer, texts: keys.finish() },
  };
}

/** The part without the order ids it was read with (they are needed only until resolved). */
export function withoutOrderKeys(part: SharedSerialIndexPart): SharedSerialIndexPart {
  const { orderKeys: _orderKeys, ...rest } = part;
  return rest;
}

/**
 * Turns a part's order ids into order store ordinals (NO_ORDER_ID, ORDER_UNRESOLVED), in its
 * shared orderRefs; returns the part without its order ids.
 */
export function resolveOrderReferences(part: SharedSerialIndexPart, orders: OrderStore): SharedSerialIndexPart {
  const { orderKeys } = part;
  if (!orderKeys) return part;
  const kinds = new Uint8Array(orderKeys.kinds);
  const keys = new SharedTextsReader(orderKeys.texts);
  const orderRefs = new Int32Array(part.orderRefs);
  for (let entry = 0; entry < part.entries; entry++) {
    const kind = kinds[entry]!;
    if (kind === ORDER_KEY.none) orderRefs[entry] = NO_ORDER_ID;
    else if (kind === ORDER_KEY.other) orderRefs[entry] = ORDER_UNRESOLVED;
    else {
      const ordinal = orders.ordinalOfKey(keys.bytes, keys.start(entry), keys.end(entry), kind === ORDER_KEY.numeric);
      orderRefs[entry] = ordinal === OrderStore.NOT_FOUND ? ORDER_UNRESOLVED : ordinal;
    }
  }
  return withoutOrderKeys(part);
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

  /**
   * An index over the parts with an empty hash table, sized to the rows actually read (sparse ids
   * do not inflate it); insertPart fills it, one part per worker at once.
   */
  static over(parts: SharedSerialIndexPart[]): SerialIndex {
    const entries = parts.reduce((total, part) => total + part.entries, 0);
    return new SerialIndex({ parts: parts.map(withoutOrderKeys), slots: sharedArray.uint32(tableCapacity(entries) * 2).buffer });
  }

  /** over() with every part inserted, on this thread. */
  static combine(parts: SharedSerialIndexPart[]): SerialIndex {
    const index = SerialIndex.over(parts);
    for (let part = 0; part < parts.length; part++) index.insertPart(part);
    return index;
  }

  /**
   * Adds the entries of one part to the hash table. Threads may insert different parts at once:
   * a slot is claimed by an atomic compare-and-exchange of its entry word (nothing reads the table
   * until every part is in).
   */
  insertPart(partNumber: number): void {
    const part = this.parts[partNumber]!;
    for (let entry = 0; entry < part.shared.entries; entry++) {
      const hash = fnv1a(part.serials, part.serialStart(entry), part.serialEnds[entry]!);
      let slot = slotOf(hash, this.mask);
      while (Atomics.compareExchange(this.slots, slot * 2 + 1, 0, part.base + entry + 1) !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot * 2] = hash;
    }
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
   * bytes are skipped), with the lowest id where the serial repeats (text ids: the first in
   * JavaScript's string order); -1 when absent.
   */
  find(bytes: Uint8Array, start: number, end: number): number {
    while (start < end && bytes[start] === 0) start++;
    const length = end - start;
    const hash = fnv1a(bytes, start, end);
    let best = -1;
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
      // A serial found once (the rule) reads no id; only a repeated one compares them.
      if (equal && (best === -1 || compareKeys(part.idOf(local), this.idOf(best)) < 0)) best = entry;
    }
    return best;
  }

  /** The entry's certificate key: a number (integer key) or text (EJBCA's fingerprint). */
  idOf(entry: number): RowKey {
    const part = this.partOf(entry);
    return part.idOf(entry - part.base);
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

}
