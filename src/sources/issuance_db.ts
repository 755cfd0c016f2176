// The CA's issuance database (SQLite), opened read-only and read in keyset pages.
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CertificateTableMapping, OrderTableMapping, ScanConfig, TimeEncoding } from '../config.js';
import { OperationalError } from '../errors.js';
import { readPemCertificates } from '../decode/pem.js';
import type { OrderRecord, RowDetails, RowKey, SourceDescription, SourceRow, SourceRowMeta } from './types.js';
import { normalizeSerialHex } from './ct/entries.js';
import { NO_ORDER_ID, ORDER_UNRESOLVED, buildSerialIndexPart, type SerialIndex, type SharedSerialIndexPart } from './serial_index.js';
import { OrderStore } from './order_store.js';
import { OPTIONAL_ORDER_FIELDS, ORDER_FIELDS, ORDER_FIELD_NAMES, orderFieldColumns, orderRecord } from './order_fields.js';
import { derExpression, derJoin } from './database/der_column.js';
import { rowDetailsWithProblems, withRecordedSerial } from './database/row_values.js';
import { filterSql, rowColumns, rowSources, type PrecertificateShard } from './database/page_sql.js';
import { checkMappedSchema } from './database/mapped_schema.js';
import type { SqlSyntax, SqlValue } from './database/dialect.js';
import { isIntegerKey, keyKindOfType, refuseNonUniqueKey, refuseTextKeyIndex, toRowKey, type KeyKind } from './database/row_key.js';
import { orderFieldValue, orderFieldValues, selectedColumn } from './order_columns.js';

/** SQLite's syntax: double-quoted identifiers, `?` parameters. */
const SQLITE: SqlSyntax = { quote: (identifier) => `"${identifier.replace(/"/g, '""')}"`, parameter: () => '?' };
const quote = SQLITE.quote;

