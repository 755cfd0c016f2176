// A database server (PostgreSQL, MariaDB / MySQL) as a DatabaseSource: the same keyset pages, order
// join and filters as the SQLite reader, written through the engine's Dialect, in a read-only
// transaction. A connection lost mid-scan is reopened and the page read again, a few times.
import type { ScanConfig } from '../../config.js';
import { OperationalError } from '../../errors.js';
import { RAW_ROW_COLUMNS, asText, lookupInSerialIndex, orderOfRow, serialKey, toDer, toIsoTime, joinWithStore, type IdRange, type RawRow, type RowFilter } from '../issuance_db.js';
import { orderFieldColumns } from '../order_fields.js';
import { OrderStore, OrderStoreBuilder } from '../order_store.js';
import { derExpression, derJoin } from './der_column.js';
import { filterSql, keyCondition, keyValues, quantilesQuery, rowColumns, rowSources, walkQueries } from './page_sql.js';
import { checkMappedSchema, mappedTables } from './mapped_schema.js';
import { readExternalOrders } from '../orders/external_orders.js';
import { isIntegerKey, keyKindOfType, refuseNonUniqueKey, toRowKey, type KeyKind } from './row_key.js';
import { rowDetailsWithProblems, withRecordedSerial } from './row_values.js';
import { orderFieldValues, selectedColumn } from '../order_columns.js';
import { buildSerialIndexPart, type SerialIndex, type SharedSerialIndexPart } from '../serial_index.js';
import type { RowDetails, RowKey, SourceDescription, SourceRow, SourceRowMeta } from '../types.js';
import type { DatabasePage, DatabaseSource } from './database_source.js';
import { oneLine, type Dialect, type ServerConnection, type SqlSyntax, type SqlValue } from './dialect.js';
import type { ServerLocation } from './location.js';
import { findDuplicateSerialRows, type DuplicateSerialRows } from './duplicate_serials.js';
import type { OtherTableQueries } from './other_table.js';

/** Attempts per query when the connection is lost, and the first wait (doubled each time). */
const ATTEMPTS = 4;
const FIRST_BACKOFF_MS = 250;

/** Where the report-only columns sit in a page row, after the RawRow columns. */
const DETAILS_AT = RAW_ROW_COLUMNS;

/** Rows per query when reading the orders and the serial index (CT and file scans), and per IN list. */
const INDEX_PAGE = 10_000;
const ROWS_BY_ID = 500;
/**
 * Orders per query while the order store is built: a page's rows are garbage once added, and
 * smaller pages keep less of it alive at once (measured at 200k orders: the planning thread's
 * peak RSS while building, 142 MB at 10,000 a page, 136 MB at 2,000; the queries cost no more).
 */
const ORDER_PAGE = 2_000;

/**
 * A timestamp column's value (a Date from PostgreSQL, `YYYY-MM-DD HH:MM:SS[.fff]` from MySQL, both
 * UTC) as ISO 8601 with milliseconds, as epoch columns are shown; text columns stay as stored.
 */
