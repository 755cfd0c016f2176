// What crosses between the main thread and the workers: plain, structured-clone-able data.
import type { ScanConfig } from '../config.js';
import type { BatchResult, InspectionSettings } from '../inspect.js';
import type { IssuerSet } from '../sources/ct/issuers.js';
import type { RowFilter } from '../sources/issuance_db.js';
import type { DataTile } from '../sources/ct/static_ct.js';
import type { SharedSerialIndex } from '../sources/serial_index.js';

/** One slice of the source for a worker to read, decode and check itself. */
export type TaskBody =
  | { kind: 'db-range'; afterId: number; lastId: number }
  | { kind: 'static-ct-tile'; root: string; tile: DataTile; origin: string }
  | { kind: 'rfc6962-page'; path: string; origin: string }
  | { kind: 'certificate-file'; path: string };

export type BatchMessage = TaskBody & { seq: number };

export type WorkerReply = { ok: true; result: BatchResult } | { ok: false; seq: number; error: string };

/** Sent once when a worker starts. */
export interface WorkerSettings extends InspectionSettings {
  /** The worker opens its own read-only connection to this database. */
  databasePath: string;
  database: ScanConfig['database'];
  /** A retroactive audit's restriction of the rows. */
  filter?: RowFilter;
  /** CT and file sources: the own issuers and the serial index (shared memory, not copied). */
  ct?: { issuers: IssuerSet; serialIndex: SharedSerialIndex };
}
