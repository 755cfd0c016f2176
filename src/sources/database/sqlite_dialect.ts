// SQLite's SQL, as postgres.ts and mysql.ts hold their engines': identifier quoting, the schema
// (sqlite_master and the pragma_* table functions, where the servers have information_schema), and
// the fast page read SQLite allows (one aggregate row a page). better-sqlite3 answers at once, so
// this is not a Dialect, whose connections answer in promises: the same parts, synchronous.
// issuance_db.ts prepares these statements and reads the rows.
import type Database from 'better-sqlite3';
import type { CertificateTableMapping, OrderTableMapping } from '../../config.js';
import type { RowFilter } from '../issuance_db.js';
import { orderFieldColumns } from '../order_fields.js';
import { selectedColumn } from '../order_columns.js';
import { derExpression, derJoin } from './der_column.js';
import type { SqlSyntax } from './dialect.js';
import { filterSql, keyCondition, rowColumns, rowSources } from './page_sql.js';

/** Double-quoted identifiers, `?` parameters. */
export const SQLITE: SqlSyntax = { quote: (identifier) => `"${identifier.replace(/"/g, '""')}"`, parameter: () => '?' };
const quote = SQLITE.quote;

/** The schema as SQLite describes it: lower-case table names, a table's columns, its unique keys. */
export const sqliteSchema = {
  /** Tables and views, lower-case (SQLite compares names without case). */
  tableNames(db: Database.Database): Set<string> {
    return new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view')`).pluck().all() as string[]).map((name) => name.toLowerCase()));
  },

  /** A table's columns as declared: name, type, position in the primary key (0: not in it). */
  columns(db: Database.Database, table: string): Array<{ name: string; type: string; pk: number }> {
    return db.prepare('SELECT name, type, pk FROM pragma_table_info(?)').all(table) as Array<{ name: string; type: string; pk: number }>;
  },

  isView(db: Database.Database, table: string): boolean {
    return db.prepare(`SELECT type FROM sqlite_master WHERE lower(name) = lower(?)`).pluck().get(table) === 'view';
  },

  /** Whether a column has a unique index of its own, or is the table's rowid (INTEGER PRIMARY KEY). */
  isUniqueKey(db: Database.Database, table: string, column: string): boolean {
    const key = column.toLowerCase();
    if (key === 'rowid') return true;
    const primary = sqliteSchema.columns(db, table).filter((info) => info.pk > 0);
    if (primary.length === 1 && primary[0]!.name.toLowerCase() === key && primary[0]!.type.toUpperCase() === 'INTEGER') return true;
    const indexes = db.prepare('SELECT name, "unique", partial FROM pragma_index_list(?)').all(table) as Array<{ name: string; unique: number; partial: number }>;
    return indexes.some((index) => {
      if (index.unique !== 1 || index.partial !== 0) return false;
      const indexColumns = db.prepare('SELECT name FROM pragma_index_info(?)').pluck().all(index.name) as Array<string | null>;
      return indexColumns.length === 1 && indexColumns[0]?.toLowerCase() === key;
    });
  },

  /** The first value of a column, for a view's key whose type nothing declares (undefined: no rows). */
  firstValue(db: Database.Database, table: string, column: string): unknown {
    return db.prepare(`SELECT ${quote(column)} FROM ${quote(table)} WHERE ${quote(column)} IS NOT NULL LIMIT 1`).pluck().get();
  },

  /** group_concat passes BLOB bytes through unchanged only when the database's text is UTF-8. */
  textIsUtf8(db: Database.Database): boolean {
    return String(db.pragma('encoding', { simple: true })).toUpperCase() === 'UTF-8';
  },

  /** The connection's page cache, in KiB. */
  setCacheSize(db: Database.Database, kib: number): void {
    db.pragma(`cache_size = -${Math.max(64, Math.floor(kib))}`);
  },
};

/** The page's FROM, joins and WHERE (lower: with `id > ?`); the filter's values follow the key bounds. */
function fromAndWhere(certificates: CertificateTableMapping, orders: OrderTableMapping, filter: RowFilter | undefined, lower: boolean): string {
  const { conditions } = filterSql(SQLITE, certificates, orders, filter, lower ? 2 : 1);
  return [
    ...rowSources(SQLITE, certificates, orders, { orders: true, revocation: false, der: true }),
    `WHERE ${[keyCondition(`c.${quote(certificates.columns.id)}`, lower, true), ...conditions].join(' AND ')}`,
  ].join('\n');
}

/** The rows of an id range, one array per row; this is the query the summary records (lower: with `id > ?`). */
function pageQuery(certificates: CertificateTableMapping, orders: OrderTableMapping, filter: RowFilter | undefined, lower: boolean): string {
  const columns = rowColumns(SQLITE, certificates, orders, { der: derExpression(certificates, quote), details: false });
  return `SELECT ${columns.join(', ')}\n${fromAndWhere(certificates, orders, filter, lower)} ORDER BY c.${quote(certificates.columns.id)}`;
}

/**
 * The same rows as one aggregate row: every DER concatenated into one BLOB, and the other columns
 * (with each DER's length in its place) as a JSON array. Both aggregates step through the rows
 * together, so the n-th JSON row owns the n-th slice. One Buffer per page instead of one per row
 * saves about a microsecond a row and most of the garbage.
 */