/** A slice of the certificates table: afterId < id <= lastId (afterId null: from the first key). */
export interface IdRange {
  afterId: RowKey | null;
  lastId: RowKey;
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

export function toIsoTime(value: unknown, encoding: TimeEncoding): string | null {
  if (value === null || value === undefined || value === '') return null;
  // ISO 8601 text is kept as stored: parsing it for every row would cost more than the decode.
  if (encoding === 'iso8601') return String(value);
  if (encoding === 'sql-datetime') {
    if (value instanceof Date) return value.toISOString();
    const text = String(value);
    const date = new Date(`${text.trim().replace(' ', 'T')}Z`);
    return Number.isNaN(date.getTime()) ? text : date.toISOString();
  }
  const date = new Date(Number(value) * (encoding === 'epoch-s' ? 1000 : 1));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

export function normalizeSerial(value: unknown, encoding: CertificateTableMapping['serialEncoding']): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  if (encoding === 'decimal') {
    try {
      return BigInt(text).toString(16);
    } catch {
      return text;
    }
  }
  return text.toLowerCase();
}

export function toDer(value: unknown, encoding: CertificateTableMapping['derEncoding']): Uint8Array {
  if (value === null || value === undefined) return new Uint8Array(0);
  if (encoding === 'blob') return value instanceof Uint8Array ? value : Buffer.from(String(value), 'latin1');
  const text = Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
  if (encoding === 'pem') return readPemCertificates(text)[0] ?? new Uint8Array(0);
  return Buffer.from(text.replace(/\s+/g, ''), 'base64');
}

/** A stored serial as CT entries are looked up: lowercase hex without leading zeros, or null. */
export function serialKey(value: unknown, encoding: CertificateTableMapping['serialEncoding']): string | null {
  const normalized = normalizeSerial(value, encoding);
  return normalized === null ? null : normalizeSerialHex(normalized);
}

/** Orders per JSON page: small pages stay in the young generation (large strings live until a full GC). */
const ORDERS_PAGE = 2000;

/** A retroactive audit's restriction: issued in [issuedFrom, issuedTo), orders vetted in these countries. */
export interface RowFilter {
  /** ISO 8601. */
  issuedFrom?: string;
  issuedTo?: string;
  /** Upper-case ISO 3166-1 codes. */
  orderCountries?: string[];
  /** `--shard` of a precertificates table: which of its rows are this shard's (page_sql.ts, precertificateShardSql). */
  precertificateShard?: PrecertificateShard;
}

/** The page's FROM, joins and WHERE (lower: with `id > ?`); the filter's values follow the key bounds. */
function fromAndWhere(certificates: CertificateTableMapping, orders: OrderTableMapping, filter: RowFilter | undefined, lower: boolean): string {
  const { conditions } = filterSql(SQLITE, certificates, orders, filter, lower ? 2 : 1);
  return [
    ...rowSources(SQLITE, certificates, orders, { orders: true, revocation: false, der: true }),
    `WHERE ${[keyCondition(`c.${quote(certificates.columns.id)}`, lower, true), ...conditions].join(' AND ')}`,
  ].join('\n');
}

/** The rows of an id range, one array per row; this is the query the summary records (lower: with `id > ?`). */
function buildPageQuery(certificates: CertificateTableMapping, orders: OrderTableMapping, filter: RowFilter | undefined, lower = true): string {
  const columns = rowColumns(SQLITE, certificates, orders, { der: derExpression(certificates, quote), details: false });
  return `SELECT ${columns.join(', ')}\n${fromAndWhere(certificates, orders, filter, lower)} ORDER BY c.${quote(certificates.columns.id)}`;
}

/**
 * The same rows as one aggregate row: every DER concatenated into one BLOB, and the other columns
 * (with each DER's length in its place) as a JSON array. Both aggregates step through the rows
 * together, so the n-th JSON row owns the n-th slice. One Buffer per page instead of one per row
 * saves about a microsecond a row and most of the garbage.
 */
function buildBatchQuery(certificates: CertificateTableMapping, orders: OrderTableMapping, filter: RowFilter | undefined, lower: boolean): string {
  const der = derExpression(certificates, quote);
  const columns = rowColumns(SQLITE, certificates, orders, { der: `length(${der})`, details: false });
  return `SELECT CAST(group_concat(${der}, x'') AS BLOB), json_group_array(json_array(${columns.join(', ')}))\n${fromAndWhere(certificates, orders, filter, lower)}`;
}

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

/** A keyset walk over any unique ordered key, by the walkQueries the engine runs (`keyOf`: the first value, or null). */
function* walkKeys(pageSize: number, afterId: RowKey | null, throughId: RowKey | null, id: string, table: string, keyOf: (sql: string, values: unknown[]) => RowKey | null): Generator<IdRange> {
  for (let cursor = afterId; ; ) {
    const { boundary, last } = walkQueries(id, table, cursor, throughId, pageSize);
    const lastId = keyOf(boundary.sql, boundary.values) ?? keyOf(last.sql, last.values);
    if (lastId === null) return;
    yield { afterId: cursor, lastId };
    cursor = lastId;
  }
}

/** The last key of each of `count` parts of about equal rows, in key order (NTILE: SQLite 3.25, PostgreSQL, MariaDB 10.2, MySQL 8). */
export function quantilesQuery(id: string, table: string, count: number): string {
  const parts = Math.max(1, Math.floor(count));
  return `SELECT max(k) FROM (SELECT ${id} AS k, NTILE(${parts}) OVER (ORDER BY ${id}) AS part FROM ${table} WHERE ${id} IS NOT NULL) AS quantiles GROUP BY part ORDER BY part`;
}

/** The report-only columns of one row, fetched by id for affected rows (revocation maybe from its own table). */
function buildDetailsQuery(certificates: CertificateTableMapping, orders: OrderTableMapping): string {
  const columns = rowColumns(SQLITE, certificates, orders, { der: 'NULL', details: true }).slice(RAW_ROW_COLUMNS);
  return `SELECT ${columns.join(', ')} ${rowSources(SQLITE, certificates, orders, { orders: false, revocation: true, der: false }).join(' ')} WHERE c.${quote(certificates.columns.id)} = ?`;
}

/** id, order id, DER, then the order's id and its fields in ORDER_FIELDS order (see selectList). */
export type RawRow = [RowKey, unknown, unknown, unknown, ...unknown[]];

/** Where the order's fields start in a RawRow, and the columns a RawRow has. */
export const ORDER_FIELDS_AT = 4;
export const RAW_ROW_COLUMNS = ORDER_FIELDS_AT + ORDER_FIELDS.length;

export const asText = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export class IssuanceDatabase {
  readonly path: string;
  readonly pageQuery: string;
  /** How the certificates key pages: integer arithmetic, or a keyset walk over text. */
  readonly keyKind: KeyKind;
  private readonly db: Database.Database;
  /** The page reader, and for a text key's first page (no lower bound) its twin. */
  private readonly page: Database.Statement<unknown[]>;
  private readonly firstPage: Database.Statement<unknown[]>;
  /** The aggregate page reader (DER stored as BLOB in a UTF-8 database) and its first-page twin, else null. */
  private batch: { page: Database.Statement<unknown[]>; first: Database.Statement<unknown[]> } | null;
  private readonly nextId: Database.Statement<[number]>;
  private readonly details: Database.Statement<[RowKey]>;
  private readonly bounds: Database.Statement<[]>;
  private rowById: Database.Statement<[RowKey]> | null = null;
  private readonly orders: OrderTableMapping;
  private serialIndex: { index: SerialIndex; orders: OrderStore } | null = null;
  private pageOrders: OrderStore | null = null;
  private readonly mapping: CertificateTableMapping;
  private readonly pageSize: number;
  /** Planning statements by their SQL (a walk needs one per combination of bounds). */
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();

  /** The audit filter's values, after the key bounds in every page query. */
  private readonly filterValues: SqlValue[];

  private constructor(path: string, db: Database.Database, config: ScanConfig['database'], keyKind: KeyKind, filter?: RowFilter) {
    this.path = path;
    this.db = db;
    this.keyKind = keyKind;
    this.mapping = config.certificates;
    this.orders = config.orders;
    this.pageSize = config.pageSize;
    this.pageQuery = buildPageQuery(config.certificates, config.orders, filter);
    this.filterValues = filterSql(SQLITE, config.certificates, config.orders, filter, 2).values;
    this.page = db.prepare<unknown[]>(this.pageQuery).raw(true) as Database.Statement<unknown[]>;
    this.firstPage = db.prepare<unknown[]>(buildPageQuery(config.certificates, config.orders, filter, false)).raw(true) as Database.Statement<unknown[]>;
    // group_concat passes BLOB bytes through unchanged only when the database text is UTF-8.
    const utf8 = String(db.pragma('encoding', { simple: true })).toUpperCase() === 'UTF-8';
    const batchOf = (lower: boolean) => db.prepare<unknown[]>(buildBatchQuery(config.certificates, config.orders, filter, lower)).raw(true) as Database.Statement<unknown[]>;
    this.batch = config.certificates.derEncoding === 'blob' && utf8 ? { page: batchOf(true), first: batchOf(false) } : null;
    this.details = db.prepare<[RowKey]>(buildDetailsQuery(config.certificates, config.orders)).raw(true) as Database.Statement<[RowKey]>;
    const table = quote(config.certificates.table);
    const id = quote(config.certificates.columns.id);
    this.nextId = db.prepare<[number]>(`SELECT ${id} FROM ${table} WHERE ${id} > ? ORDER BY ${id} LIMIT 1`).pluck();
    // Two subqueries: SQLite reads min() or max() alone off the index, but both in one aggregate scan the table.
    this.bounds = db.prepare<[]>(`SELECT (SELECT min(${id}) FROM ${table}), (SELECT max(${id}) FROM ${table})`).raw(true) as Database.Statement<[]>;
  }

  /** Opens read-only and checks that the mapped tables and columns exist, naming what is missing. */
  static open(path: string, config: ScanConfig['database'], filter?: RowFilter): IssuanceDatabase {
    const absolute = resolve(path);
    if (!existsSync(absolute)) throw new OperationalError(`database not found: ${path}`);
    if (!statSync(absolute).isFile()) throw new OperationalError(`database is not a file: ${path}`);
    let db: Database.Database;
    try {
      // readonly: certscan never writes to a CA's database. fileMustExist: never create one.
      db = new Database(absolute, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw new OperationalError(`cannot open database ${path}: ${(error as Error).message}`);
    }
    try {
      const checked = checkSchema(db, path, config);
      const keyKind = checkRowKey(db, config.certificates);
      return new IssuanceDatabase(absolute, db, checked, keyKind, filter);
    } catch (error) {
      db.close();
      if (error instanceof OperationalError) throw error;
      throw new OperationalError(`database ${path}: ${(error as Error).message}`);
    }
  }

  private statement(sql: string): Database.Statement<unknown[]> {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare<unknown[]>(sql)));
    return statement;
  }

