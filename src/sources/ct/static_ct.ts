// c2sp.org/static-ct-api trees mirrored on disk: checkpoint, tile/data/<N>[.p/<W>], tile/0/<N>,
// issuer/<sha256>. Data tiles may be gzip-compressed at rest; archival leaves carry no leaf index.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError, Reader, entryTypeOf, timestampedEntryLeafHashEquals, type CtEntry, type EntryType, type InputProblem } from './entries.js';

export const TILE_WIDTH = 256;

/** Tile index N as a path: 1234067 -> x001/x234/067 (c2sp.org/tlog-tiles). */
export function tileIndexPath(index: number): string {
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, position) => (position < groups.length - 1 ? `x${group}` : group)).join('/');
}

/** The inverse of tileIndexPath for "x001/x234/067" or "x001/x234/067.p/10". */
export function parseTilePath(path: string): { index: number; width: number } | null {
  const match = /^((?:x\d{3}\/)*\d{3})(?:\.p\/(\d{1,3}))?$/.exec(path);
  if (!match) return null;
  const index = match[1]!.split('/').reduce((value, group) => value * 1000 + Number(group.replace('x', '')), 0);
  const width = match[2] ? Number(match[2]) : TILE_WIDTH;
  if (width < 1 || width > TILE_WIDTH) return null;
  return { index, width };
}

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: string;
}

export function parseCheckpoint(text: string): Checkpoint {
  const [origin, size, rootHash] = text.split('\n');
  if (!origin || !size || !/^\d+$/.test(size) || !rootHash || Buffer.from(rootHash, 'base64').length !== 32) {
    throw new InputError('checkpoint', 'not a checkpoint: expected origin, tree size and a base64 root hash on the first three lines');
  }
  return { origin, size: Number(size), rootHash };
}

export interface DataTile {
  index: number;
  width: number;
  dataPath: string;
  /** Level-0 hash tile of the same width, when the mirror has it. */
  hashPath: string | null;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The data tiles of a mirror, one per index: the full tile, else the widest partial one. */
export function listDataTiles(root: string): DataTile[] {
  const dataDir = join(root, 'tile', 'data');
  const best = new Map<number, DataTile>();
  for (const path of walk(dataDir)) {
    const parsed = parseTilePath(relative(dataDir, path).split(sep).join('/'));
    if (!parsed) continue;
    const current = best.get(parsed.index);
    if (current && current.width >= parsed.width) continue;
    const suffix = tileIndexPath(parsed.index) + (parsed.width < TILE_WIDTH ? `.p/${parsed.width}` : '');
    const hashPath = join(root, 'tile', '0', ...suffix.split('/'));
    best.set(parsed.index, { index: parsed.index, width: parsed.width, dataPath: path, hashPath: existsSync(hashPath) ? hashPath : null });
  }
  return [...best.values()].sort((a, b) => a.index - b.index);
}

export function isStaticCtTree(root: string): boolean {
  return existsSync(join(root, 'tile', 'data'));
}

/**
 * Reusable read buffers for one reader of tiles (a worker): a tile's entries are views into them,
 * valid until the next tile is read. Reading every tile into fresh memory fragmented the heap, and
 * peak RSS crept up tile after tile.
 */
export class TileBuffers {
  private readonly buffers = { data: Buffer.alloc(0), hashes: Buffer.alloc(0) };

