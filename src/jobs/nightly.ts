// certscan nightly: scan what was issued since the last successful night, from a checkpoint.
// Ids are not strictly in issuance order in real CA databases, so each night also re-reads a
// look-back window below the checkpoint; findings already reported are never reported again.
// A text key (EJBCA's fingerprint) has no order at all: those nights go by issue time instead.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ScanConfig } from '../config.js';
import { OperationalError } from '../errors.js';
import { writeFileAtomic } from '../reports/atomic_file.js';
import { runScan, type ScanDeps, type ScanOutcome } from '../scan.js';
import { databaseLocation, openDatabaseSource } from '../sources/database/database_source.js';
import { isServerUrl, redactUrl } from '../sources/database/location.js';
import { precertificateDatabase } from '../sources/database/precertificates.js';
import { PRECERTIFICATE_KEY_PREFIX } from '../scan/nightly_suppress.js';
import type { RowKey } from '../sources/types.js';
import type { KeyKind } from '../sources/database/row_key.js';

export interface NightlyState {
  /** The database these ids and keys belong to (absolute path): another database never shares them. */
  source: string | null;
  /** Highest certificates id scanned by a successful night. */
  highestId: number | null;
  /** With database.precertificates: the highest id of that table (its own ids) scanned by a successful night. */
  precertificatesHighestId: number | null;
  /** issued_at of the rows the last night scanned (first and last). */
  issuedAtWindow: { from: string | null; to: string | null } | null;
  lastRunAt: string | null;
  lastScanId: string | null;
  /** `<cert_id>:<check>` already reported, for ids still inside the look-back window. */
  reported: string[];
  /** Nights by issue time (a text key): the start of the last successful night. */
  issuedAtCheckpoint?: string | null;
  /** Nights by issue time: when each reported key was first reported (kept while its night is inside the look-back). */
  reportedAt?: Record<string, string>;
}

const EMPTY: NightlyState = { source: null, highestId: null, precertificatesHighestId: null, issuedAtWindow: null, lastRunAt: null, lastScanId: null, reported: [] };
const HOUR_MS = 3_600_000;

