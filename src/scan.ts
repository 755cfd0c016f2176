// runScan: wires the source, the worker pool and the report writers. Source -> decode + checks
// (in workers) -> reports (on this thread, in source order).
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import type { Clock } from './clock.js';
import { resolveWorkerCount, type ScanConfig } from './config.js';
import { IssuanceDatabase } from './sources/issuance_db.js';
import { WorkerPool } from './pool/pool.js';
import type { BatchResult } from './inspect.js';
import { AtomicFile, writeFileAtomic } from './reports/atomic_file.js';
import { findingsHeader, findingsRows } from './reports/findings_csv.js';
import { appendixHeader, appendixRows, crtshLines } from './reports/ccadb_appendix.js';
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
}

export interface ScanOutcome {
  summary: ScanSummary;
  outDir: string;
}

export const REPORT_FILES = ['findings.csv', 'ccadb-appendix.csv', 'crtsh.txt', 'summary.json', 'summary.md'] as const;

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

export async function runScan(request: ScanRequest, deps: ScanDeps): Promise<ScanOutcome> {
  const { config } = request;
  const startedAt = deps.clock();
  const source = IssuanceDatabase.open(request.dbPath ?? config.database.path, config.database);
  const outDir = resolve(request.outDir ?? join(config.output.baseDir, timestampDirName(startedAt)));
  const workerCount = request.workers ?? resolveWorkerCount(config);
  let pool: WorkerPool | null = null;
  let findingsFile: AtomicFile | null = null;
  let appendixFile: AtomicFile | null = null;
  let crtshFile: AtomicFile | null = null;
  const discoveredAt = request.discoveredAt ?? null;
  try {
    mkdirSync(outDir, { recursive: true });
    findingsFile = new AtomicFile(join(outDir, 'findings.csv'));
    appendixFile = new AtomicFile(join(outDir, 'ccadb-appendix.csv'));
    crtshFile = new AtomicFile(join(outDir, 'crtsh.txt'));
    findingsFile.write(findingsHeader());
    appendixFile.write(appendixHeader());
    pool = new WorkerPool(workerCount, {
      disabledChecks: config.checks.disabled,
      placeholderCountries: config.checks.placeholderCountries,
      placeholderValues: config.checks.placeholderValues,
      embargoedCountries: config.checks.embargoedCountries,
      fullDecodeOnly: request.fullDecodeOnly === true,
      databasePath: source.path,
      database: config.database,
    });

    const totals = new SummaryAccumulator(startedAt, discoveredAt);
    const bounds = deps.onProgress ? source.idBounds() : null;
    let firstId: number | null = null;
    let lastId: number | null = null;
    let fastDecoded = 0;
    let fastPathFallbacks = 0;
    // Results come back in any order; they are written in source order so that reports do not
    // depend on the number of workers or their timing.
    const finished = new Map<number, BatchResult>();
    let nextToWrite = 0;
    const writeReady = () => {
      for (let result = finished.get(nextToWrite); result; result = finished.get(nextToWrite)) {
        finished.delete(nextToWrite);
        findingsFile!.write(findingsRows(result.affected));
        appendixFile!.write(appendixRows(result.affected, startedAt, discoveredAt));
        crtshFile!.write(crtshLines(result.affected));
        totals.add(result.scanned, result.affected);
        if (result.firstRef !== null) firstId ??= result.firstRef;
        if (result.lastRef !== null) lastId = result.lastRef;
        fastDecoded += result.fastDecoded;
        fastPathFallbacks += result.fastPathFallbacks;
        nextToWrite++;
        if (deps.onProgress && bounds && result.lastRef !== null) {
          const span = bounds.max - bounds.min;
          deps.onProgress({ certificatesDone: totals.certificatesScanned, fraction: span > 0 ? (result.lastRef - bounds.min) / span : 1 });
        }
      }
    };

    const limit = pLimit(workerCount);
    const maxInFlight = workerCount * (1 + config.batchesInFlightPerWorker);
    const inFlight = new Set<Promise<void>>();
    let firstError: unknown = null;
    let seq = 0;
    const activePool = pool;
    // The main thread only plans id ranges; each worker reads its own ranges through its own
    // read-only connection, so reading scales with the workers and memory stays flat.
    for (const range of source.ranges(config.database.pageSize)) {
      if (firstError) break;
      const batch = { seq: seq++, ...range };
      const task: Promise<void> = limit(() => activePool.run(batch))
        .then((result) => {
          finished.set(result.seq, result);
          writeReady();
        })
        .catch((error: unknown) => {
          firstError ??= error;
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      // Bounded queue: the reader waits while enough batches are in flight, so memory stays flat.
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (firstError) throw firstError;

    const summary: ScanSummary = {
      tool: { name: 'certscan', version: VERSION },
      startedAt: startedAt.toISOString(),
      finishedAt: deps.clock().toISOString(),
      source: { ...source.describe(), firstId, lastId },
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
      decoding: { fastPath: fastDecoded, fastPathFallbacks },
    };
    findingsFile.commit();
    appendixFile.commit();
    crtshFile.commit();
    writeFileAtomic(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileAtomic(join(outDir, 'summary.md'), renderSummaryMarkdown(summary));
    return { summary, outDir };
  } catch (error) {
    findingsFile?.abort();
    appendixFile?.abort();
    crtshFile?.abort();
    throw error;
  } finally {
    await pool?.close();
    source.close();
  }
}
