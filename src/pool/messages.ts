// What crosses between the main thread and the workers: plain, structured-clone-able data.
import type { ScanConfig } from '../config.js';
import type { BatchResult, InspectionSettings } from '../inspect.js';
import type { IssuerSet } from '../sources/ct/issuers.js';
import type { RowFilter } from '../sources/issuance_db.js';
import type { RowKey } from '../sources/types.js';
import type { DataTile } from '../sources/ct/static_ct.js';
import type { SharedSerialIndex, SharedSerialIndexPart } from '../sources/serial_index.js';
import type { SharedOrderStore } from '../sources/order_store.js';
import type { DuplicateSerialRows } from '../sources/database/duplicate_serials.js';
import type { CtDuplicateSerials } from '../sources/ct/duplicate_serials.js';

/** One slice of the source for a worker to read, decode and check itself. */
export type TaskBody =
  | { kind: 'db-range'; afterId: RowKey | null; lastId: RowKey; /** keys of database.precertificates */ precertificates?: true }
  | { kind: 'static-ct-tiles'; root: string; tiles: DataTile[]; origin: string }
  | { kind: 'rfc6962-page'; path: string; origin: string }
  | { kind: 'certificate-file'; path: string };

/**
 * `skip`: certificates (by ref: integer row id, leaf index or block number; a text key by its
 * place in the batch, see inspectRows) a worker thread died on when this batch ran before, with
 * why: the redone batch reports them as not inspected.
 */
export type BatchMessage = TaskBody & { seq: number; skip?: Array<[number, string]> };

/** CT and file scans: a worker reads the serial index entries of an id range (one part of the whole). */
export interface SerialIndexPartMessage {
  kind: 'serial-index-part';
  seq: number;
  /** The range's keys: numbers, or text (EJBCA's fingerprint); afterId null: from the first row. */
  afterId: RowKey | null;
  lastId: RowKey;
}

/**
 * Then a worker turns a part's order ids into references to the orders (read meanwhile on the main
 * thread) and adds the part's entries to the index's hash table.
 */
export interface FinishSerialIndexPartMessage {
  kind: 'finish-serial-index-part';
  seq: number;
  /** The part as read, with its order ids. */
  part: SharedSerialIndexPart;
  index: SharedSerialIndex;
  orders: SharedOrderStore;
}

/** Sent to every worker before its first batch: the serial index and the orders (shared memory). */
export interface AttachSerialIndexMessage {
  kind: 'attach-serial-index';
  index: SharedSerialIndex;
  orders: SharedOrderStore;
}

/** CT scans, before the scan: a worker reads one task's entries for their issuer + serial keys. */
export interface SerialKeysMessage {
  kind: 'serial-keys';
  seq: number;
  task: TaskBody;
}

/** Sent to every worker before its first batch: the issuer + serial keys that different certificates share. */
export interface AttachCtDuplicatesMessage {
  kind: 'attach-ct-duplicates';
  duplicates: CtDuplicateSerials;
}

/**
 * Database scans, before the first batch: the rows sharing an issuer + serial with a different
 * certificate, with where the others are. A message rather than a setting: the search runs while
 * the workers start.
 */
export interface AttachDuplicateSerialRowsMessage {
  kind: 'attach-duplicate-serial-rows';
  rows: DuplicateSerialRows;
}

/** Messages a worker takes without a reply, before any batch sent after them. */
export type AttachMessage = AttachSerialIndexMessage | AttachCtDuplicatesMessage | AttachDuplicateSerialRowsMessage;

export type WorkerMessage = BatchMessage | SerialIndexPartMessage | FinishSerialIndexPartMessage | SerialKeysMessage | AttachMessage;

export type WorkerReply =
  | { ok: true; result: BatchResult }
  | { ok: true; serialIndexPart: SharedSerialIndexPart }
  | { ok: true; finished: number }
  | { ok: true; serialKeys: Float64Array }
  | { ok: false; seq: number; error: string };

/** What the orders thread (orders_thread.ts) is started with, and its one reply. */
export type OrdersThreadData = Pick<WorkerSettings, 'snapshot' | 'database' | 'filter'> & { location: string };
export type OrdersThreadReply = { orders: SharedOrderStore | null } | { error: string; operational: boolean };

/** Sent once when a worker starts. */
export interface WorkerSettings extends InspectionSettings {
  /** The worker opens its own read-only connection to this database: a SQLite path or a server URL. */
  databaseLocation: string;
  /** A server snapshot to read (PostgreSQL): every connection then sees the same state. */
  snapshot: string | null;
  /** Database scans of a server: the orders, joined with each page's rows in the worker. */
  orders: SharedOrderStore | null;
  /** EJBCA's snapshots by certificate fingerprint (database.orders.snapshots), when read: joined to database rows and to the rows log entries and files join. */
  snapshots?: SharedOrderStore | null;
  database: ScanConfig['database'];
  /** A retroactive audit's restriction of the rows. */
  filter?: RowFilter;
  /** The precertificates table's pages (database.precertificates): the filter, and a shard's rows of that table. */
  precertificateFilter?: RowFilter;
  /**
   * CT and file sources: the own issuers (the serial index follows in a message); `allIssuers`
   * scans every entry (a folder of files with no issuer given); `duplicateSerials` (file scans):
   * issuer + serial keys that several distinct certificates use, with where each is.
   */
  ct?: { issuers: IssuerSet; allIssuers?: boolean; duplicateSerials?: Record<string, string[]> };
  /** [batch seq, ref] of the certificate each worker is inspecting, one pair per worker (set by the pool). */
  positions?: SharedArrayBuffer;
}
