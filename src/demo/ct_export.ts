// Writes CT log exports of demo certificates, as logs publish them: a static-ct-api tile tree
// (data tiles, level-0 hash tiles, issuer files, checkpoint) and RFC 6962 get-entries pages.
// Used by the tests and the bench; certscan reads them with src/sources/ct/.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { leafHash } from '../sources/ct/entries.js';
import { TILE_WIDTH, tileIndexPath } from '../sources/ct/static_ct.js';
import { spkiSha256 } from '../sources/ct/issuers.js';
import { readTlv } from '../decode/der_walk.js';

export interface LogEntrySpec {
  timestamp: number;
  /** A final certificate (x509_entry), or a precertificate (precert_entry: its TBS minus poison goes in the leaf). */
  certificate: Buffer;
  precertificate?: { tbsWithoutPoison: Buffer; issuerCertificate: Buffer };
  /** Issuer chain, leaf's issuer first. */
  chain: Buffer[];
}

function uint(value: number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let rest = value;
  for (let index = size - 1; index >= 0; index--) {
    bytes[index] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return bytes;
}

const vector = (bytes: Buffer, lengthSize: number) => Buffer.concat([uint(bytes.length, lengthSize), bytes]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

/** The TimestampedEntry bytes (timestamp .. extensions) of an entry. */
function timestampedEntry(entry: LogEntrySpec, extensions: Buffer): Buffer {
  if (entry.precertificate) {
    const issuerKeyHash = Buffer.from(spkiSha256(entry.precertificate.issuerCertificate)!, 'hex');
    return Buffer.concat([uint(entry.timestamp, 8), uint(1, 2), issuerKeyHash, vector(entry.precertificate.tbsWithoutPoison, 3), vector(extensions, 2)]);
  }
  return Buffer.concat([uint(entry.timestamp, 8), uint(0, 2), vector(entry.certificate, 3), vector(extensions, 2)]);
}

/** RFC 6962 2.1 Merkle Tree Hash. */
export function merkleTreeHash(leafHashes: readonly Buffer[]): Buffer {
  if (leafHashes.length === 0) return sha256(Buffer.alloc(0));
  if (leafHashes.length === 1) return leafHashes[0]!;
  let split = 1;
  while (split * 2 < leafHashes.length) split *= 2;
  return sha256(Buffer.concat([Buffer.from([1]), merkleTreeHash(leafHashes.slice(0, split)), merkleTreeHash(leafHashes.slice(split))]));
}

export interface StaticCtOptions {
  origin: string;
  /** Leave out the leaf_index extension (an archival tree converted from an RFC 6962 log). */
  archival?: boolean;
  /** gzip data tiles at rest. */
  gzip?: boolean;
}

/**
 * Writes a static-ct tree for `entries` (log indexes 0..n-1) under `root`. Entries are taken a
 * tile at a time, so a generator of a large corpus is never held in memory whole.
 */
export function writeStaticCtTree(root: string, entries: Iterable<LogEntrySpec>, options: StaticCtOptions): { rootHash: string; size: number } {
  const hashes: Buffer[] = [];
  const issuers = new Map<string, Buffer>();
  const writeTile = (start: number, slice: readonly LogEntrySpec[]) => {
    const data: Buffer[] = [];
    const level0: Buffer[] = [];
    slice.forEach((entry, position) => {
      const index = start + position;
      const extensions = options.archival ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0]), vector(uint(index, 5), 2)]);
      const stamped = timestampedEntry(entry, extensions);
      const hash = leafHash(Buffer.concat([Buffer.from([0, 0]), stamped]));
      hashes.push(hash);
      level0.push(hash);
      const fingerprints = entry.chain.map((certificate) => {
        const fingerprint = sha256(certificate);
        issuers.set(fingerprint.toString('hex'), certificate);
        return fingerprint;
      });
      data.push(stamped, ...(entry.precertificate ? [vector(entry.certificate, 3)] : []), vector(Buffer.concat(fingerprints), 2));
    });
    const tileIndex = start / TILE_WIDTH;
    const suffix = tileIndexPath(tileIndex) + (slice.length < TILE_WIDTH ? `.p/${slice.length}` : '');
    const dataPath = join(root, 'tile', 'data', ...suffix.split('/'));
    const hashPath = join(root, 'tile', '0', ...suffix.split('/'));
    mkdirSync(dirname(dataPath), { recursive: true });
    mkdirSync(dirname(hashPath), { recursive: true });
    const dataBytes = Buffer.concat(data);
    writeFileSync(dataPath, options.gzip ? gzipSync(dataBytes) : dataBytes);
    writeFileSync(hashPath, Buffer.concat(level0));
  };
  let tile: LogEntrySpec[] = [];
  let start = 0;
  for (const entry of entries) {
    tile.push(entry);
    if (tile.length === TILE_WIDTH) {
      writeTile(start, tile);
      start += TILE_WIDTH;
      tile = [];
    }
  }
  if (tile.length) writeTile(start, tile);
  mkdirSync(join(root, 'issuer'), { recursive: true });
  for (const [fingerprint, certificate] of issuers) writeFileSync(join(root, 'issuer', fingerprint), certificate);
  const rootHash = merkleTreeHash(hashes).toString('base64');
  // Unsigned: certscan reads origin, size and root hash; it does not verify log signatures.
  writeFileSync(join(root, 'checkpoint'), `${options.origin}\n${hashes.length}\n${rootHash}\n`);
  return { rootHash, size: hashes.length };
}

/** Writes RFC 6962 get-entries responses as pages named <start>-<end>.json. */
export function writeGetEntriesPages(dir: string, entries: readonly LogEntrySpec[], pageSize: number): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (let start = 0; start < entries.length; start += pageSize) {
    const slice = entries.slice(start, start + pageSize);
    const json = {
      entries: slice.map((entry) => {
        const leafInput = Buffer.concat([Buffer.from([0, 0]), timestampedEntry(entry, Buffer.alloc(0))]);
        const chain = vector(Buffer.concat(entry.chain.map((certificate) => vector(certificate, 3))), 3);
        const extraData = entry.precertificate ? Buffer.concat([vector(entry.certificate, 3), chain]) : chain;
        return { leaf_input: leafInput.toString('base64'), extra_data: extraData.toString('base64') };
      }),
    };
    const path = join(dir, `${start}-${start + slice.length - 1}.json`);
    writeFileSync(path, JSON.stringify(json));
    written.push(path);
  }
  return written;
}

/** The TBSCertificate bytes of a certificate. */
export function tbsOfCertificate(certificate: Buffer): Buffer {
  const outer = readTlv(certificate, 0, certificate.length)!;
  const tbs = readTlv(certificate, outer.contentStart, outer.end)!;
  return certificate.subarray(tbs.start, tbs.end);
}
