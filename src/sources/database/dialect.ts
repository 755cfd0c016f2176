// What differs between the database servers certscan reads: how to connect (always in a read-only,
// consistent-snapshot transaction), how identifiers are quoted and parameters written, where the
// schema is described, and which errors mean the connection is gone. One file per engine.
import type { ServerLocation } from './location.js';

export type SqlValue = string | number;

/** One connection inside its read-only transaction. */
export interface ServerConnection {
  /**
   * The rows as arrays of column values, in select-list order; `eachRow` (if given) is applied to
   * each row as it arrives, so that what it replaces (a large column's text) dies young.
   */
  query(sql: string, parameters?: readonly SqlValue[], eachRow?: (row: unknown[]) => unknown[]): Promise<unknown[][]>;
  /** A token another connection can pass to `connect` to see the same snapshot, if the engine has one. */
  exportSnapshot(): Promise<string | null>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  statementTimeoutMs: number;
  /** From exportSnapshot on another connection: read exactly what that connection reads. */
  snapshot?: string | null;
}

/** How an engine writes identifiers and the n-th (1-based) query parameter (SQLite's: sqlite_dialect.ts). */
export interface SqlSyntax {
  quote(identifier: string): string;
  parameter(index: number): string;
}

export interface Dialect extends SqlSyntax {
  readonly engine: ServerLocation['engine'];
  /** Columns of a table in the connection's database (or schema): one parameter, the table name; rows [column name, data type, table name as stored]. */
  readonly columnsQuery: string;
  /**
   * Whether `column` alone carries a unique index or primary key of `table`: one row
   * [is a view (1/true), is unique (1/true)], none when there is no such table.
   */
  uniqueKeyQuery(table: string, column: string): { sql: string; parameters: SqlValue[] };
  /** Opens a connection and begins the read-only transaction; throws the client's error (which never holds the password). */
  connect(location: ServerLocation, options: ConnectOptions): Promise<ServerConnection>;
  /**
   * A BLOB / bytea certificate column's expression as base64 text, when the engine's client would
   * otherwise send it larger (postgres.js reads bytea as hex text: twice the DER's bytes).
   */
  derAsBase64?(expression: string): string;
  /** Whether the error means the connection or the server went away (or a statement timed out): worth a retry. */
  isTransient(error: unknown): boolean;
}

/** The error's message on one line, as clients phrase it (they never include the password). */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim();
}

/** A Node or client error code, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Socket-level failures: the server stopped, restarted or the network dropped. */
export const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
