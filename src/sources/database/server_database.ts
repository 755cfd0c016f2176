// A database server (PostgreSQL, MariaDB / MySQL) as a DatabaseSource: the same keyset pages, order
// join and filters as the SQLite reader, written through the engine's Dialect, in a read-only
// transaction. A connection lost mid-scan is reopened and the page read again, a few times.
import type { CertificateTableMapping, OrderTableMapping, ScanConfig } from '../../config.js';
import { OperationalError } from '../../errors.js';
import { asText, filterParameters, normalizeSerial, orderOfRow, toDer, toIsoTime, type IdRange, type RawRow, type RowFilter } from '../issuance_db.js';
import type { OrderStore } from '../order_store.js';
import type { SerialIndex, SharedSerialIndexPart } from '../serial_index.js';
import type { RowDetails, SourceDescription, SourceRow, SourceRowMeta } from '../types.js';
import type { DatabasePage, DatabaseSource } from './database_source.js';
import { oneLine, type Dialect, type ServerConnection, type SqlValue } from './dialect.js';
import type { ServerLocation } from './location.js';

/** Attempts per query when the connection is lost, and the first wait (doubled each time). */
const ATTEMPTS = 4;
const FIRST_BACKOFF_MS = 250;

/** Where the report-only columns sit in a page row, after the RawRow columns. */
const DETAILS_AT = 10;

/**
 * Server time values as the SQLite reader keeps ISO text: a timestamp column (a Date from
 * PostgreSQL, `YYYY-MM-DD HH:MM:SS` from MySQL, both UTC) becomes ISO 8601 with a Z.
 */