  /** The first key value of `sql` (a planning query) with these key bounds and trailing values. */
  private keyOf(sql: string, values: unknown[]): RowKey | null {
    const value = this.statement(sql).pluck().get(...values) as unknown;
    return value === null || value === undefined ? null : toRowKey(value, this.keyKind);
  }

  /**
   * Splits the table into id ranges of at most pageSize rows, none empty; workers then read their
   * own ranges. Integer ids: from the next id present (one index probe, `WHERE id > ? ORDER BY id
   * LIMIT 1`), the next pageSize ids; dense ids give full pages, gaps smaller ones. Other keys
   * (text): a keyset walk (`LIMIT 1 OFFSET pageSize - 1`) in the key's SQL order.
   */
  *ranges(pageSize: number, afterId: RowKey | null = null, throughId: RowKey | null = null): Generator<IdRange> {
    let cursor = afterId;
    if (this.keyKind === 'integer') {
      let at = cursor === null ? Number.MIN_SAFE_INTEGER : Number(cursor);
      const through = throughId === null ? Number.MAX_SAFE_INTEGER : Number(throughId);
      for (;;) {
        const next = this.nextId.get(at) as number | null | undefined;
        if (next === null || next === undefined || Number(next) > through) return;
        if (!Number.isSafeInteger(Number(next))) break;
        const lastId = Math.min(Number(next) + pageSize - 1, through);
        yield { afterId: cursor, lastId };
        cursor = at = lastId;
      }
    }
    yield* walkKeys(pageSize, cursor, throughId, quote(this.mapping.columns.id), quote(this.mapping.table), (sql, values) => this.keyOf(sql, values));
  }

