// certscan merge: N shard report sets (certscan scan --shard K/N) into one, the same as a scan of
// the whole source on one machine. Rows are concatenated in shard order (each shard is a
// contiguous slice in source order); CT precertificate/certificate pairs split across shards are
// paired again; the summary is recomputed from the merged rows.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { OperationalError } from '../errors.js';
import { writeFileAtomic } from '../reports/atomic_file.js';
import { countFields, DEFAULT_INCIDENT_REPORT, type ScanSummary } from '../reports/summary.js';
import type { DeadlineStatus } from '../reports/deadline.js';
import { countAffected, emptyCounts, type AffectedFacts, type CertificateClass } from '../reports/affected_counts.js';
import { renderChartSvg } from '../reports/chart.js';
import { writeSummaryReports } from '../reports/report_set.js';
import { REPORT_FILES } from '../scan.js';
import { appendLedger, hashReports } from '../ledger.js';

type Row = Record<string, string>;

function readCsv(path: string): { columns: string[]; rows: Row[] } {
  const text = readFileSync(path, 'utf8');
  const records = parse(text, { relax_column_count: false }) as string[][];
  const [columns = [], ...body] = records;
  return { columns, rows: body.map((record) => Object.fromEntries(columns.map((column, index) => [column, record[index] ?? '']))) };
}

const toCsv = (columns: string[], rows: Row[]) => stringify([columns, ...rows.map((row) => columns.map((column) => row[column] ?? ''))]);

const withMs = (iso: string) => (iso ? iso.replace(/Z$/, '.000Z') : null);

export async function mergeShards(dirs: readonly string[], outDir: string, options: { now: Date; ledgerPath: string | null }): Promise<ScanSummary> {
  if (dirs.length === 0) throw new OperationalError('merge needs at least one shard report directory');
  const shards = dirs.map((dir) => {
    const summaryPath = join(dir, 'summary.json');
    if (!existsSync(summaryPath)) throw new OperationalError(`${dir}: no summary.json (not a finished certscan report set)`);
    return { dir, summary: JSON.parse(readFileSync(summaryPath, 'utf8')) as ScanSummary };
  });
  const configs = new Set(shards.map((shard) => shard.summary.configSha256));
  if (configs.size > 1) throw new OperationalError('the shards were scanned with different configurations (configSha256 differs)');
  const shardIndex = (summary: ScanSummary) => Number(summary.source.shard?.split('/')[0] ?? 0);
  shards.sort((a, b) => shardIndex(a.summary) - shardIndex(b.summary));

  const findings = shards.map((shard) => readCsv(join(shard.dir, 'findings.csv')));
  const appendices = shards.map((shard) => readCsv(join(shard.dir, 'ccadb-appendix.csv')));
  const inputErrors = shards.map((shard) => readCsv(join(shard.dir, 'input-errors.csv')));
  const findingRows = findings.flatMap((file) => file.rows);

  // Database rows are unique per shard; CT rows pair by issuer and serial across shards.
  const appendixRows: Row[] = [];
  const ctRows = new Map<string, Row>();
  for (const row of appendices.flatMap((file) => file.rows)) {
    if (!row.log_origin) {
      appendixRows.push(row);
      continue;
    }
    const key = `${row.Issuer}\u0000${row['Serial # (hex)']}`;
    const existing = ctRows.get(key);
    if (!existing) {
      ctRows.set(key, { ...row });
      continue;
    }
    const merged = row['Certificate SHA-256 hash'] && !existing['Certificate SHA-256 hash'] ? { ...row } : { ...existing };
    merged['Precertificate SHA-256 hash'] = existing['Precertificate SHA-256 hash'] || row['Precertificate SHA-256 hash']!;
    merged['Certificate SHA-256 hash'] = existing['Certificate SHA-256 hash'] || row['Certificate SHA-256 hash']!;
    merged.checks = [...new Set([...existing.checks!.split(' '), ...row.checks!.split(' ')])].join(' ');
    merged.leaf_index = [...existing.leaf_index!.split(' '), ...row.leaf_index!.split(' ')].join(' ');
    ctRows.set(key, merged);
  }
  const firstLeaf = (row: Row) => Math.min(...row.leaf_index!.split(' ').map(Number));
  appendixRows.push(...[...ctRows.values()].sort((a, b) => firstLeaf(a) - firstLeaf(b)));

  mkdirSync(outDir, { recursive: true });
  const columns = (files: Array<{ columns: string[] }>) => files[0]!.columns;
  writeFileAtomic(join(outDir, 'findings.csv'), toCsv(columns(findings), findingRows));
  writeFileAtomic(join(outDir, 'ccadb-appendix.csv'), toCsv(columns(appendices), appendixRows));
  const hashes = appendixRows.map((row) => row['Certificate SHA-256 hash'] || row['Precertificate SHA-256 hash']).filter(Boolean);
  writeFileAtomic(join(outDir, 'crtsh.txt'), hashes.map((sha256) => `https://crt.sh/?sha256=${sha256}\n`).join(''));
  writeFileAtomic(join(outDir, 'input-errors.csv'), toCsv(columns(inputErrors), inputErrors.flatMap((file) => file.rows)));

  const summary = recompute(shards.map((shard) => shard.summary), findingRows, appendixRows, options.now);
  await writeSummaryReports(outDir, summary, await renderChartSvg(summary));
  if (options.ledgerPath) {
    appendLedger(options.ledgerPath, {
      scanId: summary.scanId,
      kind: 'merge',
      startedAt: summary.startedAt,
      finishedAt: summary.finishedAt,
      tool: summary.tool,
      configSha256: summary.configSha256,
      source: { ...summary.source, mergedFrom: shards.map((shard) => ({ dir: resolve(shard.dir), scanId: shard.summary.scanId })) },
      findingsByCheck: summary.findingsByCheck,
      certificatesScanned: summary.certificatesScanned,
      affectedCertificates: summary.affectedCertificates,
      reportDir: outDir,
      reports: hashReports(outDir, REPORT_FILES),
    });
  }
  return summary;
}

