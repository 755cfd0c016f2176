// Growable typed arrays in shared memory, for tables that are built once on one thread and then
// read by every worker without a copy.

/** The typed arrays the tables use, over shared memory. */
type SharedTypedArray = Uint8Array<SharedArrayBuffer> | Uint32Array<SharedArrayBuffer> | Int32Array<SharedArrayBuffer> | Float64Array<SharedArrayBuffer>;

/** Shared typed-array makers: a length in elements in, a zero-filled array out. */
export const sharedArray = {
  bytes: (length: number) => new Uint8Array(new SharedArrayBuffer(length)),
  uint32: (length: number) => new Uint32Array(new SharedArrayBuffer(length * 4)),
  int32: (length: number) => new Int32Array(new SharedArrayBuffer(length * 4)),
  float64: (length: number) => new Float64Array(new SharedArrayBuffer(length * 8)),
};

/**
 * A typed array over a SharedArrayBuffer that doubles (by copy) when full. The operating system
 * commits a fresh buffer's pages only when they are written, so a generous first capacity costs
 * address space, not memory.
 */
export class SharedGrowable<Array extends SharedTypedArray> {
  array: Array;

  constructor(
    private readonly create: (length: number) => Array,
    capacity: number,
  ) {
    this.array = create(Math.max(1, capacity));
  }

  /** Makes room for `length` elements, keeping the ones written. */
  ensure(length: number): Array {
    if (length <= this.array.length) return this.array;
    let capacity = this.array.length * 2;
    while (capacity < length) capacity *= 2;
    const bigger = this.create(capacity);
    bigger.set(this.array as never);
    this.array = bigger;
    return bigger;
  }

  get buffer(): SharedArrayBuffer {
    return this.array.buffer;
  }
}

/** The smallest power of two with at least twice `entries` slots: open-addressing tables stay at most half full. */
export function tableCapacity(entries: number): number {
  let capacity = 1024;
  while (capacity < entries * 2) capacity *= 2;
  return capacity;
}

/** Spreads the low bits of an FNV hash, which pick the slot. */
export function slotOf(hash: number, mask: number): number {
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  mixed ^= mixed >>> 16;
  return mixed & mask;
}