function isoText(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value)) {
    const date = new Date(`${value.replace(' ', 'T')}Z`);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  }
  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ServerDatabase implements DatabaseSource {
  readonly engine: ServerLocation['engine'];
  readonly display: string;
  readonly pageQuery: string;
  /** How the certificates key pages: integer arithmetic, or a keyset walk over text. */
  readonly keyKind: KeyKind;
  private connection: ServerConnection | null;
  /** A mapped table or column name as the server stores it (PostgreSQL folds unquoted names to lower case), quoted. */
  private readonly q: (name: string) => string;
  /** The page query of a text key's first page: no lower bound. */
  private readonly firstPageQuery: string;
  private readonly unjoinedFirstPageQuery: string | null;
  private readonly nextIdQuery: string;
  private readonly boundsQuery: string;
  private readonly filterValues: SqlValue[];
  /** The page query's select list and join, without WHERE: rows by id for CT and file scans. */
  private readonly rowsSelect: string;
  private serialIndex: { index: SerialIndex; orders: OrderStore } | null = null;
  /** The page query without the orders join, and the orders it is joined with here (joinPagesWith). */
  private readonly unjoinedPageQuery: string | null;
  private pageOrders: OrderStore | null = null;
  /** How a page's DER column arrives: as mapped, or as base64 where the dialect reads a BLOB so (derAsBase64). */
  private readonly pageDerEncoding: ScanConfig['database']['certificates']['derEncoding'];
  /** CT and file scans: rows a lookup asked for and not yet fetched, and those fetched (full page rows). */
  private readonly wanted = new Set<RowKey>();
  private readonly fetched = new Map<RowKey, unknown[]>();

  private constructor(
    private readonly dialect: Dialect,
    private readonly location: ServerLocation,
    private readonly config: ScanConfig['database'],
    connection: ServerConnection,
    filter: RowFilter | undefined,
    schema: CheckedSchema,
  ) {
    this.engine = location.engine;
    this.display = location.display;
    this.connection = connection;
    this.keyKind = schema.keyKind;
    const q = (name: string) => dialect.quote(schema.names.get(name.toLowerCase()) ?? name);
    this.q = q;
    const { certificates, orders } = config;
    const table = q(certificates.table);
    const id = q(certificates.columns.id);
    const syntax: SqlSyntax = { quote: q, parameter: (index) => dialect.parameter(index) };
    const { conditions, values } = filterSql(syntax, certificates, orders, filter, 2);
    this.filterValues = values;
    const asBase64 = certificates.derEncoding === 'blob' ? dialect.derAsBase64 : undefined;
    const der = asBase64 ? asBase64(derExpression(certificates, q)) : derExpression(certificates, q);
    this.pageDerEncoding = asBase64 ? 'base64' : certificates.derEncoding;
    const columns = rowColumns(syntax, certificates, orders, { der, details: true });
    // Orders from an export (--orders) are joined from the order store, never in SQL.
    this.rowsSelect = [`SELECT ${columns.join(', ')}`, ...rowSources(syntax, certificates, orders, { orders: true, revocation: true, der: true })].join('\n');
    // The filter's parameters follow the key's two, or its one on a first page.
    const where = (lower: boolean) =>
      `WHERE ${[keyCondition(`c.${id}`, lower, true, (k) => dialect.parameter(k)), ...(lower ? conditions : filterSql(syntax, certificates, orders, filter, 1).conditions)].join(' AND ')}`;
    const page = (lower: boolean) => [this.rowsSelect, where(lower), `ORDER BY c.${id}`].join('\n');
    this.pageQuery = page(true);
    this.firstPageQuery = page(false);
    // Without the join, an audit's country filter could not be pushed into SQL: that one joins there.
    const unjoined = (lower: boolean) =>
      [
        `SELECT ${[certificates.columns.id, certificates.columns.orderId].map((name) => `c.${q(name)}`).join(', ')}, ${der}, ${columns.slice(DETAILS_AT).join(', ')}`,
        ...rowSources(syntax, certificates, orders, { orders: false, revocation: true, der: true }),
        where(lower),
        `ORDER BY c.${id}`,
      ].join('\n');
    this.unjoinedPageQuery = filter?.orderCountries?.length ? null : unjoined(true);
    this.unjoinedFirstPageQuery = filter?.orderCountries?.length ? null : unjoined(false);
    this.nextIdQuery = `SELECT ${id} FROM ${table} WHERE ${id} > ${dialect.parameter(1)} ORDER BY ${id} LIMIT 1`;
    this.boundsQuery = `SELECT (SELECT min(${id}) FROM ${table}), (SELECT max(${id}) FROM ${table})`;
  }

  /** Connects (in a read-only transaction) and checks that the mapped tables and columns are there. */
  static async open(dialect: Dialect, location: ServerLocation, config: ScanConfig['database'], filter: RowFilter | undefined, snapshot: string | null): Promise<ServerDatabase> {
    let connection: ServerConnection;
    try {
      connection = await dialect.connect(location, { statementTimeoutMs: config.statementTimeoutMs, snapshot });
    } catch (error) {
      throw new OperationalError(`cannot open ${dialect.engine} database ${location.display}: ${oneLine(error)}`);
    }
    let database: ServerDatabase | null = null;
    try {
      const schema = await checkSchema(connection, dialect, location, config);
      database = new ServerDatabase(dialect, location, schema.config, connection, filter, schema);
      return database;
    } catch (error) {
      // The key check may have reconnected: close whichever connection is open now.
      if (database) await database.close();
      else await connection.close();
      if (error instanceof OperationalError) throw error;
      throw new OperationalError(`database ${location.display}: ${oneLine(error)}`);
    }
  }

  /**
   * Runs a read; when the connection is lost (or a statement timed out) it reconnects and reads
   * again, up to ATTEMPTS times with doubling waits, then gives up with one line (exit 2).
   */
  private async read(what: string, sql: string, parameters: SqlValue[], eachRow?: (row: unknown[]) => unknown[]): Promise<unknown[][]> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.connection ??= await this.dialect.connect(this.location, { statementTimeoutMs: this.config.statementTimeoutMs });
        return await this.connection.query(sql, parameters, eachRow);
      } catch (error) {
        if (!this.dialect.isTransient(error)) throw new OperationalError(`database ${this.display}: ${what}: ${oneLine(error)}`);
        if (attempt >= ATTEMPTS) throw new OperationalError(`database ${this.display}: ${what} failed ${attempt} times, giving up: ${oneLine(error)}`);
        await this.connection?.close();
        this.connection = null;
        await sleep(FIRST_BACKOFF_MS * 2 ** (attempt - 1));
      }
    }
  }

  async *ranges(pageSize: number, afterId: RowKey | null = null, throughId: RowKey | null = null): AsyncGenerator<IdRange> {
    if (this.keyKind === 'integer') {
      // From the next id present (one index probe), the next pageSize ids: dense ids give full
      // pages, gaps smaller ones (as the SQLite reader plans integer ids).
      const through = throughId === null ? Number.MAX_SAFE_INTEGER : Number(throughId);
      for (let cursor = afterId === null ? Number.MIN_SAFE_INTEGER : Number(afterId); ; ) {
        const next = (await this.read('planning', this.nextIdQuery, [cursor]))[0]?.[0];
        if (next === null || next === undefined || Number(next) > through) return;
        const lastId = Math.min(Number(next) + pageSize - 1, through);
        yield { afterId: cursor, lastId };
        cursor = lastId;
      }
    }
    // Any other unique ordered key: a keyset walk in the server's order of the key.
    const id = this.q(this.config.certificates.columns.id);
    const table = this.q(this.config.certificates.table);
    const keyOf = async ({ sql, values }: { sql: string; values: RowKey[] }) => {
      const value = (await this.read('planning', sql, values))[0]?.[0];
      return value === null || value === undefined ? null : toRowKey(value, this.keyKind);
    };
    for (let cursor = afterId; ; ) {
      const { boundary, last } = walkQueries(id, table, cursor, throughId, pageSize, (k) => this.dialect.parameter(k));
      const lastId = (await keyOf(boundary)) ?? (await keyOf(last));
      if (lastId === null) return;
      yield { afterId: cursor, lastId };
      cursor = lastId;
    }
  }

  async keyQuantiles(count: number): Promise<RowKey[]> {
    const rows = await this.read('shard boundaries', quantilesQuery(this.q(this.config.certificates.columns.id), this.q(this.config.certificates.table), count), []);
    return rows.map((row) => toRowKey(row[0], this.keyKind));
  }

  /** A page row's DER (column 2) decoded as the row arrives: its text form then dies young. */
  private readonly decodeDer = (row: unknown[]): unknown[] => {
    row[2] = toDer(row[2], this.pageDerEncoding);
    return row;
  };

  /** The values of a page query: the key bounds (a text key's first page has none below), then the filter's. */
  private pageValues(range: IdRange): { values: SqlValue[]; first: boolean } {
    const first = range.afterId === null && this.keyKind === 'text';
    return { values: [...(first ? [] : [range.afterId ?? Number.MIN_SAFE_INTEGER]), range.lastId, ...this.filterValues], first };
  }

  async idBounds(): Promise<{ min: number; max: number } | null> {
    if (this.keyKind !== 'integer') return null;
    const [min, max] = (await this.read('id bounds', this.boundsQuery, []))[0] ?? [null, null];
    return min === null || max === null || min === undefined || max === undefined ? null : { min: Number(min), max: Number(max) };
  }

  async readPage(range: IdRange): Promise<DatabasePage> {
    const { values, first } = this.pageValues(range);
    if (this.pageOrders && this.unjoinedPageQuery && this.unjoinedFirstPageQuery) return this.readUnjoinedPage(range, this.pageOrders, first ? this.unjoinedFirstPageQuery : this.unjoinedPageQuery, values);
    const raw = await this.read(`rows after ${range.afterId ?? 'the first'} through ${range.lastId}`, first ? this.firstPageQuery : this.pageQuery, values, this.decodeDer);
    const rows: SourceRow[] = new Array<SourceRow>(raw.length);
    const details = new Map<RowKey, unknown[]>();
    const { certificates, orders } = this.config;
    for (let index = 0; index < raw.length; index++) {
      const row = raw[index]! as RawRow;
      const ref = toRowKey(row[0], this.keyKind);
      rows[index] = withRecordedSerial({ ref, orderId: asText(row[1]), der: row[2] as Uint8Array, order: orderOfRow(orders, row) }, row[DETAILS_AT], certificates);
      details.set(ref, (row as unknown[]).slice(DETAILS_AT));
    }
    return { rows, details: (ref) => this.toDetails(details.get(ref) ?? [null, null, null, null, null], ref) };
  }

  /**
   * A page read without the join: its rows' orders come from the shared order store. An order id
   * the store cannot resolve (no such order, or a key it does not keep) is joined in SQL, by id.
   */
  private async readUnjoinedPage(range: IdRange, orders: OrderStore, query: string, values: SqlValue[]): Promise<DatabasePage> {
    const raw = await this.read(`rows after ${range.afterId ?? 'the first'} through ${range.lastId}`, query, values, this.decodeDer);
    const { certificates } = this.config;
    const rows: SourceRow[] = new Array<SourceRow>(raw.length);
    const details = new Map<RowKey, unknown[]>();
    const unresolved = new Map<RowKey, number>();
    for (let index = 0; index < raw.length; index++) {
      const row = raw[index]!;
      const ref = toRowKey(row[0], this.keyKind);
      const orderId = asText(row[1]);
      // Orders from their own source are keyed by text (they come from another system); the table's by value.
      const ordinal = orderId === null ? OrderStore.NOT_FOUND : orders.ordinalOf(this.config.orders.source !== null ? orderId : row[1]);
      if (orderId !== null && ordinal === OrderStore.NOT_FOUND) unresolved.set(ref, index);
      rows[index] = withRecordedSerial({ ref, orderId, der: row[2] as Uint8Array, order: ordinal === OrderStore.NOT_FOUND ? null : orders.record(ordinal) }, row[3], certificates);
      details.set(ref, row.slice(3));
    }
    if (unresolved.size && this.config.orders.source === null) {
      const refs = [...unresolved.keys()];
      const id = `c.${this.q(certificates.columns.id)}`;
      for (const joined of await this.read('rows by id', `${this.rowsSelect}\nWHERE ${id} IN (${refs.map((_, k) => this.dialect.parameter(k + 1)).join(', ')})`, refs)) {
        const index = unresolved.get(toRowKey(joined[0], this.keyKind));
        if (index !== undefined) rows[index]!.order = orderOfRow(this.config.orders, joined as RawRow);
      }
    }
    return { rows, details: (ref) => this.toDetails(details.get(ref) ?? [null, null, null, null, null], ref) };
  }

  async ordersForPages(): Promise<OrderStore | null> {
    return this.unjoinedPageQuery ? this.buildOrderStore() : null;
  }

  joinPagesWith(orders: OrderStore): void {
    this.pageOrders = orders;
  }

  private toDetails([serial, issuedAt, revokedAt, reason, status]: unknown[], ref: RowKey): RowDetails {
    return rowDetailsWithProblems(this.config.certificates, ref, { serial, issuedAt, revokedAt, reason, status }, isoText);
  }

  async issuedAtWindow(afterId: RowKey | null, throughId: RowKey): Promise<{ from: string | null; to: string | null }> {
    const { certificates } = this.config;
    const issuedAt = this.q(certificates.columns.issuedAt);
    const where = keyCondition(this.q(certificates.columns.id), afterId !== null, true, (k) => this.dialect.parameter(k));
    const sql = `SELECT min(${issuedAt}), max(${issuedAt}) FROM ${this.q(certificates.table)} WHERE ${where}`;
    const [from, to] = (await this.read('issued_at window', sql, keyValues(afterId, throughId)))[0] ?? [null, null];
    const { timeEncoding } = this.config.certificates;
    return { from: toIsoTime(isoText(from), timeEncoding), to: toIsoTime(isoText(to), timeEncoding) };
  }

  async snapshot(): Promise<string | null> {
    return this.connection ? this.connection.exportSnapshot() : null;
  }

  describe(): SourceDescription {
    return {
      kind: this.engine,
      path: this.display,
      server: { engine: this.engine, host: this.location.socket ?? `${this.location.host}:${this.location.port ?? 'default'}`, database: this.location.database },
      certificatesTable: this.config.certificates.table,
      pageQuery: this.pageQuery,
      pageSize: this.config.pageSize,
    };
  }

  async close(): Promise<void> {
    await this.connection?.close();
    this.connection = null;
  }

  /**
   * CT and file scans: the vetted orders in shared memory, read in key order INDEX_PAGE at a time
   * (`key > last`: an order key that occurs twice may lose one of its rows at a page edge, where
   * the SQLite reader would mark it unresolved; order keys are primary keys in the layouts known).
   */
  async buildOrderStore(): Promise<OrderStore> {
    if (this.config.orders.source !== null) return readExternalOrders(this.config);
    const o = this.config.orders.columns;
    const q = this.q;
    const fields = orderFieldColumns(o);
    const columns = [o.id, ...fields.map(selectedColumn)].map((name) => (name ? q(name) : 'NULL')).join(', ');
    const table = q(this.config.orders.table);
    const key = q(o.id);
    // Counted first to size the store's arrays once; each page then goes straight into the store,
    // so the table is never held as rows (a million orders as rows were about 100 MB).
    const [counted] = await this.read('orders', `SELECT count(*) FROM ${table} WHERE ${key} IS NOT NULL`, []);
    const expected = Number(counted?.[0] ?? 0);
    // Sizes: generous (pages of a shared buffer cost memory only once written), so that the
    // arrays do not grow by copy; they still grow if an order holds more than 256 bytes of text.
    const builder = new OrderStoreBuilder(fields.map((name) => name !== null), { orders: expected, bytes: expected * 256 + (1 << 16) });
    let page = await this.read('orders', `SELECT ${columns} FROM ${table} WHERE ${key} IS NOT NULL ORDER BY ${key} LIMIT ${ORDER_PAGE}`, []);
    for (;;) {
      for (const row of orderFieldValues(page, fields)) builder.add(row);
      if (page.length < ORDER_PAGE) break;
      page = await this.read('orders', `SELECT ${columns} FROM ${table} WHERE ${key} > ${this.dialect.parameter(1)} ORDER BY ${key} LIMIT ${ORDER_PAGE}`, [page[page.length - 1]![0] as SqlValue]);
    }
    return builder.finish();
  }

  /**
   * CT and file scans: the serial index entries of the certificates with ids in the range (a text
   * key's first range, afterId null, has no lower bound; its keys are bound as text).
   */
  async buildSerialIndexPart(range: IdRange): Promise<SharedSerialIndexPart> {
    const c = this.config.certificates.columns;
    const q = this.q;
    const query = (lower: boolean) =>
      `SELECT ${q(c.id)}, ${q(c.serial)}, ${c.orderId ? q(c.orderId) : 'NULL'} FROM ${q(this.config.certificates.table)} WHERE ${keyCondition(q(c.id), lower, true, (k) => this.dialect.parameter(k))} ORDER BY ${q(c.id)} LIMIT ${INDEX_PAGE}`;
    // The part is built in one synchronous pass: the range's rows are read first.
    const rows: unknown[][] = [];
    for (let after = range.afterId ?? (this.keyKind === 'integer' ? Number.MIN_SAFE_INTEGER : null); ; ) {
      const page = await this.read('serial index', query(after !== null), keyValues(after, range.lastId));
      for (const row of page) rows.push(row);
      if (page.length < INDEX_PAGE) break;
      after = toRowKey(page[page.length - 1]![0], this.keyKind);
    }
    const encoding = this.config.certificates.serialEncoding;
    return buildSerialIndexPart(
      rows.length,
      (add) => {
        for (const [id, serial, orderId] of rows) {
          const key = serialKey(serial, encoding);
          if (key !== null) add(toRowKey(id, this.keyKind), key, orderId);
        }
      },
      this.keyKind,
    );
  }

  attachSerialIndex(index: SerialIndex, orders: OrderStore): void {
    this.serialIndex = { index, orders };
  }

  lookupSerial(bytes: Uint8Array, start: number, end: number): SourceRowMeta | null {
    if (!this.serialIndex) throw new Error('attachSerialIndex first');
    return lookupInSerialIndex(this.serialIndex, bytes, start, end, (ref) => {
      const row = this.fetched.get(ref) as RawRow | undefined;
      if (!row) this.wanted.add(ref);
      const meta: SourceRowMeta = row ? { ref, orderId: asText(row[1]), order: orderOfRow(this.config.orders, row) } : { ref, orderId: null, order: null };
      // Orders from their own source hold text keys: an integer order id is looked up as text.
      if (row && this.config.orders.source !== null) joinWithStore([meta], this.serialIndex!.orders);
      return meta;
    });
  }

  /** CT and file scans: from the rows fetched for lookupSerial (fetchWanted). */
  readDetails(ref: RowKey): RowDetails {
    const row = this.fetched.get(ref);
    if (!row) this.wanted.add(ref);
    return this.toDetails(row ? row.slice(DETAILS_AT) : [null, null, null, null, null], ref);
  }

  async fetchWanted(): Promise<boolean> {
    if (this.wanted.size === 0) {
      this.fetched.clear();
      return false;
    }
    const refs = [...this.wanted];
    this.wanted.clear();
    const id = `c.${this.q(this.config.certificates.columns.id)}`;
    for (let start = 0; start < refs.length; start += ROWS_BY_ID) {
      const chunk = refs.slice(start, start + ROWS_BY_ID);
      const rows = await this.read('rows by id', `${this.rowsSelect}\nWHERE ${id} IN (${chunk.map((_, k) => this.dialect.parameter(k + 1)).join(', ')})`, chunk);
      for (const row of rows) this.fetched.set(toRowKey(row[0], this.keyKind), row);
      // A row gone (it cannot be, within the snapshot) is answered as having nothing, not asked for again.
      for (const ref of chunk) if (!this.fetched.has(ref)) this.fetched.set(ref, [ref, ...new Array<null>(DETAILS_AT + 3).fill(null)]);
    }
    return true;
  }

  async duplicateSerialRows(): Promise<DuplicateSerialRows> {
    // Names as the server stores them (PostgreSQL folds EJBCA's unquoted CertificateData to lower case).
    const queries = { engine: this.engine, keyKind: this.keyKind, quote: (name: string) => this.q(name), parameter: (index: number) => this.dialect.parameter(index), read: (sql: string, parameters: ReadonlyArray<SqlValue>) => this.read('duplicate serials', sql, [...parameters]) };
    return findDuplicateSerialRows(queries, this.config.certificates);
  }

  /** Reads of a table the mapping does not name (EJBCA's CertReqHistoryData) through this connection and its retries. */
  otherTable(what: string): OtherTableQueries {
    return { dialect: this.dialect, read: (sql, parameters) => this.read(what, sql, [...parameters]) };
  }

  async rowCount(): Promise<number> {
    const [row] = await this.read('row count', `SELECT count(*) FROM ${this.q(this.config.certificates.table)}`, []);
    return Number(row?.[0] ?? 0);
  }

  async firstStoredDer(): Promise<unknown> {
    const { table } = this.config.certificates;
    const q = this.q;
    const [row] = await this.read('first certificate', `SELECT ${derExpression(this.config.certificates, q)} FROM ${q(table)} AS c ${derJoin(this.config.certificates, q).join(' ')} LIMIT 1`, []);
    return row?.[0] ?? null;
  }
}

