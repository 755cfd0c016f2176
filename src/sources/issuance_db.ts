// The CA's issuance database (SQLite), opened read-only and read in keyset pages.
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CertificateTableMapping, OrderFieldColumn, OrderTableMapping, ScanConfig, TimeEncoding } from '../config.js';
import { OperationalError } from '../errors.js';
import { readPemCertificates } from '../decode/pem.js';
import type { OrderRecord, RowDetails, RowKey, SourceDescription, SourceRow, SourceRowMeta } from './types.js';
import { normalizeSerialHex } from './ct/entries.js';
import { NO_ORDER_ID, ORDER_UNRESOLVED, buildSerialIndexPart, type SerialIndex, type SharedSerialIndexPart } from './serial_index.js';
import { OrderStore } from './order_store.js';
import { OPTIONAL_ORDER_FIELDS, ORDER_FIELDS, ORDER_FIELD_NAMES, orderFieldColumns, orderRecord } from './order_fields.js';
import { hasReplacementCharacter, rowDetailsWithProblems, withRecordedSerial } from './database/row_values.js';
import { filterSql, keyValues, quantilesQuery, walkQueries, type PrecertificateShard } from './database/page_sql.js';
import { checkMappedSchema } from './database/mapped_schema.js';
import type { SqlValue } from './database/dialect.js';
import { SQLITE, sqliteCertificateQueries, sqliteOrderQueries, sqliteSchema, type PagedQuery, type SqliteCertificateQueries } from './database/sqlite_dialect.js';
import { isIntegerKey, keyKindOfType, refuseNonUniqueKey, toRowKey, type KeyKind } from './database/row_key.js';
import { orderFieldValue, orderFieldValues } from './order_columns.js';

const quote = SQLITE.quote;

