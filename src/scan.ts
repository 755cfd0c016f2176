// runScan: a short composition of source -> pool -> checks -> reports -> ledger. Each step lives in
// src/scan/: which source and tasks (source_plan, database_plan, log_plan), the audit checkpoint,
// the bounded dispatch to the workers, the reports in source order, the summary and the ledger.
import type { Clock } from './clock.js';
import { resolveWorkerCount, type ScanConfig } from './config.js';
import type { RowFilter } from './sources/issuance_db.js';
import type { RowKey } from './sources/types.js';
import { databaseLocation, openDatabaseSource } from './sources/database/database_source.js';
import { SERVER_YOUNG_GENERATION_MB, WorkerPool } from './pool/pool.js';
import { attachCtDuplicateSerials } from './pool/ct_duplicate_serials.js';
import { CtPairing, PAIRING_FILE } from './reports/ct_pairing.js';
import { ReportSet, type AfterReportWrite } from './reports/report_set.js';
import { REPORT_FILES, removeMadeDirsIfEmpty, trackScratch, untrackMadeDir, untrackScratch } from './reports/report_dir.js';
import type { InputProblem } from './sources/ct/entries.js';
import { SummaryAccumulator, type ReportTemplate, type ScanSummary } from './reports/summary.js';
import { refuseDiscoveryBeforeIssuance, refuseFutureDiscovery } from './reports/deadline.js';
import type { LedgerEntry } from './ledger.js';
import { join } from 'node:path';
import { claimReportLocation } from './scan/report_location.js';
import { checkRowsRead, shardIdRange } from './scan/database_plan.js';
import { attachSerialIndex } from './scan/log_plan.js';
import { planSource } from './scan/source_plan.js';
import { AuditCheckpointer, auditFingerprint, readAuditCheckpoint, removeAuditCheckpoint } from './scan/audit_checkpoint.js';
import { emptyScanCounts } from './scan/scan_counts.js';
import { OrderedReports } from './scan/ordered_reports.js';
import { dispatchTasks } from './scan/dispatch.js';
import { fractionDone } from './scan/progress_fraction.js';
import { pageOrders, workerSettings } from './scan/worker_settings.js';
import { assembleSummary, recordInLedger } from './scan/summary_assembly.js';
import type { ScanState } from './scan/scan_state.js';
import { PrecertificatePass } from './sources/database/precertificates.js';
import { readSnapshots } from './sources/orders/ejbca_snapshots.js';
import { vettedDataOf } from './reports/vetted_data.js';

export interface ScanRequest {
  config: ScanConfig;
  /** Overrides config.database.url and .path: a SQLite path or a server URL. */
  dbPath?: string;
  /** Report directory (refused if it holds a report set, unless `force`); default a new `<config.output.baseDir>/<UTC timestamp>/`. */
  outDir?: string;
  /** Replace the report set `outDir` holds. */
  force?: boolean;
  /** Where the default report directory is made instead of output.baseDir (nightly.outputDir). */
  reportsBaseDir?: string;
  /** Which config file was used, or "built-in defaults": said in the summary. */
  configFile?: string;
  /** Overrides config.workers. */
  workers?: number;
  /** When the CA first learned of the problem, if before this scan: revocation deadlines run from it. */
  discoveredAt?: Date;
  /** summary.md follows the CCADB Full Incident Report template (default) or the Preliminary one. */
  reportTemplate?: ReportTemplate;
  /** Read a CT export (static-ct tiles or RFC 6962 get-entries pages) instead of the database rows. */
  ct?: string;
  /** Read PEM / DER certificate files instead of the database rows. */
  pem?: string;
  /** The CA's issuing certificates (PEM or DER files); overrides config ct.issuers. */
  issuers?: string[];
  /** Decode every certificate fully with pkijs (no fast path): the reference the bench compares with. */
  fullDecodeOnly?: boolean;
  /** Database rows: only keys in (afterId, throughId] (null or absent: unbounded). */
  range?: { afterId?: RowKey | null; throughId?: RowKey | null };
  /** Nightly runs with database.precertificates: that table's own lower key bound (`range` bounds the certificates). */
  precertificateRange?: { afterId: RowKey | null };
  /** Database rows: only these (a retroactive audit's dates and countries). */
  filter?: RowFilter;
  /** Findings already reported (`<cert_id>:<check>`): left out of these reports (nightly runs). */
  suppress?: ReadonlySet<string>;
  /** Checkpoint after every batch and resume from the report directory's checkpoint (audits). */
  resumable?: boolean;
  /** This process's deterministic slice of the work, 0-based: `--shard K/N`. */
  shard?: { index: number; count: number };
  /** What kind of run this is, for the ledger. */
  kind?: LedgerEntry['kind'];
  /** The ledger to append to; default `<output.baseDir>/ledger.jsonl`; null for none. */
  ledgerPath?: string | null;
}

