// runScan: wires the source, the worker pool and the report writers. Source -> decode + checks
// (in workers) -> reports (on this thread, in source order).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Clock } from './clock.js';
import { resolveWorkerCount, type ScanConfig } from './config.js';
import type { RowFilter } from './sources/issuance_db.js';
import { compareKeys, refuseTextKeyIndex } from './sources/database/row_key.js';
import type { RowKey } from './sources/types.js';
import { databaseLocation, derEncodingOf, openDatabaseSource, type DatabaseSource } from './sources/database/database_source.js';
import { WorkerPool } from './pool/pool.js';
import { SerialIndex } from './sources/serial_index.js';
import { serialKey, type AffectedCertificate, type BatchResult } from './inspect.js';
import { findDuplicateSerials } from './sources/cert_files.js';
import { writeFileAtomic } from './reports/atomic_file.js';
import { findingsRows } from './reports/findings_csv.js';
import { appendixRows, crtshLines, recordOf } from './reports/ccadb_appendix.js';
import { CtPairing, PAIRING_FILE } from './reports/ct_pairing.js';
import { inputProblemRows } from './reports/input_errors.js';
import { ReportSet, type AfterReportWrite } from './reports/report_set.js';
import { AUDIT_STATE, REPORT_FILES, claimReportDir, removeMadeDirsIfEmpty, trackScratch, uniqueReportDir, untrackMadeDir, untrackScratch } from './reports/report_dir.js';
import { OperationalError } from './errors.js';
import { loadIssuerSet } from './sources/ct/issuers.js';
import type { InputProblem } from './sources/ct/entries.js';
import { planCertificateFiles, planCtSource, planDatabaseRanges, type SourcePlan } from './sources/plan.js';
import type { BatchMessage, TaskBody, WorkerSettings } from './pool/messages.js';
import { SummaryAccumulator, countFields, type ReportTemplate, type ScanSummary } from './reports/summary.js';
import { refuseDiscoveryBeforeIssuance, refuseFutureDiscovery } from './reports/deadline.js';
import { appendLedger, hashReports, type LedgerEntry } from './ledger.js';
import { VERSION } from './version.js';

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

export function timestampDirName(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

/** SHA-256 of the effective configuration, keys sorted, so equal configs hash equal. */
export function configHash(config: ScanConfig): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
        : value;
  return createHash('sha256').update(JSON.stringify(canonical(config))).digest('hex');
}

function planFor(request: ScanRequest, database: DatabaseSource): SourcePlan {
  if (request.ct && request.pem) throw new OperationalError('give either --ct or --pem, not both');
  if (request.ct) return planCtSource(request.ct);
  if (request.pem) return planCertificateFiles(request.pem);
  return planDatabaseRanges(database, request.config.database.pageSize, request.range?.afterId, request.range?.throughId);
}

/**
 * `--shard K/N`: a deterministic slice. Database: the K-th of N key ranges of about equal rows
 * (quantiles of the key computed in SQL, so text keys such as EJBCA's fingerprint shard too; the
 * first range has no lower bound and the last no upper one). CT and files: the K-th of N contiguous
 * runs of tiles, pages or files. Concatenated in shard order, the slices are the whole scan in source order.
 */
async function shardOf(request: ScanRequest, database: DatabaseSource): Promise<ScanRequest> {
  const shard = request.shard;
  if (!shard) return request;
  if (request.ct || request.pem) return request; // sliced after planning
  const part = keyPart(await database.keyQuantiles(shard.count), shard.index);
  const range = request.range;
  // Narrowed by an explicit range, if any: the higher lower bound and the lower upper bound.
  const pick = (a: RowKey | null | undefined, b: RowKey | null | undefined, higher: boolean): RowKey | null =>
    a === null || a === undefined ? (b ?? null) : b === null || b === undefined ? a : (compareKeys(a, b) > 0) === higher ? a : b;
  return { ...request, range: { afterId: pick(part.afterId, range?.afterId, true), throughId: pick(part.throughId, range?.throughId, false) } };
}

/**
 * The k-th part given the last key of each part (keyQuantiles). A table with fewer rows than
 * shards has fewer parts: the shards past them are empty ranges after the last key.
 */
function keyPart(ends: RowKey[], k: number): { afterId: RowKey | null; throughId: RowKey | null } {
  const last = ends[ends.length - 1];
  if (last === undefined) return { afterId: null, throughId: null }; // an empty table
  if (k >= ends.length) return { afterId: last, throughId: last };
  return { afterId: k === 0 ? null : ends[k - 1]!, throughId: k === ends.length - 1 ? null : ends[k]! };
}

