// Certificate Transparency log entries as certscan reads them from disk, and the problems found
// while reading them. Parsing follows RFC 6962 3.4 (MerkleTreeLeaf) and c2sp.org/static-ct-api.
import { createHash, hash } from 'node:crypto';

export type EntryType = 'x509' | 'precert';

export interface CtEntry {
  /** Absolute index in the log. */
  leafIndex: number;
  entryType: EntryType;
  /** SCT timestamp, ms since the epoch. */
  timestamp: number;
  /** x509: the certificate DER; precert: the TBSCertificate DER (poison removed). */
  der: Uint8Array;
  /** precert: SHA-256 of the issuing key's SubjectPublicKeyInfo. */
  issuerKeyHash: Buffer | null;
  /** precert: the submitted precertificate (with poison), when the source carries it. */
  preCertificate: Uint8Array | null;
  /** static-ct: the SHA-256 fingerprint (hex) of the first chain element, the issuer. */
  issuerFingerprint: string | null;
  /** RFC 6962: the issuer chain as DER certificates. */
  chainCertificates: readonly Uint8Array[];
  /** Where the entry was read, for messages: "tile/data/x001/067 offset 1234" (made when needed). */
  location: () => string;
}

/** A piece of input certscan could not read. The scan goes on; the problem is reported. */
export interface InputProblem {
  /** The file, or for a database value the table (never a server's URL). */
  file: string;
  /** "offset 1234", "entry 17", "leaf 2048"; for a database value the row ("id 17"). */
  at: string;
  /** A database value: its column, and the value as stored (printable, shortened). */
  column?: string;
  value?: string;
  message: string;
}

export class InputError extends Error {
  constructor(
    readonly at: string,
    message: string,
  ) {
    super(message);
  }
}

/** A cursor over big-endian TLS-style fields; every read names its offset when it runs out. */
export class Reader {
  offset = 0;
  constructor(
    readonly bytes: Buffer,
    private readonly end = bytes.length,
  ) {}

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(count: number, what: string): void {
    if (this.offset + count > this.end) {
      throw new InputError(`offset ${this.offset}`, `truncated: ${what} needs ${count} bytes, ${this.end - this.offset} left`);
    }
  }

  uint(size: 1 | 2 | 3 | 5 | 8, what: string): number {
    this.need(size, what);
    let value = 0;
    for (let index = 0; index < size; index++) value = value * 256 + this.bytes[this.offset + index]!;
    this.offset += size;
    return value;
  }

  fixed(size: number, what: string): Buffer {
    this.need(size, what);
    const slice = this.bytes.subarray(this.offset, this.offset + size);
    this.offset += size;
    return slice;
  }

  /** opaque<0..2^(8*lengthSize)-1> */
  vector(lengthSize: 1 | 2 | 3, what: string): Buffer {
    const length = this.uint(lengthSize, `${what} length`);
    return this.fixed(length, what);
  }

  /** vector() as a plain Uint8Array view (cheaper to make than a Buffer). */
  view(lengthSize: 1 | 2 | 3, what: string): Uint8Array {
    const start = this.skipVector(lengthSize, what);
    return new Uint8Array(this.bytes.buffer, this.bytes.byteOffset + start, this.offset - start);
  }

  /** Steps over a vector; returns where its content starts (it ends at the new offset). */
  skipVector(lengthSize: 1 | 2 | 3, what: string): number {
    const length = this.uint(lengthSize, `${what} length`);
    this.need(length, what);
    const start = this.offset;
    this.offset += length;
    return start;
  }
}

export function entryTypeOf(code: number, at: string): EntryType {
  if (code === 0) return 'x509';
  if (code === 1) return 'precert';
  throw new InputError(at, `unknown entry type ${code}`);
}

const LEAF_PREFIX = Buffer.from([0]);
/** MerkleTreeLeaf version v1 and leaf type timestamped_entry, before a TimestampedEntry. */
const TIMESTAMPED_ENTRY_PREFIX = Buffer.from([0, 0, 0]);

/** RFC 6962 2.1: the leaf hash is SHA-256(0x00 || MerkleTreeLeaf). */
export function leafHash(merkleTreeLeaf: Buffer): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(merkleTreeLeaf).digest();
}

/** TIMESTAMPED_ENTRY_PREFIX followed by room for an entry (one-shot hashing beats createHash's three calls). */
let leafScratch = Buffer.alloc(4096);

/**
 * Whether the leaf hash of the TimestampedEntry bytes[start, end) is hashes[at, at + 32).
 *
 * The three bytes before the entry (the end of the previous one) are set to the prefix for the
 * one-shot hash and then put back, so the entry is hashed where it lies; the first entry of a
 * tile is copied. The digest comes back as a latin1 ('binary') string, compared code by code:
 * returning a Buffer cost more than hashing a 700-byte entry.
 */
export function timestampedEntryLeafHashEquals(bytes: Buffer, start: number, end: number, hashes: Uint8Array, at: number): boolean {
  const prefix = TIMESTAMPED_ENTRY_PREFIX.length;
  let digest: string;
  if (start >= prefix) {
    const saved0 = bytes[start - 3]!;
    const saved1 = bytes[start - 2]!;
    const saved2 = bytes[start - 1]!;
    bytes[start - 3] = 0;
    bytes[start - 2] = 0;
    bytes[start - 1] = 0;
    try {
      digest = hash('sha256', new Uint8Array(bytes.buffer, bytes.byteOffset + start - prefix, end - start + prefix), 'binary');
    } finally {
      bytes[start - 3] = saved0;
      bytes[start - 2] = saved1;
      bytes[start - 1] = saved2;
    }
  } else {
    const length = prefix + end - start;
    if (leafScratch.length < length) leafScratch = Buffer.alloc(Math.max(length, leafScratch.length * 2));
    TIMESTAMPED_ENTRY_PREFIX.copy(leafScratch, 0);
    bytes.copy(leafScratch, prefix, start, end);
    digest = hash('sha256', leafScratch.subarray(0, length), 'binary');
  }
  for (let index = 0; index < 32; index++) if (digest.charCodeAt(index) !== hashes[at + index]) return false;
  return true;
}


const UPPER_HEX = /[A-F]/;

/** Serials compare as unsigned numbers: lowercase hex without leading zeros (DER may add a 00). */
export function normalizeSerialHex(hex: string): string {
  // Stored serials are mostly normal already: no leading zero, no upper case.
  if (hex.length > 0 && hex.charCodeAt(0) !== 0x30 && !UPPER_HEX.test(hex)) return hex;
  const stripped = hex.toLowerCase().replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}