  /**
   * `count` contiguous parts of about equal rows for `--shard K/N`: the last key of each part, in
   * key order (fewer when the table has fewer rows), computed in SQL with NTILE.
   */
  keyQuantiles(count: number): RowKey[] {
    return (this.statement(quantilesQuery(quote(this.mapping.columns.id), quote(this.mapping.table), count)).raw(true).all() as unknown[][]).map((row) => toRowKey(row[0], this.keyKind));
  }

  /**
   * For CT and file sources: the vetted orders in shared memory (one pass over the orders table),
   * so that joining a log entry with its order needs no query.
   */
  buildOrderStore(): OrderStore {
    const o = this.orders.columns;
    const fields = orderFieldColumns(o);
    const mapped = fields.map((name) => name !== null);
    const columns = [o.id, ...fields.map(selectedColumn)].map((name) => (name ? quote(name) : 'NULL')).join(', ');
    const organization = selectedColumn(o.organization);
    const table = quote(this.orders.table);
    const key = quote(o.id);
    // Sizes: the keys and organizations (stored as they come) bound the bytes; repeating values
    // are stored once, and the arrays grow if they must.
    const [orders, bytes] = this.db
      .prepare(`SELECT count(*), coalesce(sum(length(CAST(${key} AS BLOB))), 0) + ${organization ? `coalesce(sum(length(CAST(${quote(organization)} AS BLOB))), 0)` : '0'} FROM ${table}`)
      .raw(true)
      .get() as [number, number];
    const expected = { orders: Number(orders), bytes: Number(bytes) + (1 << 16) };
    if (this.orderKeyIsUnique()) {
      try {
        return OrderStore.build(orderFieldValues(this.orderPagesAsJson(columns, table, key), fields), mapped, expected);
      } catch (error) {
        // A BLOB value, which JSON cannot carry: read row by row.
        if (!(error instanceof Database.SqliteError)) throw error;
      }
    }
    return OrderStore.build(orderFieldValues(this.db.prepare(`SELECT ${columns} FROM ${table}`).raw(true).iterate() as Iterable<unknown[]>, fields), mapped, expected);
  }

  /**
   * Whether the orders key has a unique index of its own (or is the INTEGER PRIMARY KEY): then the
   * orders can be read in key order, a page at a time, without skipping or repeating one.
   */
  private orderKeyIsUnique(): boolean {
    return isUniqueKey(this.db, this.orders.table, this.orders.columns.id);
  }

