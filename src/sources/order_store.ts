// The vetted orders in shared memory, for CT and file scans. A log entry is joined with its order
// through the serial index; looking the order up in SQLite by its TEXT key took about 2 µs an entry
// (a B-tree descent with string compares), more than the decode. The main thread reads the orders
// table once into these arrays, and every worker reads them without a copy.
import { SharedGrowable, sharedArray, slotOf, tableCapacity } from './shared_arrays.js';
import type { OrderRecord } from './types.js';

/** Per order: the key, then the six fields, as references into the string table. */
const FIELDS_PER_ORDER = 7;
/** A field reference: SQL NULL. */
const NULL_FIELD = -1;
/** A field reference: the CA's database does not keep this field (its column is mapped to null). */
const UNMAPPED_FIELD = -2;
/** Marks a hash-table slot whose key more than one order has. */
const AMBIGUOUS = 0x80000000;
/** Node's Buffer has this method (undocumented, present since Node 0.x); the types leave it out. */
type Utf8Sliceable = Buffer & { utf8Slice(start: number, end: number): string };
/** Field positions after the key; organization values are mostly distinct, the others repeat. */
const ORGANIZATION = 1;

/** The shared buffers of a built store: plain data that crosses to the workers without a copy. */
export interface SharedOrderStore {
  /** Int32 per order and field (FIELDS_PER_ORDER each). */
  records: SharedArrayBuffer;
  /** UTF-8 bytes of every string. */
  bytes: SharedArrayBuffer;
  /** Uint32 end offset of each string in `bytes` (a string starts where the previous one ends). */
  ends: SharedArrayBuffer;
  /** Uint8 per order: 1 where SQLite holds the key as a number. */
  numericKeys: SharedArrayBuffer;
  /** Uint32 pairs per slot: the key's hash, then the order's ordinal + 1 (0: empty). */
  slots: SharedArrayBuffer;
  orders: number;
  strings: number;
}

/** One row of the orders table: the key, then organization, country, state, locality, jurisdiction, validation type. */
export type OrderRow = readonly unknown[];

