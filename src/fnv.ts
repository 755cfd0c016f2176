// FNV-1a, 32 bits: the hash of the byte-keyed tables (decode caches, serial index, order store).
// Every table compares the bytes after a hash match, so a collision costs a compare, never a
// wrong answer.

/** FNV-1a over bytes[start, end); a seed gives independent hashes of the same bytes. */
export function fnv1a(bytes: Uint8Array, start: number, end: number, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ bytes[index]!, 0x01000193);
  return hash >>> 0;
}