  /**
   * The orders in key order, ORDERS_PAGE at a time, each page one JSON string (reading rows
   * one by one cost about three times as much). Keys are unique (orderKeyIsUnique), so `key > last`
   * neither skips nor repeats an order; NULL keys, which never join, are left out.
   */
  private *orderPagesAsJson(columns: string, table: string, key: string): Generator<unknown[]> {
    const page = (where: string) =>
      this.db.prepare(`SELECT json_group_array(json_array(${columns})) FROM (SELECT ${columns} FROM ${table} WHERE ${where} ORDER BY ${key} LIMIT ${ORDERS_PAGE})`).pluck();
    const first = page(`${key} IS NOT NULL`);
    const next = page(`${key} > ?`);
    let rows = JSON.parse(first.get() as string) as unknown[][];
    for (;;) {
      yield* rows;
      if (rows.length < ORDERS_PAGE) return;
      rows = JSON.parse(next.get(rows[rows.length - 1]![0]) as string) as unknown[][];
    }
  }

  /**
   * For CT and file sources: the serial index entries of the certificates with ids in the range
   * (by default all), read in one pass over (id, serial, order id); the CA's database stays
   * read-only. Workers read the parts of a large table side by side (SerialIndex.over and
   * insertPart join them into one hash table).
   */
  buildSerialIndexPart(range: IdRange = { afterId: Number.MIN_SAFE_INTEGER, lastId: Number.MAX_SAFE_INTEGER }): SharedSerialIndexPart {
    const c = this.mapping.columns;
    if (this.keyKind !== 'integer') refuseTextKeyIndex(this.mapping.table, c.id);
    const afterId = range.afterId === null ? Number.MIN_SAFE_INTEGER : Number(range.afterId);
    const lastId = Number(range.lastId);
    const table = quote(this.mapping.table);
    // The id span sizes the arrays without counting rows (count(*) reads the whole table); sparse
    // ids are capped, and the arrays grow if they must.
    const bounds = this.idBounds();
    const span = bounds ? Math.min(bounds.max, lastId) - Math.max(bounds.min - 1, afterId) : 0;
    const expected = Math.max(0, Math.min(span, 1 << 24));
    const page = this.db
      .prepare<[number, number, number]>(
        `SELECT ${quote(c.id)}, ${quote(c.serial)}, ${c.orderId ? quote(c.orderId) : 'NULL'} FROM ${table} WHERE ${quote(c.id)} > ? AND ${quote(c.id)} <= ? ORDER BY ${quote(c.id)} LIMIT ?`,
      )
      .raw(true);
    const encoding = this.mapping.serialEncoding;
    return buildSerialIndexPart(expected, (add) => {
      for (let after = afterId; ; ) {
        const rows = page.all(after, lastId, 10_000) as Array<[number, unknown, unknown]>;
        for (const [id, serial, orderId] of rows) {
          // Most hex serials need no normalizing: the part reads either case and leading zeros.
          if (encoding === 'hex' && typeof serial === 'string' && add(Number(id), serial, orderId)) continue;
          const key = serialKey(serial, encoding);
          if (key !== null) add(Number(id), key, orderId);
        }
        if (rows.length < 10_000) return;
        after = Number(rows[rows.length - 1]![0]);
      }
    });
  }

  /** Uses a serial index (its parts read here or on other threads) and its order store. */
  attachSerialIndex(index: SerialIndex, orders: OrderStore): void {
    this.serialIndex = { index, orders };
    // Rows whose order the store cannot resolve are read with the page query's join, one by one.
    this.rowById = this.db
      .prepare<[RowKey]>(
        [
          `SELECT ${rowColumns(SQLITE, this.mapping, this.orders, { der: 'NULL', details: false }).join(', ')}`,
          ...rowSources(SQLITE, this.mapping, this.orders, { orders: true, revocation: false, der: false }),
          `WHERE c.${quote(this.mapping.columns.id)} = ?`,
        ].join('\n'),
      )
      .raw(true) as Database.Statement<[RowKey]>;
  }