/** The k-th of `count` equal slices of the id span [min, max] (an integer key's serial index parts). */
function idSpanPart(bounds: { min: number; max: number }, k: number, count: number): { afterId: number; lastId: number } {
  const span = bounds.max - bounds.min + 1;
  const edge = (at: number) => bounds.min - 1 + Math.floor((at * span) / count);
  return { afterId: edge(k), lastId: edge(k + 1) };
}

/**
 * The serial index of the whole table and the orders its entries point at, in shared memory; every
 * worker gets both. The workers read the index parts (a slice of ids each) while this thread reads
 * the orders; then each worker turns a part's order ids into references to the orders and adds
 * the part to the index's one hash table.
 */
async function attachSerialIndex(pool: WorkerPool, database: DatabaseSource, certificates: ScanConfig['database']['certificates']): Promise<void> {
  if (database.keyKind !== 'integer') refuseTextKeyIndex(certificates.table, certificates.columns.id);
  const bounds = await database.idBounds();
  const reading = Promise.all(bounds ? Array.from({ length: pool.size }, (_, k) => pool.readSerialIndexPart(idSpanPart(bounds, k, pool.size), k)) : []);
  reading.catch(() => undefined); // awaited below; this keeps a failure there from going unhandled if the orders fail first
  const orders = (await database.buildOrderStore()).toShared();
  const parts = await reading;
  const index = SerialIndex.over(parts).toShared();
  await Promise.all(parts.map((part, k) => pool.finishSerialIndexPart(part, k, index, orders)));
  pool.attachSerialIndex(index, orders);
}

/**
 * What the workers need to read logs and files: the CA's own issuers. A CT log holds every CA's
 * certificates, so it needs them; a folder of files is the user's own selection, and without
 * issuers every certificate in it is scanned. File scans also look for issuer + serial pairs that
 * two different certificates share.
 */
function logSettings(request: ScanRequest, plan: SourcePlan): WorkerSettings['ct'] {
  const { config } = request;
  const issuers = loadIssuerSet(request.issuers ?? config.ct.issuers, config.ct.issuerKeyHashes);
  const allIssuers = issuers.keyHashes.length === 0;
  if (allIssuers && plan.kind !== 'pem') throw new OperationalError("a CT scan needs the CA's issuers: --issuer FILE, or ct.issuers / ct.issuerKeyHashes in the config");
  if (plan.kind !== 'pem') return { issuers };
  const files = [...plan.tasks].flatMap((task) => (task.kind === 'certificate-file' ? [task.path] : []));
  return { issuers, allIssuers, duplicateSerials: findDuplicateSerials(files, serialKey) };
}

/**
 * A database scan whose numbers cannot be right says so. Zero rows read from a table that has
 * rows (a column declared INTEGER holding text, which ranges of integers never reach) stops the scan. Most
 * rows undecodable usually means the DER column's encoding is set wrong: a warning names the one
 * the stored values look like.
 */
async function checkRowsRead(database: DatabaseSource, mapping: ScanConfig['database'], scanned: number, undecodable: number, request: ScanRequest): Promise<string[]> {
  if (scanned === 0 && !request.filter && !request.range && !request.shard) {
    const rows = await database.rowCount();
    if (rows > 0) {
      throw new OperationalError(
        `read 0 of the ${rows} rows of ${mapping.certificates.table}: its key column ${mapping.certificates.columns.id} (database.certificates.columns.id) pages as ${database.keyKind === 'integer' ? 'an integer (its declared type) but holds other values, such as text' : 'text but holds no value any page reaches'}; map a unique key whose values match its declared type`,
      );
    }
  }
  if (scanned >= 2 && undecodable * 2 > scanned) {
    const looksLike = derEncodingOf(await database.firstStoredDer());
    const hint = looksLike && looksLike !== mapping.certificates.derEncoding ? `; the stored values look like ${looksLike}: set database.certificates.derEncoding to ${looksLike}` : '';
    return [`${undecodable} of ${scanned} certificates did not decode with database.certificates.derEncoding "${mapping.certificates.derEncoding}"${hint}`];
  }
  return [];
}

function sliceTasks(tasks: TaskBody[], shard: { index: number; count: number } | undefined): TaskBody[] {
  if (!shard) return tasks;
  const edge = (k: number) => Math.floor((k * tasks.length) / shard.count);
  return tasks.slice(edge(shard.index), edge(shard.index + 1));
}

