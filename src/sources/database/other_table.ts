// A table of the certificates' database that the mapping does not join into the pages (EJBCA's
// CertReqHistoryData), read on a server through the scan's own planning connection: the same
// read-only transaction (so the same snapshot of the data) and the same reconnect-and-retry.
import type { Dialect, SqlValue } from './dialect.js';

/** How ServerDatabase lets another module read through its connection (see ServerDatabase.otherTable). */
export interface OtherTableQueries {
  dialect: Pick<Dialect, 'quote' | 'parameter' | 'columnsQuery'>;
  read(sql: string, parameters: readonly SqlValue[]): Promise<unknown[][]>;
}

/** A table as the server stores its names (PostgreSQL folds EJBCA's unquoted names to lower case). */
export interface StoredTable {
  table: string;
  /** Lower-case column name -> the name as stored. */
  columns: ReadonlyMap<string, string>;
}

/** The table and its columns as stored; null when this user sees no such table (absent, or no SELECT). */
export async function storedTable(queries: OtherTableQueries, table: string): Promise<StoredTable | null> {
  const rows = await queries.read(queries.dialect.columnsQuery, [table]);
  if (rows.length === 0) return null;
  return { table: String(rows[0]![2]), columns: new Map(rows.map((row) => [String(row[0]).toLowerCase(), String(row[0])])) };
}

export async function countRows(queries: OtherTableQueries, table: StoredTable): Promise<number> {
  const [row] = await queries.read(`SELECT count(*) FROM ${queries.dialect.quote(table.table)}`, []);
  return Number(row?.[0] ?? 0);
}

/**
 * The columns (names as stored; the first is `key`, unique) of every row with a key, pageSize rows
 * a query, in key order: keyset pages (`key > last`), so that no query holds the whole table.
 */
export async function* keyedPages(queries: OtherTableQueries, table: StoredTable, columns: readonly string[], pageSize: number): AsyncGenerator<unknown[][]> {
  const { quote, parameter } = queries.dialect;
  const key = quote(columns[0]!);
  const select = `SELECT ${columns.map(quote).join(', ')} FROM ${quote(table.table)} WHERE ${key} IS NOT NULL`;
  let page = await queries.read(`${select} ORDER BY ${key} LIMIT ${pageSize}`, []);
  for (;;) {
    yield page;
    if (page.length < pageSize) return;
    page = await queries.read(`${select} AND ${key} > ${parameter(1)} ORDER BY ${key} LIMIT ${pageSize}`, [page[page.length - 1]![0] as SqlValue]);
  }
}
