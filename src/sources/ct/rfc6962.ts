// RFC 6962 get-entries responses saved to disk: {"entries":[{"leaf_input","extra_data"}]}.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError, Reader, entryTypeOf, type CtEntry, type InputProblem } from './entries.js';

const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64(text: unknown, what: string, at: string): Buffer {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !STRICT_BASE64.test(text)) throw new InputError(at, `${what} is not valid base64`);
  return Buffer.from(text, 'base64');
}

/** RFC 6962 3.4 MerkleTreeLeaf (v1, timestamped_entry), exactly: no trailing bytes. */
export function parseMerkleTreeLeaf(leaf: Buffer, at: string): Pick<CtEntry, 'entryType' | 'timestamp' | 'der' | 'issuerKeyHash'> {
  const reader = new Reader(leaf);
  try {
    const version = reader.uint(1, 'version');
    if (version !== 0) throw new InputError(at, `unknown MerkleTreeLeaf version ${version}`);
    const leafType = reader.uint(1, 'leaf_type');
    if (leafType !== 0) throw new InputError(at, `unknown MerkleLeafType ${leafType}`);
    const timestamp = reader.uint(8, 'timestamp');
    const entryType = entryTypeOf(reader.uint(2, 'entry_type'), at);
    const issuerKeyHash = entryType === 'precert' ? Buffer.from(reader.fixed(32, 'issuer_key_hash')) : null;
    const der = reader.vector(3, entryType === 'precert' ? 'tbs_certificate' : 'certificate');
    reader.vector(2, 'extensions');
    if (reader.remaining) throw new InputError(at, `${reader.remaining} trailing bytes after the MerkleTreeLeaf`);
    return { entryType, timestamp, der, issuerKeyHash };
  } catch (error) {
    if (error instanceof InputError && !error.at.startsWith('entry')) throw new InputError(at, `leaf_input ${error.at}: ${error.message}`);
    throw error;
  }
}

function parseChain(reader: Reader, at: string): Uint8Array[] {
  const chain = new Reader(reader.vector(3, 'certificate_chain'));
  const certificates: Uint8Array[] = [];
  while (chain.remaining) certificates.push(chain.vector(3, 'chain certificate'));
  if (reader.remaining) throw new InputError(at, `${reader.remaining} trailing bytes after extra_data`);
  return certificates;
}

export interface Rfc6962Page {
  start: number;
  entries: CtEntry[];
  problems: InputProblem[];
}

/** The first log index of a page: a "start" field, else the file name "<start>-<end>.json". */
function startOf(document: Record<string, unknown>, path: string): number {
  if (typeof document.start === 'number' && Number.isInteger(document.start) && document.start >= 0) return document.start;
  const match = /^(\d+)-(\d+)\.json$/.exec(basename(path));
  if (match) return Number(match[1]);
  throw new InputError('file', 'no first log index: name the file <start>-<end>.json or add a "start" field');
}

export function readRfc6962Page(path: string): Rfc6962Page {
  const problems: InputProblem[] = [];
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    return { start: 0, entries: [], problems: [{ file: path, at: 'file', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  let start: number;
  try {
    start = startOf(document, path);
  } catch (error) {
    return { start: 0, entries: [], problems: [{ file: path, at: 'file', message: (error as Error).message }] };
  }
  const raw = Array.isArray(document.entries) ? document.entries : null;
  if (!raw) return { start, entries: [], problems: [{ file: path, at: 'file', message: 'no "entries" array' }] };
  const entries: CtEntry[] = [];
  raw.forEach((item: unknown, position) => {
    const leafIndex = start + position;
    const at = `entry ${position} (log index ${leafIndex})`;
    try {
      const record = (item ?? {}) as Record<string, unknown>;
      const leaf = parseMerkleTreeLeaf(base64(record.leaf_input, 'leaf_input', at), at);
      const extra = new Reader(base64(record.extra_data, 'extra_data', at));
      let preCertificate: Uint8Array | null = null;
      let chainCertificates: Uint8Array[];
      try {
        if (leaf.entryType === 'precert') preCertificate = extra.vector(3, 'pre_certificate');
        chainCertificates = parseChain(extra, at);
      } catch (error) {
        throw new InputError(at, `extra_data ${error instanceof InputError ? error.at : ''}: ${(error as Error).message}`);
      }
      entries.push({ ...leaf, leafIndex, preCertificate, issuerFingerprint: null, chainCertificates, location: () => `${basename(path)} ${at}` });
    } catch (error) {
      problems.push({ file: path, at, message: (error as Error).message });
    }
  });
  return { start, entries, problems };
}
