// The SQL that is the same on every engine, written once: a page row's select list, the joins
// that bring in its order, its revocation and its fallback DER, an audit's filters, and the key
// bounds of pages and planning queries (keyset walks, shard quantiles). Each engine
// only says how identifiers are quoted and parameters written (SqlSyntax: its Dialect, or SQLite's).
import type { CertificateTableMapping, OrderTableMapping } from '../../config.js';
import { OperationalError } from '../../errors.js';
import type { RowFilter } from '../issuance_db.js';
import { plainColumn, selectedColumn } from '../order_columns.js';
import { orderFieldColumns } from '../order_fields.js';
import { revocationAlias } from '../revocation.js';
import { derJoin } from './der_column.js';
import type { SqlSyntax, SqlValue } from './dialect.js';
import type { RowKey } from '../types.js';


/**
 * A page row's columns, in RawRow order: c.id, c.orderId, the DER expression, o.id, the order
 * fields and the recorded serial (at RAW_ROW_COLUMNS); with `details`, then issued, revoked, reason
 * and status (the report-only columns; revocation maybe from its own table). Orders from an export (--orders) are NULL here:
 * they are joined from the order store.
 */
export function rowColumns(syntax: SqlSyntax, certificates: CertificateTableMapping, orders: OrderTableMapping, options: { der: string; details: boolean }): string[] {
  const column = (alias: string, name: string | null) => (name && (alias !== 'o' || orders.source === null) ? `${alias}.${syntax.quote(name)}` : 'NULL');
  const c = certificates.columns;
  const o = orders.columns;
  return [
    column('c', c.id),
    column('c', c.orderId),
    options.der,
    column('o', o.id),
    ...orderFieldColumns(o).map((field) => column('o', selectedColumn(field))),
    // The serial the row records, at RAW_ROW_COLUMNS on every engine: compared with the certificate's.
    column('c', c.serial),
    ...(options.details
      ? [column('c', c.issuedAt), ...[c.revokedAt, c.revocationReason, c.status].map((name) => column(revocationAlias(certificates), name))]
      : []),
  ];
}

/** The certificates table (alias c) and the joins asked for: the order (o), the revocation table (r), the fallback DER table (d). */
export function rowSources(syntax: SqlSyntax, certificates: CertificateTableMapping, orders: OrderTableMapping, options: { orders: boolean; revocation: boolean; der: boolean }): string[] {
  const q = (name: string) => syntax.quote(name);
  const joinOrders = options.orders && orders.source === null;
  const joinRevocation = options.revocation && certificates.revocationTable;
  return [
    `FROM ${q(certificates.table)} AS c`,
    ...(joinOrders ? [`LEFT JOIN ${q(orders.table)} AS o ON o.${q(orders.columns.id)} = c.${q(certificates.columns.orderId)}`] : []),
    // Revocation kept in its own table (Boulder's certificateStatus) is joined by serial.
    ...(joinRevocation ? [`LEFT JOIN ${q(joinRevocation.table)} AS r ON r.${q(joinRevocation.serial)} = c.${q(certificates.columns.serial)}`] : []),
    ...(options.der ? derJoin(certificates, q) : []),
  ];
}

/** The filter's values in the column's time encoding: ISO text, SQL DATETIME text to the second, or epoch numbers. */
export function issuedAtValue(certificates: CertificateTableMapping, iso: string): SqlValue {
  if (certificates.timeEncoding === 'iso8601') return iso;
  // Compared as the column stores it, to the second: ISO text would sort after every time of its day.
  if (certificates.timeEncoding === 'sql-datetime') return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
  const ms = Date.parse(iso);
  return certificates.timeEncoding === 'epoch-s' ? Math.floor(ms / 1000) : ms;
}

/**
 * An audit's dates and countries as conditions on c and o, with their values; the parameters are
 * numbered after the `parametersBefore` the query already has (the key bounds).
 */
