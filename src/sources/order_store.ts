// The vetted orders in shared memory, for CT and file scans. A log entry is joined with its order
// through the serial index; looking the order up in SQLite by its TEXT key took about 2 µs an entry
// (a B-tree descent with string compares). The main thread reads the orders table once into these
// arrays, and every worker reads them without a copy.
import { SharedGrowable, sharedArray, slotOf, tableCapacity } from './shared_arrays.js';
import type { OrderRecord } from './types.js';
import { fnv1a } from '../fnv.js';
import { utf8Text } from '../buffer_text.js';
import { ORDER_FIELDS, orderRecord } from './order_fields.js';

/** Per order: the key, then each field of ORDER_FIELDS (a string number, or a value number for a repeating field). */
const FIELDS_PER_ORDER = 1 + ORDER_FIELDS.length;
/** By record position (0: the key): whether the field's values repeat and are stored once. */
const REPEATS: readonly boolean[] = [false, ...ORDER_FIELDS.map((field) => field.repeats)];
/** record()'s scratch field values (a lookup runs per entry). */
const recordValues = new Array<string | null | undefined>(ORDER_FIELDS.length);
/** A field reference: SQL NULL. */
const NULL_FIELD = -1;
/** A field reference: the CA's database does not keep this field (its column is mapped to null). */
const UNMAPPED_FIELD = -2;
/** A hash-table slot: the key's hash, the order's ordinal + 1 with the flags below (0: empty), where the key starts and ends in the string table. */
const SLOT_WORDS = 4;
/** Flag: more than one order has this key. */
const AMBIGUOUS = 0x80000000;
/** Flag: SQLite holds this key as a number. */
const NUMERIC = 0x40000000;
const ORDINAL = 0x3fffffff;

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
  /** Uint32 × SLOT_WORDS per slot (see SLOT_WORDS). */
  slots: SharedArrayBuffer;
  orders: number;
  strings: number;
  /** Uint32 per distinct value of the repeating fields: its string (records hold these value numbers). */
  values: SharedArrayBuffer;
  valueCount: number;
}

/** One row of the orders table: the key, then the fields in ORDER_FIELDS order. */
export type OrderRow = readonly unknown[];

