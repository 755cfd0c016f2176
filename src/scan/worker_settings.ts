// What every worker of a scan is started with: the checks' settings, where to read and, for a
// database scan of a server, the orders once in shared memory instead of a join per page.
import type { ScanConfig } from '../config.js';
import type { WorkerSettings } from '../pool/messages.js';
import type { DatabaseSource } from '../sources/database/database_source.js';
import type { RowFilter } from '../sources/issuance_db.js';

export async function workerSettings(
  config: ScanConfig,
  database: DatabaseSource,
  location: string,
  options: { fromDatabase: boolean; fullDecodeOnly: boolean; filter?: RowFilter; ct: WorkerSettings['ct'] },
): Promise<WorkerSettings> {
  return {
    disabledChecks: config.checks.disabled,
    placeholderCountries: config.checks.placeholderCountries,
    placeholderValues: config.checks.placeholderValues,
    embargoedCountries: config.checks.embargoedCountries,
    fullDecodeOnly: options.fullDecodeOnly,
    databaseLocation: location,
    snapshot: await database.snapshot(),
    orders: options.fromDatabase ? ((await database.ordersForPages())?.toShared() ?? null) : null,
    database: config.database,
    filter: options.filter,
    ct: options.ct,
  };
}
