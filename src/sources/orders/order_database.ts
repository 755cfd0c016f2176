// Vetted orders kept in another database than the certificates (the vetting system's own, or a
// replica of it): a SQLite file or a server URL as --db takes, read once (read-only) into the
// shared order store, so that joining costs no query per certificate.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { OrderTableMapping, ScanConfig } from '../../config.js';
import { OperationalError } from '../../errors.js';
import { parseDatabaseLocation, type ServerLocation } from '../database/location.js';
import { oneLine, type Dialect } from '../database/dialect.js';
import { postgresDialect } from '../database/postgres.js';
import { mysqlDialect } from '../database/mysql.js';
import { orderFieldValues, selectedColumn } from '../order_columns.js';
import { orderFieldColumns } from '../order_fields.js';
import { withoutAbsentOptionalColumns } from '../issuance_db.js';
import { OrderStore } from '../order_store.js';

/** Orders per query on a server, in key order. */
const PAGE = 10_000;

const fieldsOf = (mapping: OrderTableMapping) => orderFieldColumns(mapping.columns);

/** The rows as the store takes them; a key that occurs twice is refused (a certificate must join one order). */
function buildStore(rows: unknown[][], mapping: OrderTableMapping, where: string): OrderStore {
  const seen = new Set<string>();
  for (const row of rows) {
    if (row[0] === null || row[0] === undefined) continue;
    const key = String(row[0]);
    if (seen.has(key)) throw new OperationalError(`--orders: ${where}: order ${JSON.stringify(key)} occurs more than once in ${mapping.table}.${mapping.columns.id}; a certificate must join one vetted order`);
    seen.add(key);
  }
  const fields = fieldsOf(mapping);
  // Keys as text: certificates are joined by their order id as text (an INTEGER key in one database
  // and TEXT in the other still join, as they would not by kind).
  const keyed = rows.map((row) => [row[0] === null || row[0] === undefined ? null : String(row[0]), ...row.slice(1)]);
  return OrderStore.build(orderFieldValues(keyed, fields), fields.map((field) => field !== null), { orders: rows.length, bytes: rows.length * 64 + (1 << 16) });
}

function missingColumns(present: Set<string>, mapping: OrderTableMapping): string[] {
  const columns: Array<[string, string | null]> = [['id', mapping.columns.id], ...Object.entries(mapping.columns).filter(([field]) => field !== 'id').map(([field, column]): [string, string | null] => [field, selectedColumn(column as OrderTableMapping['columns']['country'])])];
  return columns.filter(([, column]) => column !== null && !present.has(column.toLowerCase())).map(([field, column]) => `"${column}" (database.orders.columns.${field})`);
}

function readSqlite(path: string, mapping: OrderTableMapping): OrderStore {
  if (!existsSync(resolve(path))) throw new OperationalError(`--orders: database not found: ${path}`);
  const db = new Database(resolve(path), { readonly: true, fileMustExist: true });
  try {
    const present = new Set((db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(mapping.table) as string[]).map((name) => name.toLowerCase()));
    if (present.size === 0) throw new OperationalError(`--orders: ${path} has no table "${mapping.table}" (database.orders.table)`);
    mapping = withoutAbsentOptionalColumns(mapping, present);
    const missing = missingColumns(present, mapping);
    if (missing.length) throw new OperationalError(`--orders: ${path}: table "${mapping.table}" has no column ${missing.join(', ')}`);
    const quote = (name: string) => `"${name}"`;
    const columns = [mapping.columns.id, ...fieldsOf(mapping).map(selectedColumn)].map((name) => (name ? quote(name) : 'NULL')).join(', ');
    const rows = db.prepare(`SELECT ${columns} FROM ${quote(mapping.table)}`).raw(true).all() as unknown[][];
    return buildStore(rows, mapping, path);
  } finally {
    db.close();
  }
}

async function readServer(dialect: Dialect, location: ServerLocation, mapping: OrderTableMapping, config: ScanConfig['database']): Promise<OrderStore> {
  let connection;
  try {
    connection = await dialect.connect(location, { statementTimeoutMs: config.statementTimeoutMs });
  } catch (error) {
    throw new OperationalError(`--orders: cannot open ${dialect.engine} database ${location.display}: ${oneLine(error)}`);
  }
  try {
    const present = new Set((await connection.query(dialect.columnsQuery, [mapping.table])).map((row) => String(row[0]).toLowerCase()));
    if (present.size === 0) throw new OperationalError(`--orders: ${location.display} has no table "${mapping.table}" that this user may read (database.orders.table)`);
    mapping = withoutAbsentOptionalColumns(mapping, present);
    const missing = missingColumns(present, mapping);
    if (missing.length) throw new OperationalError(`--orders: ${location.display}: table "${mapping.table}" has no column ${missing.join(', ')}`);
    const q = (name: string) => dialect.quote(name);
    const key = q(mapping.columns.id);
    const columns = [mapping.columns.id, ...fieldsOf(mapping).map(selectedColumn)].map((name) => (name ? q(name) : 'NULL')).join(', ');
    const rows: unknown[][] = [];
    // Keyset pages in key order (`key > last`: a key repeated across a page edge shows once, as in
    // buildOrderStore; within a page a repeated key is refused below).
    let page = await connection.query(`SELECT ${columns} FROM ${q(mapping.table)} WHERE ${key} IS NOT NULL ORDER BY ${key} LIMIT ${PAGE}`);
    for (;;) {
      rows.push(...page);
      if (page.length < PAGE) break;
      page = await connection.query(`SELECT ${columns} FROM ${q(mapping.table)} WHERE ${key} > ${dialect.parameter(1)} ORDER BY ${key} LIMIT ${PAGE}`, [page[page.length - 1]![0] as string]);
    }
    return buildStore(rows, mapping, location.display);
  } catch (error) {
    if (error instanceof OperationalError) throw error;
    throw new OperationalError(`--orders: ${location.display}: ${oneLine(error)}`);
  } finally {
    await connection.close();
  }
}

/** The orders of another database (`--orders` as a SQLite path or a server URL). */
export async function readOrderDatabase(location: string, config: ScanConfig['database'], environment: NodeJS.ProcessEnv = process.env): Promise<OrderStore> {
  const parsed = parseDatabaseLocation(location, { environment, passwordFile: config.passwordFile });
  if (parsed.engine === 'sqlite') return readSqlite(parsed.path, config.orders);
  return readServer(parsed.engine === 'postgresql' ? postgresDialect : mysqlDialect, parsed, config.orders, config);
}