export function filterSql(syntax: SqlSyntax, certificates: CertificateTableMapping, orders: OrderTableMapping, filter: RowFilter | undefined, parametersBefore: number): { conditions: string[]; values: SqlValue[] } {
  const conditions: string[] = [];
  const values: SqlValue[] = [];
  const next = (value: SqlValue) => {
    values.push(value);
    return syntax.parameter(parametersBefore + values.length);
  };
  const issuedAt = `c.${syntax.quote(certificates.columns.issuedAt)}`;
  if (filter?.issuedFrom) conditions.push(`${issuedAt} >= ${next(issuedAtValue(certificates, filter.issuedFrom))}`);
  if (filter?.issuedTo) conditions.push(`${issuedAt} < ${next(issuedAtValue(certificates, filter.issuedTo))}`);
  if (filter?.precertificateShard) conditions.push(precertificateShardSql(syntax, certificates, filter.precertificateShard, next));
  if (filter?.orderCountries?.length) {
    if (orders.source !== null) throw new OperationalError('--country filters in SQL: it needs the orders in the certificates\' database, not --orders');
    const country = plainColumn(orders.columns.country, 'database.orders.columns.country', '--country');
    conditions.push(`upper(o.${syntax.quote(country)}) IN (${filter.orderCountries.map((code) => next(code)).join(', ')})`);
  }
  return { conditions, values };
}

/**
 * `--shard K/N` of a scan with a precertificates table (Boulder): the shard of the certificates
 * with keys in `certificates` (afterId, throughId] reads the precertificates of those certificates
 * (by serial; of the first certificate with it, if several), and of the precertificates that have
 * no certificate, those with their own keys in `own`. So each shard holds whole pairs, and every
 * precertificate is in exactly one shard.
 */
export interface PrecertificateShard {
  /** The certificates table, its key and serial columns (the page's table c is the precertificates). */
  table: string;
  id: string;
  serial: string;
  certificates: { afterId: RowKey | null; throughId: RowKey | null };
  own: { afterId: RowKey | null; throughId: RowKey | null };
}

function precertificateShardSql(syntax: SqlSyntax, precertificates: CertificateTableMapping, shard: PrecertificateShard, next: (value: SqlValue) => string): string {
  const q = (name: string) => syntax.quote(name);
  const certificate = `(SELECT min(f.${q(shard.id)}) FROM ${q(shard.table)} AS f WHERE f.${q(shard.serial)} = c.${q(precertificates.columns.serial)})`;
  const within = (key: string, range: PrecertificateShard['own']) =>
    [...(range.afterId !== null ? [`${key} > ${next(range.afterId)}`] : []), ...(range.throughId !== null ? [`${key} <= ${next(range.throughId)}`] : [])];
  const paired = [`${certificate} IS NOT NULL`, ...within(certificate, shard.certificates)].join(' AND ');
  const alone = [`${certificate} IS NULL`, ...within(`c.${q(precertificates.columns.id)}`, shard.own)].join(' AND ');
  return `((${paired}) OR (${alone}))`;
}

/**
 * The key condition of a page or planning query on `column`: `> ?` unless there is no lower bound
 * (a text key's first page: no text sorts below every other), `<= ?` unless there is no upper one.
 */
export function keyCondition(column: string, lower: boolean, upper: boolean, parameter: (index: number) => string = () => '?'): string {
  const parts = [...(lower ? [`${column} > ${parameter(1)}`] : []), ...(upper ? [`${column} <= ${parameter(lower ? 2 : 1)}`] : [])];
  return parts.length ? parts.join(' AND ') : `${column} IS NOT NULL`;
}

/** The values for keyCondition's parameters, in order. */
export const keyValues = (afterId: RowKey | null, throughId: RowKey | null): RowKey[] => [...(afterId === null ? [] : [afterId]), ...(throughId === null ? [] : [throughId])];

/**
 * The two planning queries of a keyset walk from `afterId` through `throughId` (null: unbounded):
 * the key pageSize rows on, and the last key (the end of the final, shorter page).
 */
export function walkQueries(id: string, table: string, afterId: RowKey | null, throughId: RowKey | null, pageSize: number, parameter: (index: number) => string = () => '?') {
  const where = keyCondition(id, afterId !== null, throughId !== null, parameter);
  const values = keyValues(afterId, throughId);
  return {
    boundary: { sql: `SELECT ${id} FROM ${table} WHERE ${where} ORDER BY ${id} LIMIT 1 OFFSET ${Math.max(0, pageSize - 1)}`, values },
    last: { sql: `SELECT max(${id}) FROM ${table} WHERE ${where}`, values },
  };
}

/** The last key of each of `count` parts of about equal rows, in key order (NTILE: SQLite 3.25, PostgreSQL, MariaDB 10.2, MySQL 8). */
export function quantilesQuery(id: string, table: string, count: number): string {
  const parts = Math.max(1, Math.floor(count));
  return `SELECT max(k) FROM (SELECT ${id} AS k, NTILE(${parts}) OVER (ORDER BY ${id}) AS part FROM ${table} WHERE ${id} IS NOT NULL) AS quantiles GROUP BY part ORDER BY part`;
}