/** The mapping as checked against the server, the names as it stores them, and how the key pages. */
interface CheckedSchema {
  config: ScanConfig['database'];
  /** Lower-case name -> the table or column name as stored (PostgreSQL folds unquoted names to lower case). */
  names: Map<string, string>;
  keyKind: KeyKind;
}

/**
 * Names each mapped table or column that the server does not show this user (absent, or no
 * SELECT); returns the mapping with absent optional order columns read as not kept. The
 * certificates key must be unique (a primary key or unique index on it alone; a view is trusted);
 * its data type says whether it pages as an integer or as text.
 */
async function checkSchema(connection: ServerConnection, dialect: Dialect, location: ServerLocation, config: ScanConfig['database']): Promise<CheckedSchema> {
  const names = new Map<string, string>();
  const types = new Map<string, string>();
  const present = new Map<string, ReadonlySet<string> | null>();
  for (const table of mappedTables(config)) {
    const rows = await connection.query(dialect.columnsQuery, [table]);
    for (const [column, type, stored] of rows) {
      names.set(String(stored).toLowerCase(), String(stored));
      names.set(String(column).toLowerCase(), String(column));
      if (table.toLowerCase() === config.certificates.table.toLowerCase()) types.set(String(column).toLowerCase(), String(type));
    }
    // A table this user may not read shows no columns: it looks missing, and is named as such.
    present.set(table, rows.length ? new Set(rows.map((row) => String(row[0]).toLowerCase())) : null);
  }
  const checked = checkMappedSchema(config, location.display, (table) => present.get(table) ?? null, ' that this user may read');
  const { table, columns } = config.certificates;
  const unique = dialect.uniqueKeyQuery(table, columns.id);
  const [isView, isUnique] = (await connection.query(unique.sql, unique.parameters))[0] ?? [false, false];
  if (!truthy(isView) && !truthy(isUnique)) refuseNonUniqueKey(table, columns.id);
  const keyKind = keyKindOfType(types.get(columns.id.toLowerCase())) ?? (isIntegerKey((await connection.query(`SELECT ${dialect.quote(names.get(columns.id.toLowerCase()) ?? columns.id)} FROM ${dialect.quote(names.get(table.toLowerCase()) ?? table)} LIMIT 1`))[0]?.[0] ?? 0) ? 'integer' : 'text');
  return { config: checked, names, keyKind };
}

/** A boolean as the clients return it: true / false (PostgreSQL), 1 / 0 (MySQL). */
const truthy = (value: unknown) => value === true || value === 1 || value === '1' || value === 't';
