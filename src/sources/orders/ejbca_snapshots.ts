// EJBCA's CertReqHistoryData: the end entity as it was when each certificate was issued, keyed by
// the certificate's fingerprint (SHA-1 of its DER, lowercase hex). UserData holds the end entity as
// it is now: an RA operator who corrected the subject after issuance (C=GH to C=LR) would hide the
// mismatch from a comparison with UserData. Where a certificate has a readable snapshot, its vetted
// subject fields come from the snapshot's DN; otherwise from UserData (and reports say which).
//
// userDataVO is what EJBCA's CertReqHistoryData writes with java.beans.XMLEncoder: the
// EndEntityInformation (before EJBCA 5, org.ejbca.core.model.ra.UserDataVO) as Java's long-term
// bean persistence XML, `<java><object class="..."><void property="DN"><string>CN=...</string>`.
// Only that one property is read; a document that is not that shape is "unreadable", never guessed.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { ScanConfig } from '../../config.js';
import { OperationalError } from '../../errors.js';
import { parseDatabaseLocation } from '../database/location.js';
import type { DatabaseSource } from '../database/database_source.js';
import { countRows, keyedPages, storedTable, type OtherTableQueries } from '../database/other_table.js';
import { ServerDatabase } from '../database/server_database.js';
import { orderFieldValue } from '../order_columns.js';
import { ORDER_FIELD_NAMES, orderFieldColumns } from '../order_fields.js';
import { OrderStore, OrderStoreBuilder, type SharedOrderStore } from '../order_store.js';
import type { OrderRecord, SourceRow } from '../types.js';

/** Where EJBCA keeps the snapshots: table, its fingerprint column and its XML column. */
export interface SnapshotTableMapping {
  table: string;
  fingerprint: string;
  userDataVO: string;
}

/** What the summary says about the vetted data of a scan with snapshots configured. */
export interface SnapshotUse {
  /** The snapshot table, and the orders table used where a certificate has none. */
  table: string;
  ordersTable: string;
  /** Snapshot rows read, and those whose XML had no readable DN (UserData used for their certificates). */
  read: number;
  unreadable: number;
  /** Why none were read (table absent, orders from --orders); null when they were. */
  notRead: string | null;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'object' || name === 'void',
});

/**
 * The subject DN an XMLEncoder document of an EndEntityInformation / UserDataVO holds (its
 * top-level object's DN property), or null when the document is not that (broken XML, another
 * shape, or a DN with characters XMLEncoder writes as <char> elements).
 */
export function endEntityDn(xml: string): string | null {
  let document: unknown;
  try {
    document = parser.parse(xml, true);
  } catch {
    return null;
  }
  const java = (document as { java?: unknown }).java;
  if (typeof java !== 'object' || java === null) return null;
  const objects = (java as { object?: unknown }).object;
  if (!Array.isArray(objects) || objects.length !== 1) return null;
  const properties = (objects[0] as { void?: unknown }).void;
  if (!Array.isArray(properties)) return null;
  const dn = properties.filter((property: unknown) => (property as { property?: unknown }).property === 'DN');
  if (dn.length !== 1) return null;
  const value = (dn[0] as { string?: unknown }).string;
  return typeof value === 'string' ? value : null;
}

/** EJBCA's fingerprint of a certificate: SHA-1 of the DER, lowercase hex. */
export const ejbcaFingerprint = (der: Uint8Array): string => createHash('sha1').update(der).digest('hex');

/** The snapshot table of the certificates' database, whatever the engine: its columns, rows and pages. */
interface SnapshotTable {
  /** Lower-case column names; null when the database has no such table (that this user may read). */
  columns: ReadonlySet<string> | null;
  count(): Promise<number>;
  /** [fingerprint, userDataVO] of every row, database.pageSize rows a page (a query on a server). */
  pages(): AsyncIterable<readonly unknown[][]>;
  close(): void;
}

function sqliteSnapshotTable(path: string, mapping: SnapshotTableMapping, pageSize: number): SnapshotTable {
  const db = new Database(resolve(path), { readonly: true, fileMustExist: true });
  const present = new Set((db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(mapping.table) as string[]).map((name) => name.toLowerCase()));
  return {
    columns: present.size ? present : null,
    count: async () => Number(db.prepare(`SELECT count(*) FROM "${mapping.table}"`).pluck().get()),
    pages: async function* () {
      let page: unknown[][] = [];
      for (const row of db.prepare(`SELECT "${mapping.fingerprint}", "${mapping.userDataVO}" FROM "${mapping.table}"`).raw(true).iterate() as Iterable<unknown[]>) {
        page.push(row);
        if (page.length === pageSize) yield page.splice(0);
      }
      yield page;
    },
    close: () => db.close(),
  };
}