  /**
   * The database row of a serial given as the DER INTEGER content bytes[start, end) (the lowest id
   * where a serial repeats), or null when the database has none.
   */
  lookupSerial(bytes: Uint8Array, start: number, end: number): SourceRowMeta | null {
    const rowById = this.rowById;
    if (!this.serialIndex || !rowById) throw new Error('attachSerialIndex first');
    return lookupInSerialIndex(this.serialIndex, bytes, start, end, (ref) => {
      const row = rowById.get(ref) as RawRow | undefined;
      const meta = row ? this.toRowMeta(row) : { ref, orderId: null, order: null };
      // Orders from their own source hold text keys: an integer order id is looked up as text.
      if (this.orders.source !== null) joinWithStore([meta], this.serialIndex!.orders);
      return meta;
    });
  }

  /** The first and last issued_at of the rows afterId < id <= throughId, as stored. */
  issuedAtWindow(afterId: RowKey | null, throughId: RowKey): { from: string | null; to: string | null } {
    const c = this.mapping.columns;
    const [from, to] = this.db
      .prepare(`SELECT min(${quote(c.issuedAt)}), max(${quote(c.issuedAt)}) FROM ${quote(this.mapping.table)} WHERE ${keyCondition(quote(c.id), afterId !== null, true)}`)
      .raw(true)
      .get(...keyValues(afterId, throughId)) as [unknown, unknown];
    return { from: toIsoTime(from, this.mapping.timeEncoding), to: toIsoTime(to, this.mapping.timeEncoding) };
  }

  /**
   * SQLite's page cache for this connection, in KiB (SQLite's default here is 16 MB): it counts in
   * peak RSS, and a connection that streams through the table gains nothing from a large one.
   */
  setCacheSize(kib: number): void {
    this.db.pragma(`cache_size = -${Math.max(64, Math.floor(kib))}`);
  }

  /** Smallest and largest integer id, for progress; null on an empty table or a text key. */
  idBounds(): { min: number; max: number } | null {
    if (this.keyKind !== 'integer') return null;
    const [min, max] = this.bounds.get() as [number | null, number | null];
    return min === null || max === null ? null : { min: Number(min), max: Number(max) };
  }

  /** The rows with afterId < id <= lastId, in id order. */
  readRange(range: IdRange): SourceRow[] {
    const rows =
      (this.batch ? this.readBatch(range) : null) ??
      ((range.afterId === null && this.keyKind === 'text' ? this.firstPage.all(range.lastId, ...this.filterValues) : this.page.all(this.lowerBound(range), range.lastId, ...this.filterValues)) as RawRow[]).map((row) => this.toSourceRow(row));
    if (this.pageOrders) joinWithStore(rows, this.pageOrders);
    return rows;
  }

  /** An integer key's first page starts below every id; a text key's has its own query (firstPage). */
  private lowerBound(range: IdRange): RowKey {
    return range.afterId ?? Number.MIN_SAFE_INTEGER;
  }

  /** Orders from an export (--orders): each page's rows are joined with them here, not in SQL. */
  joinPagesWith(orders: OrderStore): void {
    this.pageOrders = orders;
  }

  /**
   * readRange through the aggregate query; null when its bytes do not add up (a DER column holding
   * non-ASCII text, say), and the page is then read row by row.
   */
  private readBatch(range: IdRange): SourceRow[] | null {
    let result: [Buffer | null, string];
    try {
      const first = range.afterId === null && this.keyKind === 'text';
      result = (first ? this.batch!.first.get(range.lastId, ...this.filterValues) : this.batch!.page.get(this.lowerBound(range), range.lastId, ...this.filterValues)) as [Buffer | null, string];
    } catch {
      // e.g. an order column holding a BLOB, which JSON cannot carry: read row by row from now on.
      this.batch = null;
      return null;
    }
    const [concatenated, json] = result;
    const raw = JSON.parse(json) as RawRow[];
    const bytes = concatenated ?? Buffer.alloc(0);
    const rows: SourceRow[] = new Array<SourceRow>(raw.length);
    let offset = 0;
    let ordered = true;
    for (let index = 0; index < raw.length; index++) {
      const row = raw[index]!;
      const length = row[2] === null ? 0 : Number(row[2]);
      row[2] = bytes.subarray(offset, offset + length);
      offset += length;
      rows[index] = this.toSourceRow(row);
      if (index > 0 && rows[index]!.ref < rows[index - 1]!.ref) ordered = false;
    }
    if (offset !== bytes.length) return null;
    // SQLite's BINARY collation orders ASCII text as JavaScript does.
    return ordered ? rows : rows.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  }