export interface ScanProgress {
  certificatesDone: number;
  /** Share of the id range done, 0..1. */
  fraction: number;
}

export interface ScanDeps {
  clock: Clock;
  /** Called after each batch is written. */
  onProgress?: (progress: ScanProgress) => void;
  /** Called for each piece of input that could not be read (it is also in input-errors.csv). */
  onInputProblem?: (problem: InputProblem) => void;
  /** Called after each audit checkpoint (tests interrupt an audit here). */
  afterCheckpoint?: (batchesWritten: number) => void;
  /** Called after each write to a streamed report (tests interrupt an audit between a write and its checkpoint). */
  afterReportWrite?: AfterReportWrite;
}

export interface ScanOutcome {
  summary: ScanSummary;
  outDir: string;
  /** `<cert_id>:<check>` of every finding these reports hold (for nightly de-duplication); database scans only. */
  reportedKeys: string[];
}

export { REPORT_FILES };
export { timestampDirName } from './scan/report_location.js';
export { configHash } from './scan/config_hash.js';

export async function runScan(originalRequest: ScanRequest, deps: ScanDeps): Promise<ScanOutcome> {
  const { config } = originalRequest;
  const location = databaseLocation(config.database, originalRequest.dbPath);
  // This connection only plans (by index probes); workers read the rows through their own.
  const database = await openDatabaseSource(location, config.database, { filter: originalRequest.filter });
  let request: ScanRequest;
  let outDir: string;
  let precertificates: PrecertificatePass | null = null;
  try {
    // CT and file scans are sliced after planning.
    request = originalRequest.ct || originalRequest.pem ? originalRequest : await shardIdRange(originalRequest, database);
    // database.precertificates: read in the same scan, after the certificates table (a shard: those of its certificates).
    precertificates = await PrecertificatePass.open(location, config.database, originalRequest, { afterId: request.range?.afterId ?? null, throughId: request.range?.throughId ?? null });
    outDir = claimReportLocation(request, config.output.baseDir, deps.clock);
  } catch (error) {
    await precertificates?.close();
    await database.close();
    throw error;
  }
  const workerCount = request.workers ?? resolveWorkerCount(config);
  const discoveredAt = request.discoveredAt ?? null;
  let pool: WorkerPool | null = null;
  let pairing: CtPairing | null = null;
  let reports: ReportSet | null = null;
  try {
    // A resumable audit continues from its checkpoint when the same audit left one.
    const fingerprint = auditFingerprint({ ...request, databaseDisplay: database.display, discoveredAt });
    const checkpoint = request.resumable ? readAuditCheckpoint(outDir, fingerprint) : null;
    const startedAt = checkpoint ? new Date(checkpoint.startedAt) : deps.clock();
    refuseFutureDiscovery(discoveredAt, startedAt);
    const { plan, tasks: planned, ct } = planSource(request, database, checkpoint);
    const fromLogs = !plan.fromDatabase;
    precertificates?.restore(checkpoint?.precertificates);
    const resumePrecertificates = checkpoint?.resumeAfterId != null ? { afterId: checkpoint.resumeAfterId, inPrecertificates: checkpoint.resumeInPrecertificates === true } : null;
    const tasks = plan.fromDatabase && precertificates ? precertificates.tasks(plan.tasks, config.database.pageSize, resumePrecertificates) : planned;
    reports = new ReportSet(outDir, request.resumable === true, checkpoint?.offsets, deps.afterReportWrite);
    // EJBCA's CertReqHistoryData (database.orders.snapshots): read once, joined in the workers (to
    // database rows, and to the rows log entries and files join by serial).
    const snapshots = await readSnapshots(database, location, config.database);
    const vettedData = snapshots ? (checkpoint?.vettedData ?? vettedDataOf(snapshots.use)) : null;
    const settings = { fullDecodeOnly: request.fullDecodeOnly === true, filter: request.filter, precertificateFilter: precertificates?.filter, snapshots: snapshots?.store?.toShared() ?? null, ct };
    const poolSettings = await workerSettings(config, database, location, settings);
    if (plan.fromDatabase) poolSettings.orders = await pageOrders(database, poolSettings);
    pool = new WorkerPool(workerCount, poolSettings, { youngGenerationMb: plan.fromDatabase && database.engine !== 'sqlite' ? SERVER_YOUNG_GENERATION_MB : undefined });
    // RFC 5280 4.1.2.2 over the whole table, whatever the shard, range or filter: searched while
    // the workers start (a GROUP BY over every serial, about a second at a million rows).
    if (plan.fromDatabase) pool.attachDuplicateSerialRows(await database.duplicateSerialRows());
    // Serial -> row, in shared memory that every worker reads: the CA's database stays read-only.
    if (!plan.fromDatabase) await attachSerialIndex(pool, database);
    // RFC 5280 4.1.2.2 over the whole log, whatever the shard (file scans found theirs in logSettings).
    if (!plan.fromDatabase && plan.kind !== 'pem') await attachCtDuplicateSerials(pool, plan.tasks);

    const totals = new SummaryAccumulator(startedAt, discoveredAt);
    if (checkpoint) totals.restore(checkpoint.totals);
    const bounds = deps.onProgress && !fromLogs ? await database.idBounds() : null;
    const taskCount = Array.isArray(tasks) ? tasks.length : null;
    // CT entries pair up (precertificate + certificate) across the whole log, so their appendix
    // rows are written at the end, from a scratch file in the report directory; database rows stream.
    // So do a precertificates table's rows and the certificates' (by serial).
    pairing = fromLogs || precertificates ? new CtPairing(join(outDir, PAIRING_FILE), checkpoint !== null) : null;
    // Gigabytes of scratch: an interrupted scan removes it; a resumable audit keeps it for --resume.
    if (pairing && !request.resumable) trackScratch(pairing.path, `${pairing.path}-journal`);
    const counts = checkpoint?.counts ?? emptyScanCounts();
    const reportedKeys: string[] = checkpoint?.reportedKeys ?? [];
    const state: ScanState = { reports, totals, counts, reportedKeys, pairing, precertificates, vettedData };
    const checkpointer = request.resumable
      ? new AuditCheckpointer({ ...state, outDir, fingerprint, startedAt, intervalMs: config.output.checkpointIntervalMs, afterCheckpoint: deps.afterCheckpoint })
      : null;
    const onProgress = deps.onProgress;
    const ordered = new OrderedReports(
      {
        ...state,
        fromLogs,
        suppress: request.suppress,
        startedAt,
        discoveredAt,
        onInputProblem: deps.onInputProblem,
        afterBatch: (result, origin, written, seqWritten) => {
          checkpointer?.afterBatch(seqWritten, origin.lastId, origin.precertificates);
          onProgress?.({ certificatesDone: totals.certificatesScanned, fraction: origin.precertificates ? 1 : fractionDone(bounds, result.lastRef, written, taskCount) });
        },
      },
      checkpoint?.seqWritten ?? 0,
    );
    await dispatchTasks(tasks, pool, pool.capacity + workerCount * config.batchesInFlightPerWorker, (result, origin) => ordered.add(result, origin));
    ordered.writePairs();
    // The workers' heaps go before the reports (chart, report.html) are built, not on top of them.
    await pool.close();

    const warnings = fromLogs ? [] : await checkRowsRead(database, config.database, totals.certificatesScanned, totals.counts.byClass.undecodable, request);
    const summary = assembleSummary({ ...request, database, plan, startedAt, finishedAt: deps.clock(), discoveredAt, workers: workerCount, workerRestarts: pool.restarts.length, totals, counts, ct, warnings, precertificates, vettedData });
    refuseDiscoveryBeforeIssuance(discoveredAt, summary.firstAffectedNotBefore);
    await reports.commit(summary);
    if (request.resumable) removeAuditCheckpoint(outDir);
    // Only now: until the checkpoint is gone, a resumed audit would need the pending pairs.
    pairing?.close(false);
    if (pairing) untrackScratch(pairing.path, `${pairing.path}-journal`);
    untrackMadeDir(outDir);
    recordInLedger(request.ledgerPath, config, request.kind, summary, outDir);
    return { summary, outDir, reportedKeys };
  } catch (error) {
    reports?.abort();
    // A resumable audit keeps its pending pairs (rolled back to the last checkpoint) for --resume.
    pairing?.close(request.resumable === true);
    removeMadeDirsIfEmpty();
    throw error;
  } finally {
    await pool?.close();
    await precertificates?.close();
    await database.close();
  }
}