/** A slice of the certificates table: afterId < id <= lastId (afterId null: from the first key). */
export interface IdRange {
  afterId: RowKey | null;
  lastId: RowKey;
}

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
  // Node's base64 decoder skips whitespace (line breaks of stored or server-encoded base64) itself.
  return Buffer.from(text, 'base64');
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
  /** Every statement's SQL (SQLite's dialect spells them; this class prepares and reads them). */
  private readonly sql: SqliteCertificateQueries;
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
    const sql = (this.sql = sqliteCertificateQueries(config.certificates, config.orders, filter));
    this.pageQuery = sql.page.lower;
    this.filterValues = filterSql(SQLITE, config.certificates, config.orders, filter, 2).values;
    const rows = (text: string) => db.prepare<unknown[]>(text).raw(true) as Database.Statement<unknown[]>;
    this.page = rows(sql.page.lower);
    this.firstPage = rows(sql.page.first);
    const paged = (query: PagedQuery) => ({ page: rows(query.lower), first: rows(query.first) });
    this.batch = config.certificates.derEncoding === 'blob' && sqliteSchema.textIsUtf8(db) ? paged(sql.batch) : null;
    this.details = rows(sql.details) as Database.Statement<[RowKey]>;
    this.nextId = db.prepare<[number]>(sql.nextId).pluck();
    this.bounds = rows(sql.bounds) as Database.Statement<[]>;
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
    const fields = orderFieldColumns(this.orders.columns);
    const mapped = fields.map((name) => name !== null);
    const sql = sqliteOrderQueries(this.orders, ORDERS_PAGE);
    // Sizes: the keys and organizations (stored as they come) bound the bytes; repeating values
    // are stored once, and the arrays grow if they must.
    const [orders, bytes] = this.db.prepare(sql.sizes).raw(true).get() as [number, number];
    const expected = { orders: Number(orders), bytes: Number(bytes) + (1 << 16) };
    if (this.orderKeyIsUnique()) {
      try {
        return OrderStore.build(orderFieldValues(this.orderPagesAsJson(sql.firstPage, sql.nextPage), fields), mapped, expected);
      } catch (error) {
        // A BLOB value, which JSON cannot carry: read row by row.
        if (!(error instanceof Database.SqliteError)) throw error;
      }
    }
    return OrderStore.build(orderFieldValues(this.db.prepare(sql.all).raw(true).iterate() as Iterable<unknown[]>, fields), mapped, expected);
  }

  /**
   * Whether the orders key has a unique index of its own (or is the INTEGER PRIMARY KEY): then the
   * orders can be read in key order, a page at a time, without skipping or repeating one.
   */
  private orderKeyIsUnique(): boolean {
    return sqliteSchema.isUniqueKey(this.db, this.orders.table, this.orders.columns.id);
  }

  /**
   * The orders in key order, ORDERS_PAGE at a time, each page one JSON string (reading rows
   * one by one cost about three times as much). Keys are unique (orderKeyIsUnique), so `key > last`
   * neither skips nor repeats an order; NULL keys, which never join, are left out.
   */
  private *orderPagesAsJson(firstPage: string, nextPage: string): Generator<unknown[]> {
    const first = this.db.prepare(firstPage).pluck();
    const next = this.db.prepare(nextPage).pluck();
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
  buildSerialIndexPart(range: IdRange = this.wholeTable()): SharedSerialIndexPart {
    const integer = this.keyKind === 'integer';
    const lastId = integer ? Number(range.lastId) : range.lastId;
    // The id span sizes the arrays without counting rows (count(*) reads the whole table); sparse
    // ids are capped, and the arrays grow if they must (a text key has no span: they grow).
    const bounds = this.idBounds();
    const span = bounds ? Math.min(bounds.max, Number(lastId)) - Math.max(bounds.min - 1, Number(range.afterId ?? Number.MIN_SAFE_INTEGER)) : 0;
    const expected = Math.max(0, Math.min(span, 1 << 24));
    // An integer key's first page starts below every id; a text key's has no lower bound.
    const page = this.db.prepare<RowKey[]>(this.sql.serialIndexPage(true)).raw(true);
    const firstPage = integer ? page : this.db.prepare<RowKey[]>(this.sql.serialIndexPage(false)).raw(true);
    const encoding = this.mapping.serialEncoding;
    return buildSerialIndexPart(
      expected,
      (add) => {
        for (let after = range.afterId ?? (integer ? Number.MIN_SAFE_INTEGER : null); ; ) {
          const rows = (after === null ? firstPage.all(lastId, 10_000) : page.all(after, lastId, 10_000)) as Array<[unknown, unknown, unknown]>;
          for (const [stored, serial, orderId] of rows) {
            const id = toRowKey(stored, this.keyKind);
            // Most hex serials need no normalizing: the part reads either case and leading zeros.
            if (encoding === 'hex' && typeof serial === 'string' && add(id, serial, orderId)) continue;
            const key = serialKey(serial, encoding);
            if (key !== null) add(id, key, orderId);
          }
          if (rows.length < 10_000) return;
          after = toRowKey(rows[rows.length - 1]![0], this.keyKind);
        }
      },
      this.keyKind,
    );
  }

  /** The range of every row: through the largest integer, or a text key's last key (an empty table: through ''). */
  private wholeTable(): IdRange {
    return { afterId: null, lastId: this.keyKind === 'integer' ? Number.MAX_SAFE_INTEGER : (this.keyQuantiles(1)[0] ?? '') };
  }

  /** Uses a serial index (its parts read here or on other threads) and its order store. */
  attachSerialIndex(index: SerialIndex, orders: OrderStore): void {
    this.serialIndex = { index, orders };
    // Rows whose order the store cannot resolve are read with the page query's join, one by one.
    this.rowById = this.db.prepare<[RowKey]>(this.sql.rowById).raw(true) as Database.Statement<[RowKey]>;
  }

  /**
   * The database row of a serial given as the DER INTEGER content bytes[start, end) (the lowest id
   * where a serial repeats), or null when the database has none.
   */
  lookupSerial(bytes: Uint8Array, start: number, end: number): SourceRowMeta | null {
    const rowById = this.rowById;
    if (!this.serialIndex || !rowById) throw new Error('attachSerialIndex first');
    // A text key (EJBCA's fingerprint) is bound as text, an integer key as a number.
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
    const [from, to] = this.db
      .prepare(this.sql.issuedAtWindow(afterId !== null))
      .raw(true)
      .get(...keyValues(afterId, throughId)) as [unknown, unknown];
    return { from: toIsoTime(from, this.mapping.timeEncoding), to: toIsoTime(to, this.mapping.timeEncoding) };
  }

  /**
   * SQLite's page cache for this connection, in KiB (SQLite's default here is 16 MB): it counts in
   * peak RSS, and a connection that streams through the table gains nothing from a large one.
   */
  setCacheSize(kib: number): void {
    sqliteSchema.setCacheSize(this.db, kib);
  }

  /** Smallest and largest integer id, for progress; null on an empty table or a text key. */
  idBounds(): { min: number; max: number } | null {
    if (this.keyKind !== 'integer') return null;
    const [min, max] = this.bounds.get() as [number | null, number | null];
    return min === null || max === null ? null : { min: Number(min), max: Number(max) };
  }

  /** The rows with afterId < id <= lastId, in id order. */
  readRange(range: IdRange): SourceRow[] {
    return this.readPage(range).rows;
  }

  /**
   * readRange, and whether the page's text showed that no order field of its rows holds U+FFFD
   * (bytes that were not UTF-8): then no row needs that looked for field by field (about 1 µs a row).
   */
  readPage(range: IdRange): { rows: SourceRow[]; ordersReadable: boolean } {
    const batch = this.batch ? this.readBatch(range) : null;
    const rows =
      batch?.rows ??
      ((range.afterId === null && this.keyKind === 'text' ? this.firstPage.all(range.lastId, ...this.filterValues) : this.page.all(this.lowerBound(range), range.lastId, ...this.filterValues)) as RawRow[]).map((row) => this.toSourceRow(row));
    // Orders joined from a store did not come with the page's text.
    if (this.pageOrders) {
      joinWithStore(rows, this.pageOrders);
      return { rows, ordersReadable: false };
    }
    return { rows, ordersReadable: batch?.textReadable ?? false };
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
   * non-ASCII text, say), and the page is then read row by row. `textReadable`: the page's JSON,
   * every order field in it, holds no U+FFFD (one search of the page, not one of each field).
   */
  private readBatch(range: IdRange): { rows: SourceRow[]; textReadable: boolean } | null {
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
    if (!ordered) rows.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
    return { rows, textReadable: !hasReplacementCharacter(json) };
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
    return Number(this.db.prepare(this.sql.rowCount).pluck().get());
  }

  /** The DER column of the first row, as stored (see derEncodingOf). */
  firstStoredDer(): unknown {
    return this.db.prepare(this.sql.firstStoredDer).pluck().get();
  }

  close(): void {
    this.db.close();
  }
}