/** An appendix row back into the facts it was written from (see appendixRow). */
function factsOfRow(row: Row): AffectedFacts {
  const decoded = row['Not before'] !== '';
  return {
    certificateClass: row.class as CertificateClass,
    status: row.revocation_status as DeadlineStatus,
    deadline: withMs(row.revocation_deadline!),
    notBefore: withMs(row['Not before']!),
    validationType: row.validation_type!,
    checks: row.checks ? row.checks.split(' ') : [],
    precertificateOnly: decoded && row['Certificate SHA-256 hash'] === '' && row['Precertificate SHA-256 hash'] !== '',
    certId: Number(row.cert_id || -1),
    serial: row['Serial # (hex)']!,
    sha256: row['Certificate SHA-256 hash'] || row['Precertificate SHA-256 hash']!,
  };
}

/** The summary of the merged rows: the numbers a single scan of the whole source would give. */
function recompute(parts: ScanSummary[], findings: Row[], appendix: Row[], now: Date): ScanSummary {
  const first = parts[0]!;
  const sum = (pick: (summary: ScanSummary) => number) => parts.reduce((total, summary) => total + pick(summary), 0);
  const findingsByCheck: Record<string, number> = {};
  for (const row of findings) findingsByCheck[row.check!] = (findingsByCheck[row.check!] ?? 0) + 1;
  // The same counting as a scan's, from the facts each appendix row was written from.
  const counts = emptyCounts();
  for (const row of appendix) countAffected(counts, factsOfRow(row));
  const source = { ...first.source, firstId: parts.find((part) => part.source.firstId !== null)?.source.firstId ?? null, lastId: [...parts].reverse().find((part) => part.source.lastId !== null)?.source.lastId ?? null };
  delete source.shard;
  const logParts = parts.filter((part) => part.logEntries);
  const summary: ScanSummary = {
    scanId: createHash('sha256').update(JSON.stringify(parts.map((part) => part.scanId))).digest('hex').slice(0, 16),
    tool: first.tool,
    startedAt: parts.map((part) => part.startedAt).sort()[0]!,
    finishedAt: now.toISOString(),
    source,
    workers: sum((part) => part.workers),
    configSha256: first.configSha256,
    certificatesScanned: sum((part) => part.certificatesScanned),
    findings: findings.length,
    findingsByCheck,
    ...countFields(counts),
    discoveredAt: first.discoveredAt,
    incidentReport: first.incidentReport ?? DEFAULT_INCIDENT_REPORT,
    reports: [...REPORT_FILES],
    decoding: { fastPath: sum((part) => part.decoding.fastPath), fastPathFallbacks: sum((part) => part.decoding.fastPathFallbacks) },
    ...(logParts.length
      ? {
          logEntries: {
            read: logParts.reduce((total, part) => total + part.logEntries!.read, 0),
            ownIssuers: logParts.reduce((total, part) => total + part.logEntries!.ownIssuers, 0),
            otherIssuers: logParts.reduce((total, part) => total + part.logEntries!.otherIssuers, 0),
          },
        }
      : {}),
    inputProblems: sum((part) => part.inputProblems),
  };
  return summary;
}
