// runScan: wires the source, the worker pool and the report writers. Source -> decode + checks
// (in workers) -> reports (on this thread, in source order).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import type { Clock } from './clock.js';
import { resolveWorkerCount, type ScanConfig } from './config.js';
import { IssuanceDatabase } from './sources/issuance_db.js';
import { WorkerPool } from './pool/pool.js';
import type { BatchResult } from './inspect.js';
import { AtomicFile, writeFileAtomic } from './reports/atomic_file.js';
import { findingsHeader, findingsRows } from './reports/findings_csv.js';
import { CtPairing, appendixHeader, appendixRows, crtshLines, recordOf } from './reports/ccadb_appendix.js';
import { inputProblemRows, inputProblemsHeader } from './reports/input_errors.js';
import { OperationalError } from './errors.js';
import { loadIssuerSet } from './sources/ct/issuers.js';
import type { InputProblem } from './sources/ct/entries.js';
import { planCertificateFiles, planCtSource, planDatabaseRanges, type SourcePlan } from './sources/plan.js';
import type { BatchMessage, WorkerSettings } from './pool/messages.js';
import { SummaryAccumulator, renderSummaryMarkdown, type ScanSummary } from './reports/summary.js';
import { VERSION } from './version.js';

export interface ScanRequest {
  config: ScanConfig;
  /** Overrides config.database.path. */
  dbPath?: string;
  /** Report directory; default `<config.output.baseDir>/<UTC timestamp>/`. */
  outDir?: string;
  /** Overrides config.workers. */
  workers?: number;
  /** When the CA first learned of the problem, if before this scan: revocation deadlines run from it. */
  discoveredAt?: Date;
  /** Read a CT export (static-ct tiles or RFC 6962 get-entries pages) instead of the database rows. */
  ct?: string;
  /** Read PEM / DER certificate files instead of the database rows. */
  pem?: string;
  /** The CA's issuing certificates (PEM or DER files); overrides config ct.issuers. */
  issuers?: string[];
  /** Decode every certificate fully with pkijs (no fast path): the reference the bench compares with. */
  fullDecodeOnly?: boolean;
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
}

export interface ScanOutcome {
  summary: ScanSummary;
  outDir: string;
}

export const REPORT_FILES = ['findings.csv', 'ccadb-appendix.csv', 'crtsh.txt', 'input-errors.csv', 'summary.json', 'summary.md'] as const;

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

