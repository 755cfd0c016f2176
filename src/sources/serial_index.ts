// Serial -> certificate id, for joining CT and file entries with the issuance database. An
// open-addressing hash table in shared memory: built once by one pass over the serial column, then
// read by every worker without a copy. It holds a 32-bit hash of each normalized serial, not the
// serial, so a lookup yields candidate ids; the caller reads those rows and keeps the ones whose
// serial really matches (a hash collision costs a row read, never a wrong join).

/** The shared buffers of a built index: plain data that crosses to the workers without a copy. */
export interface SharedSerialIndex {
  /** Hash of the normalized serial per slot. */
  hashes: SharedArrayBuffer;
  /** Certificate id per slot; NaN marks an empty slot. */
  ids: SharedArrayBuffer;
  entries: number;
}

/** FNV-1a over the characters of a normalized (lowercase hex, no leading zeros) serial. */
export function serialHash(normalized: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < normalized.length; index++) hash = Math.imul(hash ^ normalized.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

/** Spreads FNV's low bits, which pick the slot. */
function slotOf(hash: number, mask: number): number {
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  mixed ^= mixed >>> 16;
  return mixed & mask;
}

export class SerialIndex {
  private readonly hashes: Uint32Array;
  private readonly ids: Float64Array;
  private readonly mask: number;

  private constructor(private readonly shared: SharedSerialIndex) {
    this.hashes = new Uint32Array(shared.hashes);
    this.ids = new Float64Array(shared.ids);
    this.mask = this.hashes.length - 1;
  }

  /** Builds the index from the (id, normalized serial) pairs `feed` adds; `expected` sizes the table. */
  static build(expected: number, feed: (add: (id: number, serial: string) => void) => void): SerialIndex {
    // At most half full, so probe runs stay short.
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    let index = SerialIndex.empty(capacity);
    feed((id, serial) => {
      if (index.shared.entries * 2 >= index.hashes.length) index = index.grown();
      index.insert(serialHash(serial), id);
    });
    return index;
  }

  private static empty(capacity: number): SerialIndex {
    const shared: SharedSerialIndex = {
      hashes: new SharedArrayBuffer(capacity * Uint32Array.BYTES_PER_ELEMENT),
      ids: new SharedArrayBuffer(capacity * Float64Array.BYTES_PER_ELEMENT),
      entries: 0,
    };
    new Float64Array(shared.ids).fill(Number.NaN);
    return new SerialIndex(shared);
  }

  static attach(shared: SharedSerialIndex): SerialIndex {
    return new SerialIndex(shared);
  }

  get size(): number {
    return this.shared.entries;
  }

  /** What to send to the workers. */
  toShared(): SharedSerialIndex {
    return this.shared;
  }

  /** Adds the ids whose serial may be `normalized` to `into`. */
  candidates(normalized: string, into: number[]): void {
    const hash = serialHash(normalized);
    for (let slot = slotOf(hash, this.mask); !Number.isNaN(this.ids[slot]!); slot = (slot + 1) & this.mask) {
      if (this.hashes[slot] === hash) into.push(this.ids[slot]!);
    }
  }

  private insert(hash: number, id: number): void {
    let slot = slotOf(hash, this.mask);
    while (!Number.isNaN(this.ids[slot]!)) slot = (slot + 1) & this.mask;
    this.hashes[slot] = hash;
    this.ids[slot] = id;
    this.shared.entries++;
  }

  /** The table doubled, for a source with more rows than it said. */
  private grown(): SerialIndex {
    const bigger = SerialIndex.empty(this.hashes.length * 2);
    for (let slot = 0; slot < this.ids.length; slot++) if (!Number.isNaN(this.ids[slot]!)) bigger.insert(this.hashes[slot]!, this.ids[slot]!);
    return bigger;
  }
}
