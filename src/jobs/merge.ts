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
import { renderSummaryMarkdown, type OverdueCertificate, type ScanSummary } from '../reports/summary.js';
import type { DeadlineStatus } from '../reports/deadline.js';
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

export function mergeShards(dirs: readonly string[], outDir: string, options: { now: Date; ledgerPath: string | null }): ScanSummary {
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
  writeFileAtomic(join(outDir, 'crtsh.txt'), appendixRows.map((row) => `https://crt.sh/?sha256=${row['Certificate SHA-256 hash'] || row['Precertificate SHA-256 hash']}\n`).join(''));
  writeFileAtomic(join(outDir, 'input-errors.csv'), toCsv(columns(inputErrors), inputErrors.flatMap((file) => file.rows)));

  const summary = recompute(shards.map((shard) => shard.summary), findingRows, appendixRows, options.now);
  writeFileAtomic(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileAtomic(join(outDir, 'summary.md'), renderSummaryMarkdown(summary));
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

/** The summary of the merged rows: the numbers a single scan of the whole source would give. */
function recompute(parts: ScanSummary[], findings: Row[], appendix: Row[], now: Date): ScanSummary {
  const first = parts[0]!;
  const sum = (pick: (summary: ScanSummary) => number) => parts.reduce((total, summary) => total + pick(summary), 0);
  const findingsByCheck: Record<string, number> = {};
  for (const row of findings) findingsByCheck[row.check!] = (findingsByCheck[row.check!] ?? 0) + 1;
  const typeBySha = new Map<string, string>();
  for (const row of findings) if (!typeBySha.has(row.sha256!)) typeBySha.set(row.sha256!, row.validation_type!);
  const byStatus: Record<DeadlineStatus, number> = { revoked: 0, expired: 0, overdue: 0, due: 0, review: 0 };
  const affectedByValidationType: Record<string, number> = {};
  const overdue: OverdueCertificate[] = [];
  let stillValid = 0;
  let revoked = 0;
  let expired = 0;
  let undecodable = 0;
  let nextDeadline: string | null = null;
  let firstNotBefore: string | null = null;
  let lastNotBefore: string | null = null;
  for (const row of appendix) {
    const status = row.revocation_status as DeadlineStatus;
    byStatus[status]++;
    const decoded = row.Subject !== '' || row.Issuer !== '';
    const sha = row['Certificate SHA-256 hash'] || row['Precertificate SHA-256 hash']!;
    if (!decoded) {
      undecodable++;
      if (status === 'revoked') revoked++;
      continue;
    }
    const type = typeBySha.get(row['Certificate SHA-256 hash']!) || typeBySha.get(row['Precertificate SHA-256 hash']!) || 'unknown';
    affectedByValidationType[type || 'unknown'] = (affectedByValidationType[type || 'unknown'] ?? 0) + 1;
    if (status === 'revoked') revoked++;
    else if (status === 'expired') expired++;
    else stillValid++;
    const notBefore = withMs(row['Not before']!);
    if (notBefore && (firstNotBefore === null || notBefore < firstNotBefore)) firstNotBefore = notBefore;
    if (notBefore && (lastNotBefore === null || notBefore > lastNotBefore)) lastNotBefore = notBefore;
    const deadline = withMs(row.revocation_deadline!);
    if (status === 'due' && deadline && (nextDeadline === null || deadline < nextDeadline)) nextDeadline = deadline;
    if (status === 'overdue' && deadline && overdue.length < 100) overdue.push({ certId: Number(row.cert_id), serial: row['Serial # (hex)']!, sha256: sha, deadline });
  }
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
    affectedCertificates: appendix.length,
    findings: findings.length,
    findingsByCheck,
    affectedByValidationType,
    stillValid,
    revoked,
    expired,
    undecodable,
    firstAffectedNotBefore: firstNotBefore,
    lastAffectedNotBefore: lastNotBefore,
    discoveredAt: first.discoveredAt,
    revocation: { byStatus, nextDeadline, overdue },
    reports: [...REPORT_FILES],
    decoding: { fastPath: sum((part) => part.decoding.fastPath), fastPathFallbacks: sum((part) => part.decoding.fastPathFallbacks) },
    ...(logParts.length
      ? {
          logEntries: {
            read: logParts.reduce((total, part) => total + part.logEntries!.read, 0),
            ownIssuers: logParts.reduce((total, part) => total + part.logEntries!.ownIssuers, 0),
            otherIssuers: logParts.reduce((total, part) => total + part.logEntries!.otherIssuers, 0),
            issuerFilter: logParts.every((part) => part.logEntries!.issuerFilter !== false),
            otherObjects: logParts.reduce((total, part) => total + (part.logEntries!.otherObjects ?? 0), 0),
          },
        }
      : {}),
    inputProblems: sum((part) => part.inputProblems),
    workerRestarts: sum((part) => part.workerRestarts ?? 0),
  };
  return summary;
}
