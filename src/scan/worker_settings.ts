// What every worker of a scan is started with: the checks' settings, where to read, and for a
// server's database scan the orders its pages are joined with (pageOrders).
import type { ScanConfig } from '../config.js';
import type { WorkerSettings } from '../pool/messages.js';
import { readPageOrdersInThread } from '../pool/pool.js';
import type { SharedOrderStore } from '../sources/order_store.js';
import type { DatabaseSource } from '../sources/database/database_source.js';
import type { RowFilter } from '../sources/issuance_db.js';

export async function workerSettings(
  config: ScanConfig,
  database: DatabaseSource,
  location: string,
  options: { fullDecodeOnly: boolean; filter?: RowFilter; precertificateFilter?: RowFilter; snapshots?: WorkerSettings['snapshots']; ct: WorkerSettings['ct'] },
): Promise<WorkerSettings> {
  return {
    disabledChecks: config.checks.disabled,
    placeholderCountries: config.checks.placeholderCountries,
    placeholderValues: config.checks.placeholderValues,
    embargoedCountries: config.checks.embargoedCountries,
    fullDecodeOnly: options.fullDecodeOnly,
    databaseLocation: location,
    snapshot: await database.snapshot(),
    orders: null,
    snapshots: options.snapshots ?? null,
    database: config.database,
    filter: options.filter,
    precertificateFilter: options.precertificateFilter,
    ct: options.ct,
  };
}

/**
 * Database scans of a server: the orders once, in shared memory, instead of a join per page. Read
 * on a thread of their own whose garbage goes with it (readPageOrdersInThread), before the workers
 * start: its connection and theirs are never open together, so a scan keeps to `workers + 1`.
 * SQLite's come from an --orders export, if any, read here.
 */
export async function pageOrders(database: DatabaseSource, settings: WorkerSettings): Promise<SharedOrderStore | null> {
  if (database.engine === 'sqlite') return (await database.ordersForPages())?.toShared() ?? null;
  return readPageOrdersInThread({ location: settings.databaseLocation, database: settings.database, filter: settings.filter, snapshot: settings.snapshot });
}