  /** Serial, issue and revocation data of one row (read for affected rows only). */
  readDetails(ref: RowKey): RowDetails {
    const [serial, issuedAt, revokedAt, reason, status] = (this.details.get(ref) as unknown[] | undefined) ?? [null, null, null, null, null];
    return rowDetailsWithProblems(this.mapping, ref, { serial, issuedAt, revokedAt, reason, status });
  }

  private toSourceRow(row: RawRow): SourceRow {
    const sourceRow: SourceRow = { ref: toRowKey(row[0], this.keyKind), orderId: asText(row[1]), der: toDer(row[2], this.mapping.derEncoding), order: this.orderOf(row) };
    return withRecordedSerial(sourceRow, row[RAW_ROW_COLUMNS], this.mapping);
  }

  /** The row without its DER (CT entries carry their own). */
  private toRowMeta(row: RawRow): SourceRowMeta {
    return { ref: toRowKey(row[0], this.keyKind), orderId: asText(row[1]), order: this.orderOf(row) };
  }

  private orderOf(row: RawRow): OrderRecord | null {
    return orderOfRow(this.orders, row);
  }

  describe(): SourceDescription {
    const file = statSync(this.path);
    return {
      kind: 'sqlite',
      path: this.path,
      databaseFile: { bytes: file.size, modifiedAt: file.mtime.toISOString() },
      certificatesTable: this.mapping.table,
      pageQuery: this.pageQuery,
      pageSize: this.pageSize,
    };
  }

  /** The rows of a read-only query, as arrays (the duplicate-serial search, database/duplicate_serials.ts). */
  queryRows(sql: string, parameters: ReadonlyArray<string | number>): unknown[][] {
    return this.db.prepare(sql).raw(true).all(...parameters) as unknown[][];
  }

  /** Rows in the certificates table, whatever their ids. */
  rowCount(): number {
    return Number(this.db.prepare(`SELECT count(*) FROM ${quote(this.mapping.table)}`).pluck().get());
  }

  /** The DER column of the first row, as stored (see derEncodingOf). */
  firstStoredDer(): unknown {
    return this.db.prepare(`SELECT ${derExpression(this.mapping, quote)} FROM ${quote(this.mapping.table)} AS c ${derJoin(this.mapping, quote).join(' ')} LIMIT 1`).pluck().get();
  }

  close(): void {
    this.db.close();
  }
}

/** Whether a column has a unique index of its own, or is the table's rowid (INTEGER PRIMARY KEY). */
function isUniqueKey(db: Database.Database, table: string, column: string): boolean {
  const key = column.toLowerCase();
  if (key === 'rowid') return true;
  const tableInfo = db.prepare('SELECT name, type, pk FROM pragma_table_info(?)').all(table) as Array<{ name: string; type: string; pk: number }>;
  const primary = tableInfo.filter((info) => info.pk > 0);
  if (primary.length === 1 && primary[0]!.name.toLowerCase() === key && primary[0]!.type.toUpperCase() === 'INTEGER') return true;
  const indexes = db.prepare('SELECT name, "unique", partial FROM pragma_index_list(?)').all(table) as Array<{ name: string; unique: number; partial: number }>;
  return indexes.some((index) => {
    if (index.unique !== 1 || index.partial !== 0) return false;
    const indexColumns = db.prepare('SELECT name FROM pragma_index_info(?)').pluck().all(index.name) as Array<string | null>;
    return indexColumns.length === 1 && indexColumns[0]?.toLowerCase() === key;
  });
}

/**
 * The certificates' key must be unique (a view cannot say, and is trusted); its kind comes from
 * its declared type (rowid and INTEGER: integer arithmetic; TEXT and others: a keyset walk), or,
 * for a view's expression, from its first value.
 */
function checkRowKey(db: Database.Database, certificates: CertificateTableMapping): KeyKind {
  const { table } = certificates;
  const id = certificates.columns.id;
  const isView = db.prepare(`SELECT type FROM sqlite_master WHERE lower(name) = lower(?)`).pluck().get(table) === 'view';
  if (!isView && !isUniqueKey(db, table, id)) refuseNonUniqueKey(table, id);
  if (id.toLowerCase() === 'rowid') return 'integer';
  const declared = (db.prepare('SELECT name, type FROM pragma_table_info(?)').all(table) as Array<{ name: string; type: string }>).find((column) => column.name.toLowerCase() === id.toLowerCase())?.type;
  const kind = keyKindOfType(declared);
  if (kind) return kind;
  const sample = db.prepare(`SELECT ${quote(id)} FROM ${quote(table)} WHERE ${quote(id)} IS NOT NULL LIMIT 1`).pluck().get();
  return typeof sample === 'string' || !isIntegerKey(sample) ? (sample === undefined ? 'integer' : 'text') : 'integer';
}