function batchQuery(certificates: CertificateTableMapping, orders: OrderTableMapping, filter: RowFilter | undefined, lower: boolean): string {
  const der = derExpression(certificates, quote);
  const columns = rowColumns(SQLITE, certificates, orders, { der: `length(${der})`, details: false });
  return `SELECT CAST(group_concat(${der}, x'') AS BLOB), json_group_array(json_array(${columns.join(', ')}))\n${fromAndWhere(certificates, orders, filter, lower)}`;
}

/** A query with a lower key bound, and its twin for a text key's first page (no lower bound). */
export interface PagedQuery {
  lower: string;
  first: string;
}

/** The statements of a certificates table (parameters `?`, in the order their comments give). */
export interface SqliteCertificateQueries {
  /** A page's rows (afterId, lastId, then the audit filter's values); `page.lower` is the query the summary records. */
  page: PagedQuery;
  /** The same page as one aggregate row (see batchQuery). */
  batch: PagedQuery;
  /** The recorded serial and the report-only columns of one row (id). */
  details: string;
  /** A row with its order joined, without its DER (id): CT and file lookups the order store could not resolve. */
  rowById: string;
  /** The next id after one (id). */
  nextId: string;
  /** min(id) and max(id). */
  bounds: string;
  /**
   * (id, serial, order id) of the rows afterId < id <= lastId, at most a limit of them (afterId,
   * lastId, limit); without `lower`, from the first row (lastId, limit): a text key's first page.
   */
  serialIndexPage: (lower: boolean) => string;
  /** The first and last issued_at of the rows in a key range (lower: with `id > ?`; then `id <= ?`). */
  issuedAtWindow: (lower: boolean) => string;
  rowCount: string;
  /** The DER column of the first row, as stored. */
  firstStoredDer: string;
}

export function sqliteCertificateQueries(certificates: CertificateTableMapping, orders: OrderTableMapping, filter: RowFilter | undefined): SqliteCertificateQueries {
  const c = certificates.columns;
  const table = quote(certificates.table);
  const id = quote(c.id);
  const rowColumnsWithout = (details: boolean) => rowColumns(SQLITE, certificates, orders, { der: 'NULL', details });
  return {
    page: { lower: pageQuery(certificates, orders, filter, true), first: pageQuery(certificates, orders, filter, false) },
    batch: { lower: batchQuery(certificates, orders, filter, true), first: batchQuery(certificates, orders, filter, false) },
    // The recorded serial (a row's last column without details) and the report-only columns after it.
    details: `SELECT ${rowColumnsWithout(true).slice(rowColumnsWithout(false).length - 1).join(', ')} ${rowSources(SQLITE, certificates, orders, { orders: false, revocation: true, der: false }).join(' ')} WHERE c.${id} = ?`,
    rowById: [`SELECT ${rowColumnsWithout(false).join(', ')}`, ...rowSources(SQLITE, certificates, orders, { orders: true, revocation: false, der: false }), `WHERE c.${id} = ?`].join('\n'),
    nextId: `SELECT ${id} FROM ${table} WHERE ${id} > ? ORDER BY ${id} LIMIT 1`,
    // Two subqueries: SQLite reads min() or max() alone off the index, but both in one aggregate scan the table.
    bounds: `SELECT (SELECT min(${id}) FROM ${table}), (SELECT max(${id}) FROM ${table})`,
    serialIndexPage: (lower) => `SELECT ${id}, ${quote(c.serial)}, ${c.orderId ? quote(c.orderId) : 'NULL'} FROM ${table} WHERE ${keyCondition(id, lower, true)} ORDER BY ${id} LIMIT ?`,
    issuedAtWindow: (lower) => `SELECT min(${quote(c.issuedAt)}), max(${quote(c.issuedAt)}) FROM ${table} WHERE ${keyCondition(id, lower, true)}`,
    rowCount: `SELECT count(*) FROM ${table}`,
    firstStoredDer: `SELECT ${derExpression(certificates, quote)} FROM ${table} AS c ${derJoin(certificates, quote).join(' ')} LIMIT 1`,
  };
}

/** The statements that read the orders table into an order store. */
export interface SqliteOrderQueries {
  /** count(*) and the bytes of the keys and organizations, as stored: they size the store. */
  sizes: string;
  /** Every order, one row each, in no order. */
  all: string;
  /** `pageSize` orders in key order as one JSON array of rows: the first page, and the page after a key (one parameter). */
  firstPage: string;
  nextPage: string;
}

export function sqliteOrderQueries(orders: OrderTableMapping, pageSize: number): SqliteOrderQueries {
  const o = orders.columns;
  const columns = [o.id, ...orderFieldColumns(o).map(selectedColumn)].map((name) => (name ? quote(name) : 'NULL')).join(', ');
  const organization = selectedColumn(o.organization);
  const table = quote(orders.table);
  const key = quote(o.id);
  const page = (where: string) => `SELECT json_group_array(json_array(${columns})) FROM (SELECT ${columns} FROM ${table} WHERE ${where} ORDER BY ${key} LIMIT ${pageSize})`;
  return {
    sizes: `SELECT count(*), coalesce(sum(length(CAST(${key} AS BLOB))), 0) + ${organization ? `coalesce(sum(length(CAST(${quote(organization)} AS BLOB))), 0)` : '0'} FROM ${table}`,
    all: `SELECT ${columns} FROM ${table}`,
    firstPage: page(`${key} IS NOT NULL`),
    nextPage: page(`${key} > ?`),
  };
}
