// Precertificates kept in a table of their own (Boulder: `precertificates` next to `certificates`),
// read in the same scan: the certificates table's id ranges first, then the precertificates
// table's. Their rows are marked, so that a precertificate and a certificate with the same row id
// stay apart, and the reports pair a precertificate with its final certificate by serial, as a CT
// scan pairs log entries (one appendix row; a precertificate with no final certificate is counted
// as such, not as a certificate).
import type { ScanConfig } from '../../config.js';
import { OperationalError } from '../../errors.js';
import type { TaskBody } from '../../pool/messages.js';
import type { IdRange, RowFilter } from '../issuance_db.js';
import { keyPart } from './key_parts.js';
import type { PrecertificateShard } from './page_sql.js';
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
 * Refuses id ranges of the certificates table alone: the two tables' ids are unrelated. A nightly
 * run gives each table its own bound (precertificateRange); a shard picks its precertificates by
 * its certificates (shardFilter).
 */
export function refusePrecertificateRange(request: PrecertificateRunRequest): void {
  const ranged = (request.range?.afterId ?? null) !== null || (request.range?.throughId ?? null) !== null;
  if ((ranged && !request.precertificateRange) || (request.kind === 'nightly' && !request.precertificateRange)) {
    throw new OperationalError(
      'database.precertificates: id ranges slice the certificates table by id, and the precertificates table has ids of its own; ' +
        'set "precertificates": null for those runs (and scan the precertificates with a config whose certificates.table names them)',
    );
  }
}

/**
 * `--shard K/N`: this shard's precertificates, those paired with its certificates (keys in
 * `certificates`, the shard's part of the certificates table) and of those without a certificate,
 * the K-th part of the precertificates table's own keys (see PrecertificateShard).
 */
async function shardFilter(location: string, database: DatabaseConfig, shard: { index: number; count: number }, certificates: PrecertificateShard['certificates'], filter: RowFilter | undefined): Promise<RowFilter> {
  const planning = await openDatabaseSource(location, precertificateDatabase(database));
  let own: PrecertificateShard['own'];
  try {
    own = keyPart(await planning.keyQuantiles(shard.count), shard.index);
  } finally {
    await planning.close();
  }
  const { table, columns } = database.certificates;
  return { ...filter, precertificateShard: { table, id: columns.id, serial: columns.serial, certificates, own } };
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
    private readonly pageFilter: RowFilter | undefined,
  ) {}

  /**
   * Opens the precertificates table of a database scan (null when none is mapped, or the scan reads
   * a CT export or files). Refuses id ranges of the certificates alone; a shard reads its
   * certificates' precertificates and its part of those without one.
   */
  static async open(
    location: string,
    database: DatabaseConfig,
    request: PrecertificateRunRequest & { ct?: string; pem?: string; filter?: OpenOptions['filter']; shard?: { index: number; count: number } },
    /** With --shard: the shard's part of the certificates table's keys. */
    certificateShard?: PrecertificateShard['certificates'],
  ): Promise<PrecertificatePass | null> {
    if (!database.precertificates || request.ct || request.pem) return null;
    refusePrecertificateRange(request);
    const filter = request.shard && certificateShard ? await shardFilter(location, database, request.shard, certificateShard, request.filter) : request.filter;
    return new PrecertificatePass(await openDatabaseSource(location, precertificateDatabase(database), { filter }), request.precertificateRange?.afterId ?? null, filter);
  }

  /** What the workers read the precertificates table's pages with (an audit's dates, a shard's rows). */
  get filter(): RowFilter | undefined {
    return this.pageFilter;
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