function checkSchema(db: Database.Database, path: string, config: ScanConfig['database']): ScanConfig['database'] {
  const tables = new Set(
    (db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view')`).pluck().all() as string[]).map((name) => name.toLowerCase()),
  );
  const columnsOf = (table: string) =>
    tables.has(table.toLowerCase()) ? new Set((db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).map((name) => name.toLowerCase())) : null;
  return checkMappedSchema(config, path, columnsOf);
}

/** The mapped columns that `present` (lower-case names) lacks, each named with its config key. */
export function missingColumns(columns: Record<string, string | null>, key: string, present: ReadonlySet<string>): string[] {
  return Object.entries(columns)
    .filter(([, column]) => column !== null && column.toLowerCase() !== 'rowid' && !present.has(column.toLowerCase()))
    .map(([field, column]) => `"${column}" (${key}.columns.${field})`);
}

/**
 * An optional order field left at its default column, which the table does not have, is read as
 * not kept (null): a CA's table without the issue #15 columns keeps working and the checks on
 * them do not apply. A column the config names explicitly must exist, as every required one.
 */
export function withoutAbsentOptionalColumns(orders: OrderTableMapping, present: ReadonlySet<string>): OrderTableMapping {
  let columns: OrderTableMapping['columns'] | null = null;
  for (const field of ORDER_FIELDS) {
    const column = orders.columns[field.name];
    if (!OPTIONAL_ORDER_FIELDS.has(field.name) || column !== field.column || present.has(field.column.toLowerCase())) continue;
    columns ??= { ...orders.columns };
    columns[field.name] = null;
  }
  return columns ? { ...orders, columns } : orders;
}

/** Joins rows with an order store by their order id (a key it does not hold once: no order). */
export function joinWithStore(rows: SourceRowMeta[], orders: OrderStore): void {
  for (const row of rows) {
    const ordinal = row.orderId === null ? OrderStore.NOT_FOUND : orders.ordinalOf(row.orderId);
    row.order = ordinal === OrderStore.NOT_FOUND ? null : orders.record(ordinal);
  }
}

/** The order joined to a row, or null when the row has none. */
export function orderOfRow(orders: OrderTableMapping, row: RawRow): OrderRecord | null {
  const oId = row[3];
  if (oId === null || oId === undefined) return null;
  // A field the CA's database does not keep stays undefined: nothing to compare it with.
  for (let position = 0; position < ORDER_FIELD_NAMES.length; position++) {
    const column = orders.columns[ORDER_FIELD_NAMES[position]!];
    rowFieldValues[position] = column === null || column === undefined ? undefined : (orderFieldValue(column, row[ORDER_FIELDS_AT + position]) ?? null);
  }
  return orderRecord(String(oId), rowFieldValues);
}

/** orderOfRow's scratch values (this runs per row). */
const rowFieldValues = new Array<string | null | undefined>(ORDER_FIELD_NAMES.length);

/**
 * The row of a serial (DER INTEGER content bytes[start, end)) from the serial index and order
 * store, or null; a row whose order the store could not resolve is read by `readUnresolved`.
 */
export function lookupInSerialIndex(
  serialIndex: { index: SerialIndex; orders: OrderStore },
  bytes: Uint8Array,
  start: number,
  end: number,
  readUnresolved: (ref: number) => SourceRowMeta,
): SourceRowMeta | null {
  const { index } = serialIndex;
  const entry = index.find(bytes, start, end);
  if (entry === -1) return null;
  const ref = index.idOf(entry);
  const orderRef = index.orderRefOf(entry);
  if (orderRef === NO_ORDER_ID) return { ref, orderId: null, order: null };
  if (orderRef !== ORDER_UNRESOLVED) {
    const order = serialIndex.orders.record(orderRef);
    return { ref, orderId: order.id, order };
  }
  return readUnresolved(ref);
}