/** On PostgreSQL and MariaDB / MySQL, through the scan's planning connection (same transaction). */
async function serverSnapshotTable(queries: OtherTableQueries, mapping: SnapshotTableMapping, pageSize: number): Promise<SnapshotTable> {
  const table = await storedTable(queries, mapping.table);
  const stored = (name: string) => table?.columns.get(name.toLowerCase()) ?? name;
  return {
    columns: table ? new Set(table.columns.keys()) : null,
    count: () => countRows(queries, table!),
    pages: () => keyedPages(queries, table!, [stored(mapping.fingerprint), stored(mapping.userDataVO)], pageSize),
    close: () => undefined,
  };
}

/**
 * The snapshots of the certificates' database (SQLite or a server) as an order store keyed by
 * fingerprint, holding the fields mapped to attributes of a DN column (the others stay UserData's).
 * null with the reason when none are read: the table is absent, or the orders come from --orders
 * (the CA's vetting system replaces EJBCA's end entities).
 */
export async function readSnapshots(database: DatabaseSource, location: string, config: ScanConfig['database']): Promise<{ store: OrderStore | null; use: SnapshotUse } | null> {
  const mapping = config.orders.snapshots;
  if (!mapping) return null;
  const use: SnapshotUse = { table: mapping.table, ordersTable: config.orders.table, read: 0, unreadable: 0, notRead: null };
  if (config.orders.source !== null) return { store: null, use: { ...use, notRead: `the vetted data comes from ${config.orders.source} (--orders)` } };
  let table: SnapshotTable;
  if (database instanceof ServerDatabase) table = await serverSnapshotTable(database.otherTable('snapshots'), mapping, config.pageSize);
  else {
    const parsed = parseDatabaseLocation(location, { environment: process.env, passwordFile: config.passwordFile });
    if (parsed.engine !== 'sqlite') throw new Error(`${parsed.engine} database opened as SQLite`);
    table = sqliteSnapshotTable(parsed.path, mapping, config.pageSize);
  }
  try {
    if (table.columns === null) return { store: null, use: { ...use, notRead: `the database has no table ${mapping.table}` } };
    for (const [key, column] of [['fingerprint', mapping.fingerprint], ['userDataVO', mapping.userDataVO]] as const) {
      if (!table.columns.has(column.toLowerCase())) throw new OperationalError(`${mapping.table} has no column "${column}" (database.orders.snapshots.${key})`);
    }
    const columns = orderFieldColumns(config.orders.columns);
    const mapped = columns.map((column) => column !== null && typeof column !== 'string');
    const expected = await table.count();
    const builder = new OrderStoreBuilder(mapped, { orders: expected, bytes: expected * 96 + (1 << 16) });
    for await (const page of table.pages()) {
      for (const [fingerprint, xml] of page) {
        use.read++;
        const dn = typeof xml === 'string' ? endEntityDn(xml) : null;
        if (dn === null || typeof fingerprint !== 'string') {
          use.unreadable++;
          continue;
        }
        // Only the DN-mapped fields: a field of a plain UserData column is not in the snapshot.
        builder.add([fingerprint.toLowerCase(), ...columns.map((column) => (column !== null && typeof column !== 'string' ? orderFieldValue(column, dn) ?? null : null))]);
      }
    }
    return { store: builder.finish(), use };
  } finally {
    table.close();
  }
}

/** A worker's view of the snapshots: replaces the vetted fields of rows that have one. */
export class SnapshotJoin {
  private constructor(
    private readonly store: OrderStore,
    private readonly dnFields: readonly string[],
  ) {}

  static attach(shared: SharedOrderStore, database: ScanConfig['database']): SnapshotJoin {
    const columns = orderFieldColumns(database.orders.columns);
    return new SnapshotJoin(OrderStore.attach(shared), ORDER_FIELD_NAMES.filter((_, index) => columns[index] !== null && typeof columns[index] !== 'string'));
  }

  /** Rows with a snapshot get its DN fields over UserData's (or instead of a missing UserData row). */
  apply(rows: SourceRow[]): void {
    for (const row of rows) this.applyTo(row);
  }

  /**
   * One row, found by the fingerprint of its DER: a database row's or a log entry's / file's
   * certificate (a precertificate entry's TBS has none: it is compared with UserData, and says so).
   */
  applyTo(row: SourceRow): void {
    const ordinal = this.store.ordinalOf(ejbcaFingerprint(row.der));
    if (ordinal === OrderStore.NOT_FOUND) {
      row.vettedFrom = 'orders';
      return;
    }
    const snapshot = this.store.record(ordinal);
    const order: OrderRecord = { ...(row.order ?? {}), id: row.order?.id ?? row.orderId ?? snapshot.id };
    for (const field of this.dnFields) (order as Record<string, string | null | undefined>)[field] = snapshot[field as keyof OrderRecord];
    row.order = order;
    row.vettedFrom = 'snapshot';
  }
}
