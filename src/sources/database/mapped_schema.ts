// The check that the mapped tables and columns exist, the same on every engine: each engine only
// says which columns a table has (SQLite from pragma_table_info, servers from information_schema).
import type { ScanConfig } from '../../config.js';
import { OperationalError } from '../../errors.js';
import { missingColumns, withoutAbsentOptionalColumns } from '../issuance_db.js';
import { selectedColumn } from '../order_columns.js';
import { columnsByTable } from '../revocation.js';

/** The tables a mapping reads from the certificates' database (orders from --orders are elsewhere). */
export function mappedTables(config: ScanConfig['database']): string[] {
  const { certificates, orders } = config;
  return [
    certificates.table,
    ...(certificates.revocationTable ? [certificates.revocationTable.table] : []),
    ...(certificates.derFallback ? [certificates.derFallback.table] : []),
    ...(orders.source === null ? [orders.table] : []),
  ];
}

/**
 * Names each mapped table or column that `columnsOf` (lower-case column names, null: no such
 * table) lacks, in one line; returns the mapping with absent optional order columns read as not
 * kept. `unreadable` follows "no table X" where a server may hide a table from this user.
 */
export function checkMappedSchema(config: ScanConfig['database'], display: string, columnsOf: (table: string) => ReadonlySet<string> | null, unreadable = ''): ScanConfig['database'] {
  const problems: string[] = [];
  const expect = (table: string, key: string, columns: Array<[string, string | null]>, present = columnsOf(table)) => {
    if (present === null) return problems.push(`no table "${table}"${unreadable} (${key}.table)`);
    const missing = missingColumns(Object.fromEntries(columns), key, present);
    if (missing.length) problems.push(`table "${table}" has no column ${missing.join(', ')}`);
  };
  const byTable = columnsByTable(config.certificates);
  expect(config.certificates.table, 'database.certificates', byTable.certificates);
  if (config.certificates.revocationTable) expect(config.certificates.revocationTable.table, 'database.certificates', byTable.revocation);
  const fallback = config.certificates.derFallback;
  if (fallback) expect(fallback.table, 'database.certificates.derFallback', [['join', fallback.join], ['der', fallback.der]]);
  let orders = config.orders;
  // Orders from an export (--orders) are not in this database.
  if (orders.source === null) {
    const present = columnsOf(orders.table);
    if (present === null) problems.push(`no table "${orders.table}"${unreadable} (database.orders.table)`);
    else {
      orders = withoutAbsentOptionalColumns(orders, present);
      expect(orders.table, 'database.orders', Object.entries(orders.columns).map(([field, column]) => [field, selectedColumn(column)]), present);
    }
  }
  if (problems.length) throw new OperationalError(`database ${display} does not have the expected schema: ${problems.join('; ')}`);
  return orders === config.orders ? config : { ...config, orders };
}
