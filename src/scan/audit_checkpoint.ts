// A resumable audit's checkpoint: the report files' offsets, the totals and counts so far and where
// the source stopped, in the report directory. The same audit (same config, database, filters,
// shard, inputs) continues from it; another audit is refused.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ScanConfig } from '../config.js';
import { OperationalError } from '../errors.js';
import { writeFileAtomic } from '../reports/atomic_file.js';
import { AUDIT_STATE } from '../reports/report_dir.js';
import type { RowFilter } from '../sources/issuance_db.js';
import { configHash } from './config_hash.js';
import type { ScanCounts } from './scan_counts.js';
import type { ScanState } from './scan_state.js';
import type { PrecertificatePass } from '../sources/database/precertificates.js';
import type { VettedData } from '../reports/vetted_data.js';
import type { RowKey } from '../sources/types.js';

export interface AuditCheckpoint {
  fingerprint: string;
  startedAt: string;
  seqWritten: number;
  resumeAfterId: RowKey | null;
  /** resumeAfterId is a key of database.precertificates (the certificates table was done). */
  resumeInPrecertificates?: boolean;
  precertificates?: ReturnType<PrecertificatePass['snapshot']>;
  vettedData?: VettedData;
  offsets: Record<string, number>;
  totals: Record<string, unknown>;
  counts: ScanCounts;
  reportedKeys: string[];
}

/** What makes two audits the same audit. */
export interface AuditIdentity {
  config: ScanConfig;
  databaseDisplay: string;
  filter?: RowFilter;
  range?: { afterId?: RowKey | null; throughId?: RowKey | null };
  shard?: { index: number; count: number };
  discoveredAt: Date | null;
  ct?: string;
  pem?: string;
  issuers?: string[];
}

export function auditFingerprint(audit: AuditIdentity): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        configHash(audit.config),
        audit.databaseDisplay,
        audit.filter ?? null,
        audit.range ?? null,
        audit.shard ?? null,
        audit.discoveredAt,
        audit.ct ?? null,
        audit.pem ?? null,
        audit.issuers ?? null,
      ]),
    )
    .digest('hex');
}

export const auditStatePath = (outDir: string) => join(outDir, AUDIT_STATE);

/** The checkpoint the same audit left in `outDir`, if any; another audit's is refused. */
export function readAuditCheckpoint(outDir: string, fingerprint: string): AuditCheckpoint | null {
  const statePath = auditStatePath(outDir);
  if (!existsSync(statePath)) return null;
  const checkpoint = JSON.parse(readFileSync(statePath, 'utf8')) as AuditCheckpoint;
  if (checkpoint.fingerprint !== fingerprint) throw new OperationalError(`${outDir} holds a checkpoint of a different audit (other config, database, dates or countries); use another --out`);
  return checkpoint;
}

export function removeAuditCheckpoint(outDir: string): void {
  rmSync(auditStatePath(outDir), { force: true });
}

export interface CheckpointParts extends ScanState {
  outDir: string;
  fingerprint: string;
  startedAt: Date;
  intervalMs: number;
  afterCheckpoint?: (batchesWritten: number) => void;
}

/**
 * Writes the checkpoint as batches are written. It rewrites the whole audit state (reported keys,
 * CT pairs waiting): not after every batch of a long audit, but once per interval (monotonic time).
 */
export class AuditCheckpointer {
  private lastCheckpointAt = performance.now();

  constructor(private readonly parts: CheckpointParts) {}

  afterBatch(seqWritten: number, resumeAfterId: RowKey | null, inPrecertificates: boolean): void {
    const { parts } = this;
    if (performance.now() - this.lastCheckpointAt < parts.intervalMs) return;
    this.lastCheckpointAt = performance.now();
    // The reports' bytes and the pending CT pairs first, then the checkpoint that points at
    // them (pairs added twice after a crash in between are recognized as such).
    parts.pairing?.checkpoint();
    const state: AuditCheckpoint = {
      fingerprint: parts.fingerprint,
      startedAt: parts.startedAt.toISOString(),
      seqWritten,
      resumeAfterId,
      ...(parts.vettedData ? { vettedData: parts.vettedData } : {}),
      ...(parts.precertificates ? { resumeInPrecertificates: inPrecertificates, precertificates: parts.precertificates.snapshot() } : {}),
      offsets: parts.reports.checkpoint(),
      totals: parts.totals.snapshot(),
      counts: parts.counts,
      reportedKeys: parts.reportedKeys,
    };
    writeFileAtomic(auditStatePath(parts.outDir), JSON.stringify(state));
    parts.afterCheckpoint?.(seqWritten);
  }
}