/** FNV-1a over the UTF-16 code units of an order key. */
function keyHash(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

/**
 * An order key: its text and whether SQLite holds it as a number. Only keys of the same kind and
 * text are taken as equal here; SQLite's join may also match text with numbers (depending on the
 * columns' affinities), so any other key is left to SQLite. null: not a key this store holds.
 */
export interface OrderKey {
  text: string;
  numeric: boolean;
}

export function orderKeyOf(value: unknown): OrderKey | null {
  if (typeof value === 'string') return { text: value, numeric: false };
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { text: String(value), numeric: true };
  if (typeof value === 'bigint') return { text: value.toString(), numeric: true };
  return null;
}

export class OrderStore {
  /** What ordinalOf returns for a key with no single order in the store. */
  static readonly NOT_FOUND = -1;

  private readonly records: Int32Array;
  private readonly bytes: Buffer;
  private readonly ends: Uint32Array;
  private readonly numericKeys: Uint8Array;
  private readonly slots: Uint32Array;
  private readonly mask: number;
  /** Decoded values of the repeating fields (country, state, ...), per string: this thread's cache. */
  private readonly decoded: Array<string | undefined> = [];

  private constructor(private readonly shared: SharedOrderStore) {
    this.records = new Int32Array(shared.records);
    this.bytes = Buffer.from(shared.bytes);
    this.ends = new Uint32Array(shared.ends);
    this.numericKeys = new Uint8Array(shared.numericKeys);
    this.slots = new Uint32Array(shared.slots);
    this.mask = this.slots.length / 2 - 1;
  }

  /**
   * Builds the store from the rows of the orders table. `mapped[k]` says whether the k-th field has
   * a column at all; `expected` (from one SQL pass) sizes the arrays once. A row whose key is NULL
   * never joins and is left out; a key that occurs twice is marked so that lookups of it go to
   * SQLite, which decides such joins as it always did.
   */
  static build(rows: Iterable<OrderRow>, mapped: readonly boolean[], expected: { orders: number; bytes: number }): OrderStore {
    const records = new SharedGrowable(sharedArray.int32, expected.orders * FIELDS_PER_ORDER);
    const bytes = new SharedGrowable(sharedArray.bytes, expected.bytes);
    const ends = new SharedGrowable(sharedArray.uint32, expected.orders * FIELDS_PER_ORDER);
    const numericKeys = new SharedGrowable(sharedArray.bytes, expected.orders);
    // Repeating values are stored once; organizations and keys are appended as they come.
    const interned = new Map<string, number>();
    let view = Buffer.from(bytes.buffer);
    let byteLength = 0;
    let strings = 0;
    const append = (text: string): number => {
      const length = Buffer.byteLength(text);
      if (byteLength + length > view.length) view = Buffer.from(bytes.ensure(byteLength + length).buffer);
      view.write(text, byteLength, 'utf8');
      byteLength += length;
      ends.ensure(strings + 1)[strings] = byteLength;
      return strings++;
    };
    let orders = 0;
    for (const row of rows) {
      const key = orderKeyOf(row[0]);
      if (key === null) continue;
      const record = records.ensure((orders + 1) * FIELDS_PER_ORDER);
      const base = orders * FIELDS_PER_ORDER;
      record[base] = append(key.text);
      numericKeys.ensure(orders + 1)[orders] = key.numeric ? 1 : 0;
      for (let field = 1; field < FIELDS_PER_ORDER; field++) {
        const value = row[field];
        if (!mapped[field - 1]) record[base + field] = UNMAPPED_FIELD;
        else if (value === null || value === undefined) record[base + field] = NULL_FIELD;
        else {
          const text = String(value);
          if (field === ORGANIZATION) record[base + field] = append(text);
          else {
            let ref = interned.get(text);
            if (ref === undefined) interned.set(text, (ref = append(text)));
            record[base + field] = ref;
          }
        }
      }
      orders++;
    }
    const slots = sharedArray.uint32(tableCapacity(orders) * 2).buffer;
    const built = new OrderStore({ records: records.buffer, bytes: bytes.buffer, ends: ends.buffer, numericKeys: numericKeys.buffer, slots, orders, strings });
    for (let ordinal = 0; ordinal < orders; ordinal++) built.insertKey(ordinal);
    return built;
  }

  /** Adds an order's key to the hash table; a key already there is marked as not one order. */
  private insertKey(ordinal: number): void {
    const key = this.keyOf(ordinal);
    const numeric = this.numericKeys[ordinal] === 1;
    const hash = keyHash(key);
    let slot = slotOf(hash, this.mask);
    for (; this.slots[slot * 2 + 1] !== 0; slot = (slot + 1) & this.mask) {
      const value = this.slots[slot * 2 + 1]!;
      if (this.slots[slot * 2] === hash && this.keyEquals((value & ~AMBIGUOUS) - 1, key, numeric)) {
        this.slots[slot * 2 + 1] = (value | AMBIGUOUS) >>> 0;
        return;
      }
    }
    this.slots[slot * 2] = hash;
    this.slots[slot * 2 + 1] = ordinal + 1;
  }

  static attach(shared: SharedOrderStore): OrderStore {
    return new OrderStore(shared);
  }

  toShared(): SharedOrderStore {
    return this.shared;
  }

  get size(): number {
    return this.shared.orders;
  }

  /**
   * The ordinal of the one order whose key is this value (a string or an integer, as
   * better-sqlite3 returns it), or NOT_FOUND: no such order, more than one, or a key of another
   * kind (see OrderKey).
   */
  ordinalOf(value: unknown): number {
    const key = orderKeyOf(value);
    if (key === null) return OrderStore.NOT_FOUND;
    const hash = keyHash(key.text);
    for (let slot = slotOf(hash, this.mask); this.slots[slot * 2 + 1] !== 0; slot = (slot + 1) & this.mask) {
      if (this.slots[slot * 2] !== hash) continue;
      const value = this.slots[slot * 2 + 1]!;
      const ordinal = (value & ~AMBIGUOUS) - 1;
      if (this.keyEquals(ordinal, key.text, key.numeric)) return value & AMBIGUOUS ? OrderStore.NOT_FOUND : ordinal;
    }
    return OrderStore.NOT_FOUND;
  }

  /** Whether the order's key is `key` of this kind, without decoding it when both are ASCII. */
  private keyEquals(ordinal: number, key: string, numeric: boolean): boolean {
    if ((this.numericKeys[ordinal] === 1) !== numeric) return false;
    const ref = this.records[ordinal * FIELDS_PER_ORDER]!;
    const start = ref === 0 ? 0 : this.ends[ref - 1]!;
    if (this.ends[ref]! - start !== key.length) return this.text(ref) === key;
    for (let index = 0; index < key.length; index++) {
      const code = key.charCodeAt(index);
      if (code >= 0x80) return this.text(ref) === key;
      if (this.bytes[start + index] !== code) return false;
    }
    return true;
  }

  /** The order's key, as the orders table holds it (String() of the value). */
  keyOf(ordinal: number): string {
    return this.text(this.records[ordinal * FIELDS_PER_ORDER]!);
  }

  /** The order as the SQL join would have produced it. */
  record(ordinal: number): OrderRecord {
    const base = ordinal * FIELDS_PER_ORDER;
    const r = this.records;
    return {
      id: this.text(r[base]!),
      organization: this.field(r[base + 1]!, false),
      country: this.field(r[base + 2]!, true),
      state: this.field(r[base + 3]!, true),
      locality: this.field(r[base + 4]!, true),
      jurisdictionCountry: this.field(r[base + 5]!, true),
      validationType: this.field(r[base + 6]!, true),
    };
  }

  private field(ref: number, repeats: boolean): string | null | undefined {
    if (ref === UNMAPPED_FIELD) return undefined;
    if (ref === NULL_FIELD) return null;
    if (!repeats) return this.text(ref);
    return (this.decoded[ref] ??= this.text(ref));
  }

  private text(ref: number): string {
    // utf8Slice is what toString('utf8', ...) calls after checking its arguments: a lookup decodes
    // two strings an entry, and the checks cost about as much as the decoding.
    return (this.bytes as Utf8Sliceable).utf8Slice(ref === 0 ? 0 : this.ends[ref - 1]!, this.ends[ref]!);
  }
}
