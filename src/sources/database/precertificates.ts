// Precertificates kept in a table of their own (Boulder: `precertificates` next to `certificates`),
// read in the same scan: the certificates table's id ranges first, then the precertificates
// table's. Their rows are marked, so that a precertificate and a certificate with the same row id
// stay apart, and the reports pair a precertificate with its final certificate by serial, as a CT
// scan pairs log entries (one appendix row; a precertificate with no final certificate is counted
// as such, not as a certificate).
import type { ScanConfig } from '../../config.js';
import { OperationalError } from '../../errors.js';
import type { TaskBody } from '../../pool/messages.js';
import type { IdRange } from '../issuance_db.js';
import type { RowKey, SourceDescription } from '../types.js';
import { openDatabaseSource, type DatabasePage, type DatabaseSource, type OpenOptions } from './database_source.js';

type DatabaseConfig = ScanConfig['database'];

/**
 * The database config that reads the precertificates table as the certificates table: its own
 * table and the columns it names, the rest (revocation, encodings, orders) the certificates'.
 * A precertificates table has no separate DER table.
 */
export function precertificateDatabase(database: DatabaseConfig): DatabaseConfig {
  const precertificates = database.precertificates;
  if (!precertificates) throw new Error('precertificateDatabase: database.precertificates is null');
  const certificates = database.certificates;
  return {
    ...database,
    certificates: { ...certificates, table: precertificates.table, columns: { ...certificates.columns, ...precertificates.columns }, derFallback: null },
    precertificates: null,
  };
}

/** Marks a page's rows as precertificate rows (the worker reads them through the precertificates source). */
export function markPrecertificateRows(page: DatabasePage): DatabasePage {
  for (const row of page.rows) row.precertificateRow = true;
  return page;
}

/** What of a request says which rows of the two tables a run reads. */
export interface PrecertificateRunRequest {
  shard?: unknown;
  /** The certificates table's keys. */
  range?: { afterId?: RowKey | null; throughId?: RowKey | null };
  /** Nightly runs: the precertificates table's own lower bound (its ids are unrelated to the certificates'). */
  precertificateRange?: { afterId: RowKey | null };
  kind?: string;
}

/**
 * Refuses the runs that slice only the certificates table's id span (shards, id ranges): the two
 * tables' ids are unrelated. A nightly run gives each table its own bound (precertificateRange).
 */
export function refusePrecertificateRange(request: PrecertificateRunRequest): void {
  const ranged = (request.range?.afterId ?? null) !== null || (request.range?.throughId ?? null) !== null;
  if (request.shard || (ranged && !request.precertificateRange) || (request.kind === 'nightly' && !request.precertificateRange)) {
    throw new OperationalError(
      'database.precertificates: --shard and id ranges slice the certificates table by id, and the precertificates table has ids of its own; ' +
        'set "precertificates": null for those runs (and scan the precertificates with a config whose certificates.table names them)',
    );
  }
}

/** Where a resumed audit continues: after a key of the certificates table, or of the precertificates table (each table has its own key kind). */
export interface PrecertificateResume {
  afterId: RowKey;
  inPrecertificates: boolean;
}

/**
 * The tasks of a database scan with a precertificates table: the certificates table's (as
 * planned), then the precertificates table's id ranges (above `afterId`, a nightly run's bound).
 * A resumed audit that had reached the precertificates skips the certificates table.
 */
export async function* withPrecertificateTasks(
  certificateTasks: AsyncIterable<TaskBody>,
  precertificates: DatabaseSource,
  pageSize: number,
  resume: PrecertificateResume | null,
  afterId: RowKey | null = null,
): AsyncGenerator<TaskBody> {
  if (!resume?.inPrecertificates) yield* certificateTasks;
  const ranges: AsyncIterable<IdRange> = precertificates.ranges(pageSize, resume?.inPrecertificates ? resume.afterId : afterId);
  for await (const range of ranges) yield { kind: 'db-range', ...range, precertificates: true };
}

/** The precertificates table of one database scan: its planning connection and what was read. */
export class PrecertificatePass {
  private scanned = 0;
  private firstId: RowKey | null = null;
  private lastId: RowKey | null = null;

  private constructor(
    private readonly source: DatabaseSource,
    /** A nightly run's lower bound of the precertificates' keys (null: from the first). */
    private readonly afterId: RowKey | null,
  ) {}

  /**
   * Opens the precertificates table of a database scan (null when none is mapped, or the scan reads
   * a CT export or files). Refuses the runs that slice only the certificates' id span (--shard, id ranges).
   */
  static async open(location: string, database: DatabaseConfig, request: PrecertificateRunRequest & { ct?: string; pem?: string; filter?: OpenOptions['filter'] }): Promise<PrecertificatePass | null> {
    if (!database.precertificates || request.ct || request.pem) return null;
    refusePrecertificateRange(request);
    return new PrecertificatePass(await openDatabaseSource(location, precertificateDatabase(database), { filter: request.filter }), request.precertificateRange?.afterId ?? null);
  }

  tasks(certificateTasks: AsyncIterable<TaskBody>, pageSize: number, resume: PrecertificateResume | null): AsyncIterable<TaskBody> {
    return withPrecertificateTasks(certificateTasks, this.source, pageSize, resume, this.afterId);
  }

  /** A batch of the precertificates table was written: counted here, not as certificates. */
  counted(scanned: number, firstRef: RowKey | null, lastRef: RowKey | null): void {
    this.scanned += scanned;
    if (firstRef !== null) this.firstId ??= firstRef;
    if (lastRef !== null) this.lastId = lastRef;
  }

  /** For a resumed audit's checkpoint. */
  snapshot(): { scanned: number; firstId: RowKey | null; lastId: RowKey | null } {
    return { scanned: this.scanned, firstId: this.firstId, lastId: this.lastId };
  }

  restore(saved: { scanned: number; firstId: RowKey | null; lastId: RowKey | null } | undefined): void {
    if (!saved) return;
    ({ scanned: this.scanned, firstId: this.firstId, lastId: this.lastId } = saved);
  }

  describe(): NonNullable<SourceDescription['precertificates']> {
    const described = this.source.describe();
    return { table: described.certificatesTable, pageQuery: described.pageQuery, scanned: this.scanned, firstId: this.firstId, lastId: this.lastId };
  }

  close(): Promise<void> {
    return this.source.close();
  }
}