/**
 * The certificates' key must be unique (a view cannot say, and is trusted); its kind comes from
 * its declared type (rowid and INTEGER: integer arithmetic; TEXT and others: a keyset walk), or,
 * for a view's expression, from its first value.
 */
function checkRowKey(db: Database.Database, certificates: CertificateTableMapping): KeyKind {
  const { table } = certificates;
  const id = certificates.columns.id;
  if (!sqliteSchema.isView(db, table) && !sqliteSchema.isUniqueKey(db, table, id)) refuseNonUniqueKey(table, id);
  if (id.toLowerCase() === 'rowid') return 'integer';
  const declared = sqliteSchema.columns(db, table).find((column) => column.name.toLowerCase() === id.toLowerCase())?.type;
  const kind = keyKindOfType(declared);
  if (kind) return kind;
  const sample = sqliteSchema.firstValue(db, table, id);
  return typeof sample === 'string' || !isIntegerKey(sample) ? (sample === undefined ? 'integer' : 'text') : 'integer';
}

function checkSchema(db: Database.Database, path: string, config: ScanConfig['database']): ScanConfig['database'] {
  const tables = sqliteSchema.tableNames(db);
  const columnsOf = (table: string) => (tables.has(table.toLowerCase()) ? new Set(sqliteSchema.columns(db, table).map((column) => column.name.toLowerCase())) : null);
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
  const columns = columnsByPosition(orders);
  for (let position = 0; position < columns.length; position++) {
    const column = columns[position];
    rowFieldValues[position] = column === null || column === undefined ? undefined : (orderFieldValue(column, row[ORDER_FIELDS_AT + position]) ?? null);
  }
  return orderRecord(String(oId), rowFieldValues);
}

/** Each mapping's field columns in RawRow order, looked up once rather than by name for every row. */
const mappedColumns = new WeakMap<OrderTableMapping, ReadonlyArray<OrderFieldColumn | undefined>>();

function columnsByPosition(orders: OrderTableMapping): ReadonlyArray<OrderFieldColumn | undefined> {
  let columns = mappedColumns.get(orders);
  if (!columns) {
    columns = ORDER_FIELD_NAMES.map((name) => orders.columns[name]);
    mappedColumns.set(orders, columns);
  }
  return columns;
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
  readUnresolved: (ref: RowKey) => SourceRowMeta,
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
