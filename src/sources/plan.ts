// What a scan reads, as a list of tasks for the workers: id ranges of the issuance database, data
// tiles of a static-ct mirror, RFC 6962 get-entries pages, or certificate files.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { OperationalError } from '../errors.js';
import type { DatabaseSource } from './database/database_source.js';
import type { TaskBody } from '../pool/messages.js';
import type { DatabaseKind, RowKey, SourceDescription } from './types.js';
import { isStaticCtTree, listDataTiles, parseCheckpoint, TILE_WIDTH, type Checkpoint } from './ct/static_ct.js';
import { listCertificateFiles } from './cert_files.js';

export type InputKind = DatabaseKind | 'static-ct' | 'rfc6962' | 'pem';

/** Database rows: id ranges planned while the scan runs (a keyset walk, one probe a range). */
export interface DatabasePlan {
  fromDatabase: true;
  kind: DatabaseKind;
  tasks: AsyncIterable<TaskBody>;
  input?: undefined;
}

/** CT exports and files: a fixed list (the same every time, so audits resume by task number). */
export interface FilePlan {
  fromDatabase: false;
  kind: Exclude<InputKind, DatabaseKind>;
  tasks: TaskBody[];
  /** Extra identity for the summary. */
  input: NonNullable<SourceDescription['input']>;
}

export type SourcePlan = DatabasePlan | FilePlan;

function rfc6962Pages(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const pages = readdirSync(path)
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(path, name));
  // Pages named <start>-<end>.json are taken in log order; others by name.
  const start = (page: string) => Number(/^(\d+)-\d+\.json$/.exec(basename(page))?.[1] ?? Number.MAX_SAFE_INTEGER);
  return pages.sort((a, b) => start(a) - start(b) || a.localeCompare(b));
}

/**
 * Tiles a worker reads per task. A task's reply wakes the main thread, which then competes with
 * the workers for the cores: at one tile (256 entries) per task that cost about 3% of a scan.
 */
export const TILES_PER_TASK = 4;

export function planCtSource(path: string): SourcePlan {
  const root = resolve(path);
  if (!existsSync(root)) throw new OperationalError(`CT export not found: ${path}`);
  if (isStaticCtTree(root)) {
    let checkpoint: Checkpoint | undefined;
    const checkpointPath = join(root, 'checkpoint');
    if (existsSync(checkpointPath)) {
      try {
        checkpoint = parseCheckpoint(readFileSync(checkpointPath, 'utf8'));
      } catch (error) {
        throw new OperationalError(`${checkpointPath}: ${(error as Error).message}`);
      }
    }
    // A checkpoint bounds the tree: tiles past its size are not part of it.
    const tiles = listDataTiles(root).filter((tile) => !checkpoint || tile.index * TILE_WIDTH < checkpoint.size);
    if (tiles.length === 0) throw new OperationalError(`${path}: no data tiles under tile/data`);
    const origin = checkpoint?.origin ?? basename(root);
    return {
      fromDatabase: false,
      kind: 'static-ct',
      tasks: Array.from({ length: Math.ceil(tiles.length / TILES_PER_TASK) }, (_, k) => ({
        kind: 'static-ct-tiles' as const,
        root,
        tiles: tiles.slice(k * TILES_PER_TASK, (k + 1) * TILES_PER_TASK),
        origin,
      })),
      input: { path: root, origin, treeSize: checkpoint?.size, rootHash: checkpoint?.rootHash, files: tiles.length },
    };
  }
  const pages = rfc6962Pages(root);
  if (pages.length === 0) throw new OperationalError(`${path}: neither a static-ct tree (tile/data) nor RFC 6962 get-entries JSON pages`);
  const origin = basename(root);
  return { fromDatabase: false, kind: 'rfc6962', tasks: pages.map((page) => ({ kind: 'rfc6962-page', path: page, origin })), input: { path: root, origin, files: pages.length } };
}

export function planCertificateFiles(path: string): SourcePlan {
  const root = resolve(path);
  if (!existsSync(root)) throw new OperationalError(`certificate files not found: ${path}`);
  const files = listCertificateFiles(root);
  if (files.length === 0) throw new OperationalError(`${path}: no .pem, .crt, .cer or .der files`);
  return { fromDatabase: false, kind: 'pem', tasks: files.map((file) => ({ kind: 'certificate-file', path: file })), input: { path: root, files: files.length } };
}

export function planDatabaseRanges(database: DatabaseSource, pageSize: number, afterId?: RowKey | null, throughId?: RowKey | null): DatabasePlan {
  return {
    fromDatabase: true,
    kind: database.engine,
    tasks: (async function* () {
      for await (const range of database.ranges(pageSize, afterId, throughId)) yield { kind: 'db-range', ...range } as const;
    })(),
  };
}
