import type { OrderFieldName } from './order_fields.js';
import type { InputProblem } from './ct/entries.js';

/**
 * A vetted order as the CA's validation team recorded it, one property per field of
 * ORDER_FIELDS. A field is null when the order has no value for it, and undefined when the CA's
 * database does not keep that field at all (its column is mapped to null in scan.config.json, or
 * an optional column is absent): then nothing can be compared with it. country is an ISO 3166-1
 * alpha-2 code; validationType DV | OV | IV | EV as the order says; vettedAt ISO 8601 UTC.
 */
export type OrderRecord = { id: string } & { [K in OrderFieldName]?: string | null };

/**
 * A database row's key (database.certificates.columns.id): an integer, or text (EJBCA's
 * fingerprint); CT entries and files use their leaf index or position.
 */
export type RowKey = number | string;

/** What the checks get from the source besides the certificate. Plain data: it crosses threads. */
export interface SourceRowMeta {
  /** The source's row id (for a database: the certificates key's value, an integer or text such as EJBCA's fingerprint). */
  ref: RowKey;
  orderId: string | null;
  /** null when the source has no order row for orderId (an orphan certificate). */
  order: OrderRecord | null;
  /** A CT entry of an own issuer that the issuance database does not know (ref is NO_ROW). */
  unknownIssuance?: boolean;
  /**
   * With database.orders.snapshots: whether the vetted fields came from the certificate's snapshot
   * (EJBCA's CertReqHistoryData) or the orders table (UserData).
   */
  vettedFrom?: 'snapshot' | 'orders';
  /** A row of the precertificates table (database.precertificates): its ref is an id of that table. */
  precertificateRow?: true;
  /** Where other certificates with this issuer and serial are (file and database scans): RFC 5280 4.1.2.2. */
  duplicateSerialOf?: string[];
  /** Database pages: the serial the CA's row records (lowercase hex, no leading zeros), when it has a readable one. */
  recordedSerial?: string;
  /** Values of this row that could not be read (each read as absent), for input-errors.csv. */
  valueProblems?: InputProblem[];
}

/** The ref of a CT entry with no row in the issuance database. */
export const NO_ROW = -1;

/** What the reports need besides: read only for affected rows, to keep the scan loop lean. */
export interface RowDetails {
  /** Normalized to lowercase hex. */
  serial: string | null;
  /** ISO 8601 UTC: ISO text as stored, epoch encodings converted. */
  issuedAt: string | null;
  revokedAt: string | null;
  revocationReason: number | null;
  /** Values of these columns that could not be read (each read as absent), for input-errors.csv. */
  valueProblems?: InputProblem[];
}

export interface ReportedRow extends SourceRowMeta, RowDetails {}

export interface SourceRow extends SourceRowMeta {
  der: Uint8Array;
}

/** The engines an issuance database is read with. */
export type DatabaseKind = 'sqlite' | 'postgresql' | 'mysql';

const DATABASE_KINDS: ReadonlySet<string> = new Set<DatabaseKind>(['sqlite', 'postgresql', 'mysql']);

/** Whether rows came from the issuance database itself (not a CT export or files). */
export const isDatabaseKind = (kind: string): kind is DatabaseKind => DATABASE_KINDS.has(kind);

/** Identity of what was scanned, for the summary and the ledger. */
export interface SourceDescription {
  kind: DatabaseKind | 'static-ct' | 'rfc6962' | 'pem';
  /** The issuance database (for CT and PEM sources: the one orders are joined from); a server's URL without its password. */
  path: string;
  /** SQLite: which copy of it, size and modification time when scanned. */
  databaseFile?: { bytes: number; modifiedAt: string };
  /** A server: which one (host or socket) and which database; never the password. */
  server?: { engine: string; host: string; database: string };
  certificatesTable: string;
  /** The range query, so a third party can rebuild the scanned set. */
  pageQuery: string;
  pageSize: number;
  /** database.precertificates: the table read after the certificates, its query, and what was read. */
  precertificates?: { table: string; pageQuery: string; scanned: number; firstId: RowKey | null; lastId: RowKey | null };
  /** CT and PEM sources: what was read. */
  input?: {
    path: string;
    /** static-ct: the checkpoint, when the mirror has one. */
    origin?: string;
    treeSize?: number;
    rootHash?: string;
    files: number;
  };
}