/** The hash of an order key's UTF-8 bytes; keys SQLite holds as numbers hash apart from text. */
function keyHash(bytes: Uint8Array, start: number, end: number, numeric: boolean): number {
  return fnv1a(bytes, start, end, numeric ? 1 : 0);
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
  private readonly values: Uint32Array;
  /** Decoded values of the repeating fields (country, state, ...), by value number: this thread's cache. */
  private readonly decoded: Array<string | undefined>;

  private constructor(private readonly shared: SharedOrderStore) {
    this.records = new Int32Array(shared.records);
    this.bytes = Buffer.from(shared.bytes);
    this.ends = new Uint32Array(shared.ends);
    this.numericKeys = new Uint8Array(shared.numericKeys);
    this.values = new Uint32Array(shared.values);
    // Dense from the start (an array that grows by index goes sparse, into dictionary mode).
    this.decoded = Array.from({ length: shared.valueCount }, () => undefined);
    this.slots = new Uint32Array(shared.slots);
    this.mask = this.slots.length / SLOT_WORDS - 1;
  }

  /**
   * Builds the store from the rows of the orders table (see OrderStoreBuilder); a server's rows
   * come a page at a time and go to the builder directly.
   */
  static build(rows: Iterable<OrderRow>, mapped: readonly boolean[], expected: { orders: number; bytes: number }): OrderStore {
    const builder = new OrderStoreBuilder(mapped, expected);
    for (const row of rows) builder.add(row);
    return builder.finish();
  }

  /** The store over built arrays, with every key in its hash table (the builder's last step). */
  static index(shared: SharedOrderStore): OrderStore {
    const built = new OrderStore(shared);
    for (let ordinal = 0; ordinal < shared.orders; ordinal++) built.insertKey(ordinal);
    return built;
  }

  /** Adds an order's key to the hash table; a key already there is marked as not one order. */
  private insertKey(ordinal: number): void {
    const ref = this.records[ordinal * FIELDS_PER_ORDER]!;
    const start = ref === 0 ? 0 : this.ends[ref - 1]!;
    const end = this.ends[ref]!;
    const numeric = this.numericKeys[ordinal] === 1;
    const probed = this.probe(this.bytes, start, end, numeric);
    if (probed >= 0) {
      this.slots[probed * SLOT_WORDS + 1] = (this.slots[probed * SLOT_WORDS + 1]! | AMBIGUOUS) >>> 0;
      return;
    }
    const slot = -1 - probed;
    this.slots[slot * SLOT_WORDS] = keyHash(this.bytes, start, end, numeric);
    this.slots[slot * SLOT_WORDS + 1] = (ordinal + 1) | (numeric ? NUMERIC : 0);
    this.slots[slot * SLOT_WORDS + 2] = start;
    this.slots[slot * SLOT_WORDS + 3] = end;
  }

  /**
   * The slot holding the key bytes[start, end) of this kind, or, when no slot holds it, -1 minus
   * the free slot where it would go. A slot keeps the key's place in the string table, so a probe
   * touches no other array.
   */
  private probe(bytes: Uint8Array, start: number, end: number, numeric: boolean): number {
    const hash = keyHash(bytes, start, end, numeric);
    const length = end - start;
    let slot = slotOf(hash, this.mask);
    for (; this.slots[slot * SLOT_WORDS + 1] !== 0; slot = (slot + 1) & this.mask) {
      const at = slot * SLOT_WORDS;
      if (this.slots[at] !== hash || ((this.slots[at + 1]! & NUMERIC) !== 0) !== numeric) continue;
      const keyStart = this.slots[at + 2]!;
      if (this.slots[at + 3]! - keyStart !== length) continue;
      let equal = true;
      for (let offset = 0; offset < length; offset++) {
        if (this.bytes[keyStart + offset] !== bytes[start + offset]) {
          equal = false;
          break;
        }
      }
      if (equal) return slot;
    }
    return -1 - slot;
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
    const bytes = Buffer.from(key.text, 'utf8');
    return this.ordinalOfKey(bytes, 0, bytes.length, key.numeric);
  }

  /** ordinalOf for a key given as UTF-8 bytes[start, end) and its kind. */
  ordinalOfKey(bytes: Uint8Array, start: number, end: number, numeric: boolean): number {
    const slot = this.probe(bytes, start, end, numeric);
    if (slot < 0) return OrderStore.NOT_FOUND;
    const value = this.slots[slot * SLOT_WORDS + 1]!;
    return value & AMBIGUOUS ? OrderStore.NOT_FOUND : (value & ORDINAL) - 1;
  }

  /** The order's key, as the orders table holds it (String() of the value). */
  keyOf(ordinal: number): string {
    return this.text(this.records[ordinal * FIELDS_PER_ORDER]!);
  }

  /** The order as the SQL join would have produced it. */
  record(ordinal: number): OrderRecord {
    const base = ordinal * FIELDS_PER_ORDER;
    const r = this.records;
    for (let field = 1; field < FIELDS_PER_ORDER; field++) recordValues[field - 1] = this.field(r[base + field]!, REPEATS[field]!);
    return orderRecord(this.text(r[base]!), recordValues);
  }

  /** A field's value from its reference: a string number (repeats false) or a value number. */
  private field(ref: number, repeats: boolean): string | null | undefined {
    if (ref === UNMAPPED_FIELD) return undefined;
    if (ref === NULL_FIELD) return null;
    if (!repeats) return this.text(ref);
    return (this.decoded[ref] ??= this.text(this.values[ref]!));
  }

  private text(ref: number): string {
    // A lookup decodes two strings (key and organization): see utf8Text for why not toString.
    return utf8Text(this.bytes, ref === 0 ? 0 : this.ends[ref - 1]!, this.ends[ref]!);
  }
}

