// The CA's issuance database, whatever the engine: keyset pages of (certificate, order) rows for
// the workers, the few report-only columns of affected rows, and the source's identity. SQLite is
// read in-process (sqlite.ts); servers through a Dialect (server_database.ts).
import type { ScanConfig } from '../../config.js';
import type { IdRange, RowFilter } from '../issuance_db.js';
import type { OrderStore } from '../order_store.js';
import type { SerialIndex, SharedSerialIndexPart } from '../serial_index.js';
import type { RowDetails, RowKey, SourceDescription, SourceRow, SourceRowMeta } from '../types.js';
import type { KeyKind } from './row_key.js';
import { parseDatabaseLocation, type DatabaseEngine } from './location.js';
import { SqliteSource } from './sqlite.js';
import { ServerDatabase } from './server_database.js';
import { postgresDialect } from './postgres.js';
import { mysqlDialect } from './mysql.js';
import type { Dialect } from './dialect.js';
import type { DuplicateSerialRows } from './duplicate_serials.js';

/** A page of rows and, for the affected ones, where their report-only columns come from. */
export interface DatabasePage {
  rows: SourceRow[];
  details: (ref: RowKey) => RowDetails;
  /**
   * The source saw at once that no order field of these rows holds U+FFFD (not valid UTF-8), so
   * inspection need not look field by field (withReadableOrder). Absent: it must look.
   */
  ordersReadable?: boolean;
}

export interface DatabaseSource {
  readonly engine: DatabaseEngine;
  /** Where it is, as shown in reports, the ledger and errors: never with a password. */
  readonly display: string;
  /** How the certificates key pages: integer arithmetic, or a keyset walk over text (EJBCA's fingerprint). */
  readonly keyKind: KeyKind;
  /** Key ranges of at most pageSize rows, none empty, in key order (afterId / throughId null: unbounded). */
  ranges(pageSize: number, afterId?: RowKey | null, throughId?: RowKey | null): AsyncIterable<IdRange>;
  /** Smallest and largest id of an integer key (progress); null on an empty table or a text key. */
  idBounds(): Promise<{ min: number; max: number } | null>;
  /** `--shard K/N`: the last key of each of `count` parts of about equal rows, in key order (fewer on a small table). */
  keyQuantiles(count: number): Promise<RowKey[]>;
  /** The rows afterId < id <= lastId, in id order. */
  readPage(range: IdRange): Promise<DatabasePage>;
  /** The first and last issued_at of the rows afterId < id <= throughId (afterId null: from the first). */
  issuedAtWindow(afterId: RowKey | null, throughId: RowKey): Promise<{ from: string | null; to: string | null }>;
  /** A token that lets the workers' connections read the same snapshot as this one (null: none). */
  snapshot(): Promise<string | null>;
  describe(): SourceDescription;
  close(): Promise<void>;
  /**
   * Database scans: the orders to join each page's rows with in the worker (shared memory), when
   * that is cheaper than the join in SQL (a server), else null.
   */
  ordersForPages(): Promise<OrderStore | null>;
  /** Joins the rows of readPage with these orders (from ordersForPages) instead of in SQL. */
  joinPagesWith(orders: OrderStore): void;
  /** CT and file scans: the orders, in shared memory. */
  buildOrderStore(): Promise<OrderStore>;
  /** CT and file scans: the serial index entries of an id range. */
  buildSerialIndexPart(range: IdRange): Promise<SharedSerialIndexPart>;
  attachSerialIndex(index: SerialIndex, orders: OrderStore): void;
  /**
   * CT and file scans: the row of a serial. A server answers from rows fetched in advance; a
   * row it does not have yet is noted (see fetchWanted) and answered provisionally.
   */
  lookupSerial(bytes: Uint8Array, start: number, end: number): SourceRowMeta | null;
  readDetails(ref: RowKey): RowDetails;
  /**
   * Fetches the rows that lookupSerial and readDetails noted since the last call; true when there
   * were any (the inspection that used the provisional answers must then run again), false when
   * the answers were complete (and the fetched rows are let go).
   */
  fetchWanted(): Promise<boolean>;
  /**
   * Database scans: the rows of the whole table that share an issuer + serial with a different
   * certificate (RFC 5280 4.1.2.2), with the rows they share it with (see duplicate_serials.ts).
   */
  duplicateSerialRows(): Promise<DuplicateSerialRows>;
  /** Rows in the certificates table, whatever their ids (a scan that read none says why). */
  rowCount(): Promise<number>;
  /** The DER column of the first row as stored (see derEncodingOf). */
  firstStoredDer(): Promise<unknown>;
}

/** How a stored certificate looks encoded (DER bytes, base64 or PEM text), or null when unclear. */
export function derEncodingOf(value: unknown): 'blob' | 'base64' | 'pem' | null {
  const bytes = value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.length) : null;
  const text = bytes ? (bytes[0] === 0x30 ? null : bytes.toString('latin1')) : typeof value === 'string' ? value : null;
  if (text === null) return bytes ? 'blob' : null;
  if (text.trimStart().startsWith('-----BEGIN')) return 'pem';
  if (/^[A-Za-z0-9+/\r\n]+={0,2}\s*$/.test(text)) return 'base64';
  return null;
}

/** The engines reached over a connection, by the engine a URL names. */
const DIALECTS: Record<Exclude<DatabaseEngine, 'sqlite'>, Dialect> = { postgresql: postgresDialect, mysql: mysqlDialect };

export interface OpenOptions {
  filter?: RowFilter;
  /** From snapshot() on the planning connection (workers). */
  snapshot?: string | null;
  environment?: NodeJS.ProcessEnv;
}

/** Opens `--db` (a SQLite path or a server URL), read-only, and checks the mapped schema. */
export async function openDatabaseSource(location: string, config: ScanConfig['database'], options: OpenOptions = {}): Promise<DatabaseSource> {
  const parsed = parseDatabaseLocation(location, { environment: options.environment ?? process.env, passwordFile: config.passwordFile });
  if (parsed.engine === 'sqlite') return SqliteSource.open(parsed.path, config, options.filter);
  return ServerDatabase.open(DIALECTS[parsed.engine], parsed, config, options.filter, options.snapshot ?? null);
}

/** The database a scan reads: `--db`, else database.url, else database.path. */
export function databaseLocation(config: ScanConfig['database'], override?: string): string {
  return override ?? config.url ?? config.path;
}
