// Orders from their own source (database.orders.source, --orders): an export file, or another database.
import type { ScanConfig } from '../../config.js';
import type { OrderStore } from '../order_store.js';
import { isOrderExport, readOrderExport } from './order_file.js';
import { readOrderDatabase } from './order_database.js';

/** The orders of database.orders.source, which must be set. */
export async function readExternalOrders(config: ScanConfig['database']): Promise<OrderStore> {
  const source = config.orders.source;
  if (source === null) throw new Error('database.orders.source is not set');
  return isOrderExport(source) ? readOrderExport(source, config.orders) : readOrderDatabase(source, config);
}
