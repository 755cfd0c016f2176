// The scan's summary (source identity, totals, counts, decoding and log statistics) and its ledger
// entry, from what the run counted.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ScanConfig } from '../config.js';
import { appendLedger, hashReports, type LedgerEntry } from '../ledger.js';
import type { WorkerSettings } from '../pool/messages.js';
import { REPORT_FILES } from '../reports/report_dir.js';
import { countFields, type ReportTemplate, type ScanSummary, type SummaryAccumulator } from '../reports/summary.js';
import type { DatabaseSource } from '../sources/database/database_source.js';
import type { RowFilter } from '../sources/issuance_db.js';
import type { SourcePlan } from '../sources/plan.js';
import { VERSION } from '../version.js';
import { configHash } from './config_hash.js';
import type { ScanCounts } from './scan_counts.js';
import type { PrecertificatePass } from '../sources/database/precertificates.js';
import type { VettedData } from '../reports/vetted_data.js';

export interface SummaryParts {
  config: ScanConfig;
  database: DatabaseSource;
  plan: SourcePlan;
  filter?: RowFilter;
  shard?: { index: number; count: number };
  kind?: LedgerEntry['kind'];
  reportTemplate?: ReportTemplate;
  configFile?: string;
  startedAt: Date;
  finishedAt: Date;
  discoveredAt: Date | null;
  workers: number;
  workerRestarts: number;
  totals: SummaryAccumulator;
  counts: ScanCounts;
  ct: WorkerSettings['ct'];
  warnings: string[];
  precertificates: PrecertificatePass | null;
  vettedData: VettedData | null;
}

export function assembleSummary(parts: SummaryParts): ScanSummary {
  const { config, plan, totals, counts, startedAt, discoveredAt, warnings } = parts;
  const fromLogs = !plan.fromDatabase;
  const source = {
    ...parts.database.describe(),
    kind: plan.kind,
    ...(plan.input ? { input: plan.input } : {}),
    ...(parts.precertificates ? { precertificates: parts.precertificates.describe() } : {}),
    firstId: counts.firstId,
    lastId: counts.lastId,
    ...(parts.filter ? { filter: parts.filter } : {}),
    ...(parts.shard ? { shard: `${parts.shard.index}/${parts.shard.count}` } : {}),
  };
  const configSha256 = configHash(config);
  const scanId = createHash('sha256').update(JSON.stringify([configSha256, source, startedAt.toISOString(), parts.kind ?? 'scan'])).digest('hex').slice(0, 16);
  return {
    scanId,
    tool: { name: 'certscan', version: VERSION },
    startedAt: startedAt.toISOString(),
    finishedAt: parts.finishedAt.toISOString(),
    source,
    workers: parts.workers,
    configSha256,
    certificatesScanned: totals.certificatesScanned,
    findings: totals.findings,
    findingsByCheck: totals.findingsByCheck,
    ...countFields(totals.counts),
    discoveredAt: discoveredAt?.toISOString() ?? null,
    incidentReport: { template: parts.reportTemplate ?? 'full', ...config.report },
    reports: [...REPORT_FILES],
    decoding: { fastPath: counts.fastDecoded, fastPathFallbacks: counts.fastPathFallbacks },
    ...(fromLogs ? { logEntries: { read: counts.entriesRead, ownIssuers: totals.certificatesScanned, otherIssuers: counts.otherIssuerEntries, issuerFilter: parts.ct?.allIssuers !== true, otherObjects: counts.otherObjects ?? 0 } } : {}),
    inputProblems: counts.inputProblems,
    ...(parts.vettedData ? { vettedData: parts.vettedData } : {}),
    workerRestarts: parts.workerRestarts,
    ...(warnings.length ? { warnings } : {}),
    ...(parts.configFile ? { configFile: parts.configFile } : {}),
  };
}

/** Appends the committed report set to the ledger: `<output.baseDir>/ledger.jsonl` unless given, none for null. */
export function recordInLedger(ledgerPath: string | null | undefined, config: ScanConfig, kind: LedgerEntry['kind'] | undefined, summary: ScanSummary, outDir: string): void {
  const path = ledgerPath === undefined ? join(config.output.baseDir, 'ledger.jsonl') : ledgerPath;
  if (!path) return;
  appendLedger(path, {
    scanId: summary.scanId,
    kind: kind ?? 'scan',
    startedAt: summary.startedAt,
    finishedAt: summary.finishedAt,
    tool: summary.tool,
    configSha256: summary.configSha256,
    source: { ...summary.source },
    findingsByCheck: summary.findingsByCheck,
    certificatesScanned: summary.certificatesScanned,
    affectedCertificates: summary.affectedCertificates,
    reportDir: outDir,
    reports: hashReports(outDir, REPORT_FILES),
  });
}