  read(path: string, which: 'data' | 'hashes'): Buffer {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (this.buffers[which].length < size) this.buffers[which] = Buffer.allocUnsafe(Math.max(size, this.buffers[which].length * 2));
      const buffer = this.buffers[which];
      let read = 0;
      while (read < size) {
        const count = readSync(fd, buffer, read, size - read, read);
        if (count === 0) break;
        read += count;
      }
      return buffer.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  }
}

function readMaybeGzip(path: string, buffers: TileBuffers | undefined, which: 'data' | 'hashes'): Buffer {
  const bytes = buffers ? buffers.read(path, which) : readFileSync(path);
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

export interface TileRead {
  entries: CtEntry[];
  problems: InputProblem[];
}

/**
 * Parses one data tile (TileLeaf after TileLeaf) and checks each leaf hash against the level-0
 * hash tile when present. A truncated or malformed tile yields the entries before the fault and
 * one problem naming the offset.
 */
export function readDataTile(tile: DataTile, displayRoot: string, buffers?: TileBuffers): TileRead {
  const file = relative(displayRoot, tile.dataPath) || tile.dataPath;
  const problems: InputProblem[] = [];
  const entries: CtEntry[] = [];
  let bytes: Buffer;
  try {
    bytes = readMaybeGzip(tile.dataPath, buffers, 'data');
  } catch (error) {
    return { entries, problems: [{ file, at: 'file', message: `cannot read: ${(error as Error).message}` }] };
  }
  let hashes: Buffer | null = null;
  if (tile.hashPath) {
    try {
      hashes = readMaybeGzip(tile.hashPath, buffers, 'hashes');
    } catch (error) {
      problems.push({ file: relative(displayRoot, tile.hashPath), at: 'file', message: `cannot read: ${(error as Error).message}` });
    }
  }
  const reader = new Reader(bytes);
  // Most entries of a tile have the same issuer: its fingerprint's hex is made once.
  let fingerprint: { start: number; hex: string } | null = null;
  let position = 0;
  while (reader.remaining > 0) {
    const start = reader.offset;
    try {
      const timestamp = reader.uint(8, 'timestamp');
      const code = reader.uint(2, 'entry_type');
      const entryType = code === 0 ? 'x509' : code === 1 ? 'precert' : entryTypeOf(code, entryAt(start, position));
      const issuerKeyHash = entryType === 'precert' ? reader.fixed(32, 'issuer_key_hash') : null;
      const der = reader.view(3, entryType === 'precert' ? 'tbs_certificate' : 'certificate');
      const extensionsStart = reader.skipVector(2, 'extensions');
      const timestampedEnd = reader.offset;
      const preCertificate = entryType === 'precert' ? reader.view(3, 'pre_certificate') : null;
      const chainStart = reader.skipVector(2, 'certificate_chain');
      const chainLength = reader.offset - chainStart;
      if (chainLength % 32 !== 0) throw new InputError(entryAt(start, position), `certificate_chain length ${chainLength} is not a multiple of 32`);
      let issuerFingerprint: string | null = null;
      if (chainLength > 0) {
        if (!fingerprint || !sameBytes(bytes, chainStart, fingerprint.start, 32)) {
          fingerprint = { start: chainStart, hex: bytes.toString('hex', chainStart, chainStart + 32) };
        }
        issuerFingerprint = fingerprint.hex;
      }

      const computedIndex = tile.index * TILE_WIDTH + position;
      const leafIndex = readLeafIndexExtension(bytes, extensionsStart, timestampedEnd, start, position) ?? computedIndex;
      if (leafIndex !== computedIndex) problems.push({ file, at: entryAt(start, position), message: `leaf_index extension says ${leafIndex}, position in the tree is ${computedIndex}` });
      if (position >= tile.width) problems.push({ file, at: entryAt(start, position), message: `more entries than the tile width ${tile.width}` });
      if (hashes) {
        if (hashes.length < position * 32 + 32) problems.push({ file, at: entryAt(start, position), message: 'no leaf hash for this entry in the level-0 tile' });
        else if (!timestampedEntryLeafHashEquals(bytes, start, timestampedEnd, hashes, position * 32)) {
          problems.push({ file, at: entryAt(start, position), message: `leaf hash of log index ${leafIndex} does not match tile/0 (the data tile or the hash tile was altered)` });
        }
      }
      entries.push(new TileEntry(leafIndex, entryType, timestamp, der, issuerKeyHash, preCertificate, issuerFingerprint, file, start, position));
    } catch (error) {
      problems.push({ file, at: error instanceof InputError ? error.at : entryAt(start, position), message: `${(error as Error).message}; the rest of the tile is skipped` });
      break;
    }
    position++;
  }
  if (!problems.length && position !== tile.width) problems.push({ file, at: 'file', message: `${position} entries, tile width is ${tile.width}` });
  return { entries, problems };
}

/** Whether bytes[a, a + length) equals bytes[b, b + length) (a loop beats Buffer.compare's call for 32 bytes). */
function sameBytes(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  for (let index = 0; index < length; index++) if (bytes[a + index] !== bytes[b + index]) return false;
  return true;
}

const entryAt = (offset: number, position: number) => `offset ${offset} (entry ${position})`;

const NO_CHAIN: readonly Uint8Array[] = Object.freeze([]);

/** An entry of a data tile; a class, so that its location is a method and not a closure per entry. */
class TileEntry implements CtEntry {
  readonly chainCertificates = NO_CHAIN;

  constructor(
    readonly leafIndex: number,
    readonly entryType: EntryType,
    readonly timestamp: number,
    readonly der: Uint8Array,
    readonly issuerKeyHash: Buffer | null,
    readonly preCertificate: Uint8Array | null,
    readonly issuerFingerprint: string | null,
    private readonly file: string,
    private readonly offset: number,
    private readonly position: number,
  ) {}

  location(): string {
    return `${this.file} ${entryAt(this.offset, this.position)}`;
  }
}

/** The static-ct leaf_index extension (type 0, 5 bytes) in bytes[start, end); null for archival leaves (no extensions). */
function readLeafIndexExtension(bytes: Buffer, start: number, end: number, entryOffset: number, position: number): number | null {
  if (start === end) return null;
  const reader = new Reader(bytes, end);
  reader.offset = start;
  while (reader.remaining) {
    const type = reader.uint(1, 'extension type');
    const dataStart = reader.skipVector(2, 'extension data');
    if (type === 0) {
      const length = reader.offset - dataStart;
      if (length !== 5) throw new InputError(entryAt(entryOffset, position), `leaf_index extension of ${length} bytes, expected 5`);
      reader.offset = dataStart;
      return reader.uint(5, 'leaf_index');
    }
  }
  return null;
}

/** issuer/<sha256 hex>: one DER issuer certificate per file. */
export function readIssuerFile(root: string, fingerprint: string): Buffer | null {
  if (!/^[0-9a-f]{64}$/.test(fingerprint)) return null;
  const path = join(root, 'issuer', fingerprint);
  return existsSync(path) ? readFileSync(path) : null;
}