/** Drops findings already reported (nightly look-back) and the certificates left with none. */
function withoutSuppressed(affected: AffectedCertificate[], suppress: ReadonlySet<string> | undefined): AffectedCertificate[] {
  if (!suppress || suppress.size === 0) return affected;
  return affected.flatMap((item) => {
    const findings = item.findings.filter((finding) => !suppress.has(`${item.row.ref}:${finding.check}`));
    return findings.length ? [{ ...item, findings }] : [];
  });
}

interface AuditCheckpoint {
  fingerprint: string;
  startedAt: string;
  seqWritten: number;
  resumeAfterId: RowKey | null;
  offsets: Record<string, number>;
  totals: Record<string, unknown>;
  counts: ScanCounts;
  reportedKeys: string[];
}

interface ScanCounts {
  firstId: RowKey | null;
  lastId: RowKey | null;
  fastDecoded: number;
  fastPathFallbacks: number;
  entriesRead: number;
  otherIssuerEntries: number;
  otherObjects?: number;
  inputProblems: number;
}

export async function runScan(originalRequest: ScanRequest, deps: ScanDeps): Promise<ScanOutcome> {
  const { config } = originalRequest;
  const location = databaseLocation(config.database, originalRequest.dbPath);
  // This connection only plans (by index probes); workers read the rows through their own.
  const database = await openDatabaseSource(location, config.database, { filter: originalRequest.filter });
  let request: ScanRequest;
  let outDir: string;
  try {
    request = await shardOf(originalRequest, database);
    // Never a folder another scan wrote: see reports/report_dir.ts.
    outDir =
      request.outDir !== undefined
        ? claimReportDir(request.outDir, { force: request.force === true })
        : uniqueReportDir(request.reportsBaseDir ?? config.output.baseDir, timestampDirName(deps.clock()), request.reportsBaseDir ? 'nightly.outputDir' : 'output.baseDir');
  } catch (error) {
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
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([configHash(config), database.display, request.filter ?? null, request.range ?? null, request.shard ?? null, discoveredAt, request.ct ?? null, request.pem ?? null, request.issuers ?? null]))
      .digest('hex');
    const statePath = join(outDir, AUDIT_STATE);
    let checkpoint: AuditCheckpoint | null = null;
    if (request.resumable && existsSync(statePath)) {
      checkpoint = JSON.parse(readFileSync(statePath, 'utf8')) as AuditCheckpoint;
      if (checkpoint.fingerprint !== fingerprint) throw new OperationalError(`${outDir} holds a checkpoint of a different audit (other config, database, dates or countries); use another --out`);
    }
    const startedAt = checkpoint ? new Date(checkpoint.startedAt) : deps.clock();
    refuseFutureDiscovery(discoveredAt, startedAt);
    const resumeRequest = checkpoint?.resumeAfterId != null ? { ...request, range: { ...request.range, afterId: checkpoint.resumeAfterId } } : request;
    const plan = planFor(resumeRequest, database);
    const fromLogs = !plan.fromDatabase;
    // Database audits resume from an id; log and file audits from a task number (their task list
    // is the same every time: tiles, pages and files in a fixed order).
    const tasks = plan.fromDatabase ? plan.tasks : sliceTasks(plan.tasks, request.shard).slice(checkpoint?.seqWritten ?? 0);
    const ct = fromLogs ? logSettings(request, plan) : undefined;
    reports = new ReportSet(outDir, request.resumable === true, checkpoint?.offsets, deps.afterReportWrite);
    pool = new WorkerPool(workerCount, {
      disabledChecks: config.checks.disabled,
      placeholderCountries: config.checks.placeholderCountries,
      placeholderValues: config.checks.placeholderValues,
      embargoedCountries: config.checks.embargoedCountries,
      fullDecodeOnly: request.fullDecodeOnly === true,
      databaseLocation: location,
      snapshot: await database.snapshot(),
      // Database scans of a server: the orders once, in shared memory, instead of a join per page.
      orders: plan.fromDatabase ? ((await database.ordersForPages())?.toShared() ?? null) : null,
      database: config.database,
      filter: request.filter,
      ct,
    });
    // Serial -> row, in shared memory that every worker reads: the CA's database stays read-only.
    if (fromLogs) await attachSerialIndex(pool, database, config.database.certificates);

    const totals = new SummaryAccumulator(startedAt, discoveredAt);
    if (checkpoint) totals.restore(checkpoint.totals);
    const bounds = deps.onProgress && !fromLogs ? await database.idBounds() : null;
    const taskList = Array.isArray(tasks) ? tasks : null;
    // CT entries pair up (precertificate + certificate) across the whole log, so their appendix
    // rows are written at the end, from a scratch file in the report directory; database rows stream.
    pairing = fromLogs ? new CtPairing(join(outDir, PAIRING_FILE), checkpoint !== null) : null;
    // Gigabytes of scratch: an interrupted scan removes it; a resumable audit keeps it for --resume.
    if (pairing && !request.resumable) trackScratch(pairing.path, `${pairing.path}-journal`);
    const activePairing = pairing;
    const counts: ScanCounts = checkpoint?.counts ?? { firstId: null, lastId: null, fastDecoded: 0, fastPathFallbacks: 0, entriesRead: 0, otherIssuerEntries: 0, inputProblems: 0 };
    const reportedKeys: string[] = checkpoint?.reportedKeys ?? [];
    let seqWritten = checkpoint?.seqWritten ?? 0;
    // Results come back in any order; they are written in source order so that reports do not
    // depend on the number of workers or their timing.
    const finished = new Map<number, { result: BatchResult; lastId: RowKey | null }>();
    let nextToWrite = 0;
    let lastCheckpointAt = performance.now();
    const writeReady = (files: ReportSet) => {
      for (let done = finished.get(nextToWrite); done; done = finished.get(nextToWrite)) {
        finished.delete(nextToWrite);
        const { result } = done;
        const affected = withoutSuppressed(result.affected, request.suppress);
        // Database rows only: nightly runs de-duplicate by row id, and log entries have none (a
        // million affected entries made a million identical keys).
        if (!fromLogs) for (const item of affected) for (const finding of item.findings) reportedKeys.push(`${item.row.ref}:${finding.check}`);
        files.write('findings.csv', findingsRows(affected));
        files.write('input-errors.csv', inputProblemRows(result.problems));
        totals.add(result.scanned, affected);
        if (activePairing) activePairing.add(affected);
        else {
          const records = affected.map(recordOf);
          files.write('ccadb-appendix.csv', appendixRows(records, startedAt, discoveredAt));
          files.write('crtsh.txt', crtshLines(records));
          totals.addCertificates(affected);
        }
        if (result.firstRef !== null) counts.firstId ??= result.firstRef;
        if (result.lastRef !== null) counts.lastId = result.lastRef;
        counts.fastDecoded += result.fastDecoded;
        counts.fastPathFallbacks += result.fastPathFallbacks;
        counts.entriesRead += result.entriesRead;
        counts.otherIssuerEntries += result.otherIssuerEntries;
        counts.otherObjects = (counts.otherObjects ?? 0) + result.otherObjects;
        counts.inputProblems += result.problems.length;
        for (const problem of result.problems) deps.onInputProblem?.(problem);
        nextToWrite++;
        seqWritten++;
        // A checkpoint rewrites the whole audit state (reported keys, CT pairs waiting): not after
        // every batch of a long audit, but once per checkpointIntervalMs (monotonic time).
        if (request.resumable && performance.now() - lastCheckpointAt >= config.output.checkpointIntervalMs) {
          lastCheckpointAt = performance.now();
          // The reports' bytes and the pending CT pairs first, then the checkpoint that points at
          // them (pairs added twice after a crash in between are recognized as such).
          activePairing?.checkpoint();
          const state: AuditCheckpoint = {
            fingerprint,
            startedAt: startedAt.toISOString(),
            seqWritten,
            resumeAfterId: done.lastId,
            offsets: files.checkpoint(),
            totals: totals.snapshot(),
            counts,
            reportedKeys,
          };
          writeFileAtomic(statePath, JSON.stringify(state));
          deps.afterCheckpoint?.(seqWritten);
        }
        if (deps.onProgress) {
          const span = bounds ? bounds.max - bounds.min : 0;
          const fraction = bounds ? (span > 0 && result.lastRef !== null ? (Number(result.lastRef) - bounds.min) / span : 1) : taskList?.length ? nextToWrite / taskList.length : 0;
          deps.onProgress({ certificatesDone: totals.certificatesScanned, fraction });
        }
      }
    };

    const limit = pLimit(pool.capacity);
    const maxInFlight = pool.capacity + workerCount * config.batchesInFlightPerWorker;
    const inFlight = new Set<Promise<void>>();
    let firstError: unknown = null;
    let seq = 0;
    const activePool = pool;
    const activeReports = reports;
    // The main thread only plans tasks (id ranges, tiles, pages, files); each worker reads its own
    // through its own connection, so reading scales with the workers and memory stays flat.
    for await (const body of tasks) {
      if (firstError) break;
      const batch: BatchMessage = { ...body, seq: seq++ };
      const lastId = body.kind === 'db-range' ? body.lastId : null;
      const task: Promise<void> = limit(() => activePool.run(batch))
        .then((result) => {
          finished.set(result.seq, { result, lastId });
          writeReady(activeReports);
        })
        .catch((error: unknown) => {
          firstError ??= error;
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      // Bounded queue: the planner waits while enough batches are in flight.
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (firstError) throw firstError;
    if (pairing) {
      for (const records of pairing.inLogOrder()) {
        reports.write('ccadb-appendix.csv', appendixRows(records, startedAt, discoveredAt));
        reports.write('crtsh.txt', crtshLines(records));
        totals.addCertificates(records.map((record) => record.item));
      }
    }

    const warnings = fromLogs ? [] : await checkRowsRead(database, config.database, totals.certificatesScanned, totals.counts.byClass.undecodable, request);
    const described = database.describe();
    const source = {
      ...described,
      kind: plan.kind,
      ...(plan.input ? { input: plan.input } : {}),
      firstId: counts.firstId,
      lastId: counts.lastId,
      ...(request.filter ? { filter: request.filter } : {}),
      ...(request.shard ? { shard: `${request.shard.index}/${request.shard.count}` } : {}),
    };
    const configSha256 = configHash(config);
    const scanId = createHash('sha256').update(JSON.stringify([configSha256, source, startedAt.toISOString(), request.kind ?? 'scan'])).digest('hex').slice(0, 16);
    const summary: ScanSummary = {
      scanId,
      tool: { name: 'certscan', version: VERSION },
      startedAt: startedAt.toISOString(),
      finishedAt: deps.clock().toISOString(),
      source,
      workers: workerCount,
      configSha256,
      certificatesScanned: totals.certificatesScanned,
      findings: totals.findings,
      findingsByCheck: totals.findingsByCheck,
      ...countFields(totals.counts),
      discoveredAt: discoveredAt?.toISOString() ?? null,
      incidentReport: { template: request.reportTemplate ?? 'full', ...config.report },
      reports: [...REPORT_FILES],
      decoding: { fastPath: counts.fastDecoded, fastPathFallbacks: counts.fastPathFallbacks },
      ...(fromLogs ? { logEntries: { read: counts.entriesRead, ownIssuers: totals.certificatesScanned, otherIssuers: counts.otherIssuerEntries, issuerFilter: ct?.allIssuers !== true, otherObjects: counts.otherObjects ?? 0 } } : {}),
      inputProblems: counts.inputProblems,
      workerRestarts: pool.restarts.length,
      ...(warnings.length ? { warnings } : {}),
      ...(request.configFile ? { configFile: request.configFile } : {}),
    };
    refuseDiscoveryBeforeIssuance(discoveredAt, summary.firstAffectedNotBefore);
    await reports.commit(summary);
    if (request.resumable) rmSync(statePath, { force: true });
    // Only now: until the checkpoint is gone, a resumed audit would need the pending pairs.
    pairing?.close(false);
    if (pairing) untrackScratch(pairing.path, `${pairing.path}-journal`);
    untrackMadeDir(outDir);
    const ledgerPath = request.ledgerPath === undefined ? join(config.output.baseDir, 'ledger.jsonl') : request.ledgerPath;
    if (ledgerPath) {
      appendLedger(ledgerPath, {
        scanId,
        kind: request.kind ?? 'scan',
        startedAt: summary.startedAt,
        finishedAt: summary.finishedAt,
        tool: summary.tool,
        configSha256,
        source,
        findingsByCheck: summary.findingsByCheck,
        certificatesScanned: summary.certificatesScanned,
        affectedCertificates: summary.affectedCertificates,
        reportDir: outDir,
        reports: hashReports(outDir, REPORT_FILES),
      });
    }
    return { summary, outDir, reportedKeys };
  } catch (error) {
    reports?.abort();
    // A resumable audit keeps its pending pairs (rolled back to the last checkpoint) for --resume.
    pairing?.close(request.resumable === true);
    removeMadeDirsIfEmpty();
    throw error;
  } finally {
    await pool?.close();
    await database.close();
  }
}