export function loadNightlyState(path: string): NightlyState {
  if (!existsSync(path)) return structuredClone(EMPTY);
  try {
    return { ...EMPTY, ...(JSON.parse(readFileSync(path, 'utf8')) as Partial<NightlyState>) };
  } catch (error) {
    throw new OperationalError(`nightly state ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export interface NightlyOutcome extends ScanOutcome {
  state: NightlyState;
}

export async function runNightly(config: ScanConfig, deps: ScanDeps, options: { dbPath?: string; workers?: number; configFile?: string } = {}): Promise<NightlyOutcome> {
  const state = loadNightlyState(config.nightly.stateFile);
  const location = databaseLocation(config.database, options.dbPath);
  // A server by its URL without the password; a SQLite file by its absolute path.
  const source = isServerUrl(location) ? redactUrl(location) : resolve(location);
  // Ids and reported keys of database A say nothing about database B: B would lose findings.
  // (A missing database gets the scan's own "database not found".)
  if (state.source !== null && state.source !== source && (isServerUrl(location) || existsSync(source))) {
    throw new OperationalError(`nightly state ${config.nightly.stateFile} belongs to ${state.source}, not ${source}; give each database its own nightly.stateFile (--config)`);
  }
  if ((await keyKindOf(config.database, location)) !== 'integer') {
    if (config.database.precertificates) throw new OperationalError(`certscan nightly by issue time (a text key in database.certificates.columns.id) reads no precertificates table; map an integer key`);
    return runNightlyByIssueTime(config, deps, options, state, source);
  }
  if (state.issuedAtCheckpoint) throw new OperationalError(`nightly state ${config.nightly.stateFile} was written by nights by issue time (a text key), but "${config.database.certificates.columns.id}" is an integer key now; give this mapping its own nightly.stateFile`);
  // Each table from its own checkpoint, with the same look-back (see docs/presets.md, Boulder).
  const lookback = (highest: number | null) => (highest === null ? undefined : highest - config.nightly.lookbackIds);
  const afterId = lookback(state.highestId);
  const precertificatesAfterId = lookback(state.precertificatesHighestId);
  if (config.database.precertificates && (await keyKindOf(precertificateDatabase(config.database), location)) !== 'integer') {
    throw new OperationalError(`certscan nightly: "${config.database.precertificates.columns?.id ?? 'id'}" of the precertificates table is a text key; map an integer key that grows with issuance`);
  }
  const outcome = await runScan(
    {
      config,
      dbPath: options.dbPath,
      workers: options.workers,
      kind: 'nightly',
      range: { afterId },
      ...(config.database.precertificates ? { precertificateRange: { afterId: precertificatesAfterId ?? null } } : {}),
      suppress: new Set(state.reported),
      reportsBaseDir: config.nightly.outputDir,
      configFile: options.configFile,
    },
    deps,
  );
  const highest = (before: number | null, read: RowKey | null | undefined) => {
    const value = Math.max(before ?? Number.MIN_SAFE_INTEGER, Number(read ?? Number.MIN_SAFE_INTEGER));
    return value === Number.MIN_SAFE_INTEGER ? null : value;
  };
  const highestId = highest(state.highestId, outcome.summary.source.lastId) ?? Number.MIN_SAFE_INTEGER;
  const precertificatesHighestId = highest(state.precertificatesHighestId, outcome.summary.source.precertificates?.lastId);
  const floor = highestId - config.nightly.lookbackIds;
  const precertificatesFloor = (precertificatesHighestId ?? Number.MIN_SAFE_INTEGER) - config.nightly.lookbackIds;
  // A key is kept while its row is inside its own table's look-back window.
  const inWindow = (key: string) => {
    const precertificate = key.startsWith(PRECERTIFICATE_KEY_PREFIX);
    const rest = precertificate ? key.slice(PRECERTIFICATE_KEY_PREFIX.length) : key;
    return Number(rest.slice(0, rest.indexOf(':'))) > (precertificate ? precertificatesFloor : floor);
  };
  const next: NightlyState = {
    source,
    highestId: highestId === Number.MIN_SAFE_INTEGER ? null : highestId,
    precertificatesHighestId,
    issuedAtWindow: await issuedAtWindow(config, options.dbPath, afterId, highestId),
    lastRunAt: outcome.summary.startedAt,
    lastScanId: outcome.summary.scanId,
    // Keys below the window will never be read again: they can go.
    reported: [...new Set([...state.reported, ...outcome.reportedKeys])].filter(inWindow).sort(),
  };
  // Only a night that finished moves the checkpoint.
  writeFileAtomic(config.nightly.stateFile, `${JSON.stringify(next, null, 2)}\n`);
  return { ...outcome, state: next };
}

/** Integer or text: how the mapped certificate key orders the rows. */
async function keyKindOf(database: ScanConfig['database'], location: string): Promise<KeyKind> {
  const opened = await openDatabaseSource(location, database);
  try {
    return opened.keyKind;
  } finally {
    await opened.close();
  }
}

/**
 * Nights by issue time, for a text key: a hash such as EJBCA's fingerprint has no order of
 * issuance, so "above last night's highest key" would miss rows issued today. Each night reads
 * the certificates issued since `nightly.lookbackHours` before the last night's start (backdated
 * notBefore, rows written late), every certificate the first night; a finding already reported
 * is not reported again while its night is inside that window.
 */
async function runNightlyByIssueTime(
  config: ScanConfig,
  deps: ScanDeps,
  options: { dbPath?: string; workers?: number; configFile?: string },
  state: NightlyState,
  source: string,
): Promise<NightlyOutcome> {
  if (state.highestId !== null) {
    throw new OperationalError(`nightly state ${config.nightly.stateFile} holds an id checkpoint (${state.highestId}), but "${config.database.certificates.columns.id}" is a text key now; give this mapping its own nightly.stateFile`);
  }
  const lookbackMs = config.nightly.lookbackHours * HOUR_MS;
  const issuedFrom = state.issuedAtCheckpoint ? new Date(Date.parse(state.issuedAtCheckpoint) - lookbackMs).toISOString() : undefined;
  const outcome = await runScan(
    {
      config,
      dbPath: options.dbPath,
      workers: options.workers,
      kind: 'nightly',
      ...(issuedFrom ? { filter: { issuedFrom } } : {}),
      suppress: new Set(state.reported),
      reportsBaseDir: config.nightly.outputDir,
      configFile: options.configFile,
    },
    deps,
  );
  const checkpoint = outcome.summary.startedAt;
  // A key is kept while the night that reported it is inside the next night's window: its
  // certificate was issued before that night, so the next nights read it only while it is.
  const floor = Date.parse(checkpoint) - lookbackMs;
  const reportedAt: Record<string, string> = {};
  for (const [key, at] of Object.entries(state.reportedAt ?? {})) if (Date.parse(at) >= floor) reportedAt[key] = at;
  for (const key of outcome.reportedKeys) reportedAt[key] ??= checkpoint;
  const next: NightlyState = {
    ...EMPTY,
    source,
    issuedAtWindow: { from: issuedFrom ?? null, to: checkpoint },
    lastRunAt: checkpoint,
    lastScanId: outcome.summary.scanId,
    reported: Object.keys(reportedAt).sort(),
    issuedAtCheckpoint: checkpoint,
    reportedAt,
  };
  writeFileAtomic(config.nightly.stateFile, `${JSON.stringify(next, null, 2)}\n`);
  return { ...outcome, state: next };
}

async function issuedAtWindow(config: ScanConfig, dbPath: string | undefined, afterId: number | undefined, throughId: number): Promise<NightlyState['issuedAtWindow']> {
  const database = await openDatabaseSource(databaseLocation(config.database, dbPath), config.database);
  try {
    return await database.issuedAtWindow(afterId ?? null, throughId);
  } finally {
    await database.close();
  }
}
