// What crosses between the main thread and the workers: plain, structured-clone-able data.
import type { ScanConfig } from '../config.js';
import type { BatchResult, InspectionSettings } from '../inspect.js';
import type { IdRange } from '../sources/issuance_db.js';

/** One slice of the source for a worker to read, decode and check itself. */
export interface BatchMessage extends IdRange {
  seq: number;
}

export type WorkerReply = { ok: true; result: BatchResult } | { ok: false; seq: number; error: string };

/** Sent once when a worker starts. */
export interface WorkerSettings extends InspectionSettings {
  /** The worker opens its own read-only connection to this database. */
  databasePath: string;
  database: ScanConfig['database'];
}
