// What every worker of a scan is started with: the checks' settings and where to read. A server's
// database scan gets its orders later (attachPageOrders), built while the workers start.
import type { ScanConfig } from '../config.js';
import type { WorkerSettings } from '../pool/messages.js';
import type { WorkerPool } from '../pool/pool.js';
import type { DatabaseSource } from '../sources/database/database_source.js';
import type { RowFilter } from '../sources/issuance_db.js';

export async function workerSettings(
  config: ScanConfig,
  database: DatabaseSource,
  location: string,
  options: { fullDecodeOnly: boolean; filter?: RowFilter; precertificateFilter?: RowFilter; fromDatabase: boolean; snapshots?: WorkerSettings['snapshots']; ct: WorkerSettings['ct'] },
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
    // RFC 5280 4.1.2.2 over the whole table, whatever the shard, range or filter.
    duplicateSerialRows: options.fromDatabase ? await database.duplicateSerialRows() : undefined,
    ct: options.ct,
  };
}

/**
 * Database scans of a server: the orders once, in shared memory, instead of a join per page. Read
 * on this thread while the workers load and connect (on 2 cores, either alone leaves one idle).
 */
export async function attachPageOrders(pool: WorkerPool, database: DatabaseSource): Promise<void> {
  const orders = await database.ordersForPages();
  if (orders) pool.attachOrders(orders.toShared());
}