function isoText(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value)) return `${value.replace(' ', 'T').replace(/\.0+$/, '')}Z`;
  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ServerDatabase implements DatabaseSource {
  readonly engine: ServerLocation['engine'];
  readonly display: string;
  readonly pageQuery: string;
  private connection: ServerConnection | null;
  private readonly nextIdQuery: string;
  private readonly boundsQuery: string;
  private readonly windowQuery: string;
  private readonly filterValues: SqlValue[];

  private constructor(
    private readonly dialect: Dialect,
    private readonly location: ServerLocation,
    private readonly config: ScanConfig['database'],
    connection: ServerConnection,
    filter: RowFilter | undefined,
  ) {
    this.engine = location.engine;
    this.display = location.display;
    this.connection = connection;
    const q = (name: string) => dialect.quote(name);
    const { certificates, orders } = config;
    const table = q(certificates.table);
    const id = q(certificates.columns.id);
    const { conditions, values } = this.filterConditions(certificates, orders, filter);
    this.filterValues = values;
    this.pageQuery = [
      `SELECT ${this.selectList(certificates, orders).join(', ')}`,
      `FROM ${table} AS c`,
      `LEFT JOIN ${q(orders.table)} AS o ON o.${q(orders.columns.id)} = c.${q(certificates.columns.orderId)}`,
      `WHERE ${[`c.${id} > ${dialect.parameter(1)} AND c.${id} <= ${dialect.parameter(2)}`, ...conditions].join(' AND ')}`,
      `ORDER BY c.${id}`,
    ].join('\n');
    this.nextIdQuery = `SELECT ${id} FROM ${table} WHERE ${id} > ${dialect.parameter(1)} ORDER BY ${id} LIMIT 1`;
    this.boundsQuery = `SELECT (SELECT min(${id}) FROM ${table}), (SELECT max(${id}) FROM ${table})`;
    const issuedAt = q(certificates.columns.issuedAt);
    this.windowQuery = `SELECT min(${issuedAt}), max(${issuedAt}) FROM ${table} WHERE ${id} > ${dialect.parameter(1)} AND ${id} <= ${dialect.parameter(2)}`;
  }

  /** Connects (in a read-only transaction) and checks that the mapped tables and columns are there. */
  static async open(dialect: Dialect, location: ServerLocation, config: ScanConfig['database'], filter: RowFilter | undefined, snapshot: string | null): Promise<ServerDatabase> {
    let connection: ServerConnection;
    try {
      connection = await dialect.connect(location, { statementTimeoutMs: config.statementTimeoutMs, snapshot });
    } catch (error) {
      throw new OperationalError(`cannot open ${dialect.engine} database ${location.display}: ${oneLine(error)}`);
    }
    try {
      await checkSchema(connection, dialect, location, config);
      return new ServerDatabase(dialect, location, config, connection, filter);
    } catch (error) {
      await connection.close();
      if (error instanceof OperationalError) throw error;
      throw new OperationalError(`database ${location.display}: ${oneLine(error)}`);
    }
  }

  /** c.id, c.orderId, c.der, o.id, the six order fields (RawRow), then serial, issued, revoked, reason. */
  private selectList(certificates: CertificateTableMapping, orders: OrderTableMapping): string[] {
    const column = (alias: string, name: string | null) => (name ? `${alias}.${this.dialect.quote(name)}` : 'NULL');
    const c = certificates.columns;
    const o = orders.columns;
    return [
      column('c', c.id),
      column('c', c.orderId),
      column('c', c.der),
      column('o', o.id),
      ...[o.organization, o.country, o.state, o.locality, o.jurisdictionCountry, o.validationType].map((name) => column('o', name)),
      ...[c.serial, c.issuedAt, c.revokedAt, c.revocationReason].map((name) => column('c', name)),
    ];
  }

  /** An audit's dates and countries as SQL conditions with their values (parameters 3, 4, ...). */
  private filterConditions(certificates: CertificateTableMapping, orders: OrderTableMapping, filter: RowFilter | undefined): { conditions: string[]; values: SqlValue[] } {
    const parameters = filterParameters(certificates, filter);
    const conditions: string[] = [];
    const values: SqlValue[] = [];
    const next = (value: SqlValue) => {
      values.push(value);
      return this.dialect.parameter(2 + values.length);
    };
    const issuedAt = `c.${this.dialect.quote(certificates.columns.issuedAt)}`;
    if (parameters.issuedFrom !== undefined) conditions.push(`${issuedAt} >= ${next(parameters.issuedFrom)}`);
    if (parameters.issuedTo !== undefined) conditions.push(`${issuedAt} < ${next(parameters.issuedTo)}`);
    if (filter?.orderCountries?.length) {
      if (!orders.columns.country) throw new OperationalError('--country needs database.orders.columns.country');
      conditions.push(`upper(o.${this.dialect.quote(orders.columns.country)}) IN (${filter.orderCountries.map((country) => next(country)).join(', ')})`);
    }
    return { conditions, values };
  }

  /**
   * Runs a read; when the connection is lost (or a statement timed out) it reconnects and reads
   * again, up to ATTEMPTS times with doubling waits, then gives up with one line (exit 2).
   */
  private async read(what: string, sql: string, parameters: SqlValue[]): Promise<unknown[][]> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.connection ??= await this.dialect.connect(this.location, { statementTimeoutMs: this.config.statementTimeoutMs });
        return await this.connection.query(sql, parameters);
      } catch (error) {
        if (!this.dialect.isTransient(error)) throw new OperationalError(`database ${this.display}: ${what}: ${oneLine(error)}`);
        if (attempt >= ATTEMPTS) throw new OperationalError(`database ${this.display}: ${what} failed ${attempt} times, giving up: ${oneLine(error)}`);
        await this.connection?.close();
        this.connection = null;
        await sleep(FIRST_BACKOFF_MS * 2 ** (attempt - 1));
      }
    }
  }

  async *ranges(pageSize: number, afterId = Number.MIN_SAFE_INTEGER, throughId = Number.MAX_SAFE_INTEGER): AsyncGenerator<IdRange> {
    // From the next id present (one index probe), the next pageSize ids: dense ids give full
    // pages, gaps smaller ones (as the SQLite reader plans integer ids).
    for (let cursor = afterId; ; ) {
      const next = (await this.read('planning', this.nextIdQuery, [cursor]))[0]?.[0];
      if (next === null || next === undefined || Number(next) > throughId) return;
      const lastId = Math.min(Number(next) + pageSize - 1, throughId);
      yield { afterId: cursor, lastId };
      cursor = lastId;
    }
  }

  async idBounds(): Promise<{ min: number; max: number } | null> {
    const [min, max] = (await this.read('id bounds', this.boundsQuery, []))[0] ?? [null, null];
    return min === null || max === null || min === undefined || max === undefined ? null : { min: Number(min), max: Number(max) };
  }

  async readPage(range: IdRange): Promise<DatabasePage> {
    const raw = await this.read(`rows ${range.afterId + 1} to ${range.lastId}`, this.pageQuery, [range.afterId, range.lastId, ...this.filterValues]);
    const rows: SourceRow[] = new Array<SourceRow>(raw.length);
    const details = new Map<number, unknown[]>();
    const { certificates, orders } = this.config;
    for (let index = 0; index < raw.length; index++) {
      const row = raw[index]! as RawRow;
      const ref = Number(row[0]);
      rows[index] = { ref, orderId: asText(row[1]), der: toDer(row[2], certificates.derEncoding), order: orderOfRow(orders, row) };
      details.set(ref, (row as unknown[]).slice(DETAILS_AT));
    }
    return { rows, details: (ref) => this.toDetails(details.get(ref) ?? [null, null, null, null]) };
  }

  private toDetails([serial, issuedAt, revokedAt, revocationReason]: unknown[]): RowDetails {
    const { serialEncoding, timeEncoding } = this.config.certificates;
    return {
      serial: normalizeSerial(serial, serialEncoding),
      issuedAt: toIsoTime(isoText(issuedAt), timeEncoding),
      revokedAt: toIsoTime(isoText(revokedAt), timeEncoding),
      revocationReason: revocationReason === null || revocationReason === undefined ? null : Number(revocationReason),
    };
  }

  async issuedAtWindow(afterId: number, throughId: number): Promise<{ from: string | null; to: string | null }> {
    const [from, to] = (await this.read('issued_at window', this.windowQuery, [afterId, throughId]))[0] ?? [null, null];
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

  private unsupported(): never {
    throw new OperationalError(`--ct and --pem join orders from a SQLite database only so far; ${this.display} is ${this.engine}`);
  }

  async buildOrderStore(): Promise<OrderStore> {
    return this.unsupported();
  }

  async buildSerialIndexPart(): Promise<SharedSerialIndexPart> {
    return this.unsupported();
  }

  attachSerialIndex(_index: SerialIndex, _orders: OrderStore): void {
    this.unsupported();
  }

  lookupSerial(): SourceRowMeta | null {
    return this.unsupported();
  }

  readDetails(): RowDetails {
    return this.unsupported();
  }
}

/** Names each mapped table or column that the server does not show this user (absent, or no SELECT). */
async function checkSchema(connection: ServerConnection, dialect: Dialect, location: ServerLocation, config: ScanConfig['database']): Promise<void> {
  const expectations: Array<{ table: string; key: string; columns: Array<[string, string | null]> }> = [
    { table: config.certificates.table, key: 'database.certificates', columns: Object.entries(config.certificates.columns) },
    { table: config.orders.table, key: 'database.orders', columns: Object.entries(config.orders.columns) },
  ];
  const problems: string[] = [];
  for (const { table, key, columns } of expectations) {
    const present = new Set((await connection.query(dialect.columnsQuery, [table])).map((row) => String(row[0]).toLowerCase()));
    if (present.size === 0) {
      problems.push(`no table "${table}" that this user may read (${key}.table)`);
      continue;
    }
    const missing = columns.filter(([, column]) => column !== null && !present.has(column.toLowerCase())).map(([field, column]) => `"${column}" (${key}.columns.${field})`);
    if (missing.length) problems.push(`table "${table}" has no column ${missing.join(', ')}`);
  }
  if (problems.length) throw new OperationalError(`database ${location.display} does not have the expected schema: ${problems.join('; ')}`);
}