/**
 * Builds a store from the rows of the orders table, one row at a time, so that no copy of the
 * table is held as rows. `mapped[k]` says whether the k-th field has a column at all; `expected`
 * sizes the arrays once (they grow if they must). A row whose key is NULL never joins and is left
 * out; a key that occurs twice is marked so that lookups of it go to SQLite, which decides such
 * joins as it always did.
 */
export class OrderStoreBuilder {
  private readonly records: SharedGrowable<Int32Array<SharedArrayBuffer>>;
  private readonly bytes: SharedGrowable<Uint8Array<SharedArrayBuffer>>;
  private readonly ends: SharedGrowable<Uint32Array<SharedArrayBuffer>>;
  private readonly numericKeys: SharedGrowable<Uint8Array<SharedArrayBuffer>>;
  /** Repeating values are stored once and numbered; organizations and keys are appended as they come. */
  private readonly interned = new Map<string, number>();
  private readonly values = new SharedGrowable(sharedArray.uint32, 1024);
  private view: Buffer;
  private byteLength = 0;
  private strings = 0;
  private orders = 0;

  constructor(
    private readonly mapped: readonly boolean[],
    expected: { orders: number; bytes: number },
  ) {
    this.records = new SharedGrowable(sharedArray.int32, expected.orders * FIELDS_PER_ORDER);
    this.bytes = new SharedGrowable(sharedArray.bytes, expected.bytes);
    // A string per order and distinct field (key, organization, ...) and the few distinct repeating values.
    this.ends = new SharedGrowable(sharedArray.uint32, expected.orders * FIELDS_PER_ORDER + 1024);
    this.numericKeys = new SharedGrowable(sharedArray.bytes, expected.orders);
    this.view = Buffer.from(this.bytes.buffer);
  }

  private append(text: string): number {
    const length = Buffer.byteLength(text);
    if (this.byteLength + length > this.view.length) this.view = Buffer.from(this.bytes.ensure(this.byteLength + length).buffer);
    this.view.write(text, this.byteLength, 'utf8');
    this.byteLength += length;
    this.ends.ensure(this.strings + 1)[this.strings] = this.byteLength;
    return this.strings++;
  }

  add(row: OrderRow): void {
    const key = orderKeyOf(row[0]);
    if (key === null) return;
    const orders = this.orders;
    const record = this.records.ensure((orders + 1) * FIELDS_PER_ORDER);
    const base = orders * FIELDS_PER_ORDER;
    record[base] = this.append(key.text);
    this.numericKeys.ensure(orders + 1)[orders] = key.numeric ? 1 : 0;
    for (let field = 1; field < FIELDS_PER_ORDER; field++) {
      const value = row[field];
      if (!this.mapped[field - 1]) record[base + field] = UNMAPPED_FIELD;
      else if (value === null || value === undefined) record[base + field] = NULL_FIELD;
      else {
        const text = String(value);
        if (!REPEATS[field]) record[base + field] = this.append(text);
        else {
          let number = this.interned.get(text);
          if (number === undefined) {
            number = this.interned.size;
            this.values.ensure(number + 1)[number] = this.append(text);
            this.interned.set(text, number);
          }
          record[base + field] = number;
        }
      }
    }
    this.orders++;
  }

  finish(): OrderStore {
    const slots = sharedArray.uint32(tableCapacity(this.orders) * SLOT_WORDS).buffer;
    return OrderStore.index({
      records: this.records.buffer,
      bytes: this.bytes.buffer,
      ends: this.ends.buffer,
      numericKeys: this.numericKeys.buffer,
      slots,
      orders: this.orders,
      strings: this.strings,
      values: this.values.buffer,
      valueCount: this.interned.size,
    });
  }
}