/** Everything a scan writes, each to a temp name until the scan has finished. */
class ReportFiles {
  readonly findings: AtomicFile;
  readonly appendix: AtomicFile;
  readonly crtsh: AtomicFile;
  readonly inputErrors: AtomicFile;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.findings = new AtomicFile(join(dir, 'findings.csv'));
    this.appendix = new AtomicFile(join(dir, 'ccadb-appendix.csv'));
    this.crtsh = new AtomicFile(join(dir, 'crtsh.txt'));
    this.inputErrors = new AtomicFile(join(dir, 'input-errors.csv'));
    this.findings.write(findingsHeader());
    this.appendix.write(appendixHeader());
    this.inputErrors.write(inputProblemsHeader());
  }

  private get all(): AtomicFile[] {
    return [this.findings, this.appendix, this.crtsh, this.inputErrors];
  }

  commit(summary: ScanSummary): void {
    for (const file of this.all) file.commit();
    writeFileAtomic(join(this.dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileAtomic(join(this.dir, 'summary.md'), renderSummaryMarkdown(summary));
  }

  abort(): void {
    for (const file of this.all) file.abort();
  }
}

function planFor(request: ScanRequest, database: IssuanceDatabase): SourcePlan {
  if (request.ct && request.pem) throw new OperationalError('give either --ct or --pem, not both');
  if (request.ct) return planCtSource(request.ct);
  if (request.pem) return planCertificateFiles(request.pem);
  return planDatabaseRanges(database, request.config.database.pageSize);
}

export async function runScan(request: ScanRequest, deps: ScanDeps): Promise<ScanOutcome> {
  const { config } = request;
  const startedAt = deps.clock();
  const database = IssuanceDatabase.open(request.dbPath ?? config.database.path, config.database);
  const outDir = resolve(request.outDir ?? join(config.output.baseDir, timestampDirName(startedAt)));
  const workerCount = request.workers ?? resolveWorkerCount(config);
  const discoveredAt = request.discoveredAt ?? null;
  let pool: WorkerPool | null = null;
  let reports: ReportFiles | null = null;
  let scratch: string | null = null;
  try {
    const plan = planFor(request, database);
    const fromLogs = plan.kind !== 'sqlite';
    let ct: WorkerSettings['ct'];
    if (fromLogs) {
      const issuers = loadIssuerSet(request.issuers ?? config.ct.issuers, config.ct.issuerKeyHashes);
      if (issuers.keyHashes.length === 0) throw new OperationalError('a CT or PEM scan needs the CA\'s issuers: --issuer FILE, or ct.issuers / ct.issuerKeyHashes in the config');
      // certscan's own lookup file (serial -> row), next to nothing of the CA's: its database stays read-only.
      scratch = mkdtempSync(join(tmpdir(), 'certscan-'));
      const serialIndexPath = join(scratch, 'serials.sqlite');
      database.writeSerialIndex(serialIndexPath);
      ct = { issuers, serialIndexPath };
    }
    reports = new ReportFiles(outDir);
    pool = new WorkerPool(workerCount, {
      disabledChecks: config.checks.disabled,
      placeholderCountries: config.checks.placeholderCountries,
      placeholderValues: config.checks.placeholderValues,
      embargoedCountries: config.checks.embargoedCountries,
      fullDecodeOnly: request.fullDecodeOnly === true,
      databasePath: database.path,
      database: config.database,
      ct,
    });

    const totals = new SummaryAccumulator(startedAt, discoveredAt);
    const bounds = deps.onProgress && !fromLogs ? database.idBounds() : null;
    const taskCount = Array.isArray(plan.tasks) ? plan.tasks.length : 0;
    // CT entries pair up (precertificate + certificate) across the whole log, so their appendix
    // rows are written at the end; database rows stream.
    const pairing = fromLogs ? new CtPairing() : null;
    const counts = { firstId: null as number | null, lastId: null as number | null, fastDecoded: 0, fastPathFallbacks: 0, entriesRead: 0, otherIssuerEntries: 0, inputProblems: 0 };
    // Results come back in any order; they are written in source order so that reports do not
    // depend on the number of workers or their timing.
    const finished = new Map<number, BatchResult>();
    let nextToWrite = 0;
    const writeReady = (files: ReportFiles) => {
      for (let result = finished.get(nextToWrite); result; result = finished.get(nextToWrite)) {
        finished.delete(nextToWrite);
        files.findings.write(findingsRows(result.affected));
        files.inputErrors.write(inputProblemRows(result.problems));
        totals.add(result.scanned, result.affected);
        if (pairing) pairing.add(result.affected);
        else {
          const records = result.affected.map(recordOf);
          files.appendix.write(appendixRows(records, startedAt, discoveredAt));
          files.crtsh.write(crtshLines(records));
          totals.addCertificates(result.affected);
        }
        if (result.firstRef !== null) counts.firstId ??= result.firstRef;
        if (result.lastRef !== null) counts.lastId = result.lastRef;
        counts.fastDecoded += result.fastDecoded;
        counts.fastPathFallbacks += result.fastPathFallbacks;
        counts.entriesRead += result.entriesRead;
        counts.otherIssuerEntries += result.otherIssuerEntries;
        counts.inputProblems += result.problems.length;
        for (const problem of result.problems) deps.onInputProblem?.(problem);
        nextToWrite++;
        if (deps.onProgress) {
          const span = bounds ? bounds.max - bounds.min : 0;
          const fraction = bounds ? (span > 0 && result.lastRef !== null ? (result.lastRef - bounds.min) / span : 1) : taskCount ? nextToWrite / taskCount : 0;
          deps.onProgress({ certificatesDone: totals.certificatesScanned, fraction });
        }
      }
    };

    const limit = pLimit(workerCount);
    const maxInFlight = workerCount * (1 + config.batchesInFlightPerWorker);
    const inFlight = new Set<Promise<void>>();
    let firstError: unknown = null;
    let seq = 0;
    const activePool = pool;
    const activeReports = reports;
    // The main thread only plans tasks (id ranges, tiles, pages, files); each worker reads its own
    // through its own connection, so reading scales with the workers and memory stays flat.
    for (const body of plan.tasks) {
      if (firstError) break;
      const batch: BatchMessage = { ...body, seq: seq++ };
      const task: Promise<void> = limit(() => activePool.run(batch))
        .then((result) => {
          finished.set(result.seq, result);
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
      const records = pairing.inLogOrder();
      reports.appendix.write(appendixRows(records, startedAt, discoveredAt));
      reports.crtsh.write(crtshLines(records));
      totals.addCertificates(records.map((record) => record.item));
    }

    const summary: ScanSummary = {
      tool: { name: 'certscan', version: VERSION },
      startedAt: startedAt.toISOString(),
      finishedAt: deps.clock().toISOString(),
      source: { ...database.describe(), kind: plan.kind, ...(plan.input ? { input: plan.input } : {}), firstId: counts.firstId, lastId: counts.lastId },
      workers: workerCount,
      configSha256: configHash(config),
      certificatesScanned: totals.certificatesScanned,
      affectedCertificates: totals.affectedCertificates,
      findings: totals.findings,
      findingsByCheck: totals.findingsByCheck,
      affectedByValidationType: totals.affectedByValidationType,
      stillValid: totals.stillValid,
      revoked: totals.revoked,
      expired: totals.expired,
      undecodable: totals.undecodable,
      firstAffectedNotBefore: totals.firstAffectedNotBefore,
      lastAffectedNotBefore: totals.lastAffectedNotBefore,
      discoveredAt: discoveredAt?.toISOString() ?? null,
      revocation: totals.revocationSummary(),
      reports: [...REPORT_FILES],
      decoding: { fastPath: counts.fastDecoded, fastPathFallbacks: counts.fastPathFallbacks },
      ...(fromLogs ? { logEntries: { read: counts.entriesRead, ownIssuers: totals.certificatesScanned, otherIssuers: counts.otherIssuerEntries } } : {}),
      inputProblems: counts.inputProblems,
    };
    reports.commit(summary);
    return { summary, outDir };
  } catch (error) {
    reports?.abort();
    throw error;
  } finally {
    await pool?.close();
    database.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
