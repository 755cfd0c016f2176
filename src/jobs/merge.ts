// certscan merge: N shard report sets (certscan scan --shard K/N) into one, the same as a scan of
// the whole source on one machine. Rows are concatenated in shard order (each shard is a
// contiguous slice in source order); CT precertificate/certificate pairs split across shards are
// paired again; the summary is recomputed from the merged rows.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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
import { claimReportDir, untrackMadeDir } from '../reports/report_dir.js';
import { mergedPrecertificates, precertificateFindingsLast, precertificateRowsLast } from './merge_precertificates.js';

type Row = Record<string, string>;

function readCsv(path: string): { columns: string[]; rows: Row[] } {
  const text = readFileSync(path, 'utf8');
  const records = parse(text, { relax_column_count: false }) as string[][];
  const [columns = [], ...body] = records;
  return { columns, rows: body.map((record) => Object.fromEntries(columns.map((column, index) => [column, record[index] ?? '']))) };
}

const toCsv = (columns: string[], rows: Row[]) => stringify([columns, ...rows.map((row) => columns.map((column) => row[column] ?? ''))]);

const withMs = (iso: string) => (iso ? iso.replace(/Z$/, '.000Z') : null);

interface Shard {
  dir: string;
  summary: ScanSummary;
  index: number;
  count: number;
}

/** What was scanned, whatever the slice: the source kind and paths and the audit filter. */
function sourceIdentity(summary: ScanSummary): string {
  const { kind, path, input, filter } = summary.source;
  return JSON.stringify([kind, path, input?.path ?? null, filter ?? null]);
}

/**
 * The shards must be exactly slices 0..N-1 of one N-way split of one source under one config:
 * a shard given twice, one missing, or a scan of something else would make a report that is wrong
 * without looking wrong.
 */
function readShards(dirs: readonly string[]): Shard[] {
  if (dirs.length === 0) throw new OperationalError('merge needs at least one shard report directory');
  const seen = new Map<string, string>();
  const shards = dirs.map((dir): Shard => {
    const absolute = resolve(dir);
    const twice = seen.get(absolute);
    if (twice !== undefined) throw new OperationalError(`merge: ${dir} is given twice (also as ${twice})`);
    seen.set(absolute, dir);
    const summaryPath = join(dir, 'summary.json');
    if (!existsSync(summaryPath)) throw new OperationalError(`merge: ${dir}: no summary.json (not a finished certscan report set)`);
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as ScanSummary;
    const match = /^(\d+)\/(\d+)$/.exec(summary.source.shard ?? '');
    if (!match) throw new OperationalError(`merge: ${dir} is not a shard (scanned without --shard K/N)`);
    return { dir, summary, index: Number(match[1]), count: Number(match[2]) };
  });
  const first = shards[0]!;
  for (const shard of shards) {
    if (shard.count !== first.count) throw new OperationalError(`merge: ${shard.dir} is shard ${shard.index}/${shard.count} but ${first.dir} is of a ${first.count}-way split`);
    if (sourceIdentity(shard.summary) !== sourceIdentity(first.summary)) {
      throw new OperationalError(`merge: ${shard.dir} scanned ${shard.summary.source.input?.path ?? shard.summary.source.path}, ${first.dir} scanned ${first.summary.source.input?.path ?? first.summary.source.path} (another source or filter)`);
    }
    if (shard.summary.configSha256 !== first.summary.configSha256) throw new OperationalError(`merge: ${shard.dir} and ${first.dir} were scanned with different configurations (configSha256 differs)`);
  }
  const byIndex = new Map<number, Shard>();
  for (const shard of shards) {
    const other = byIndex.get(shard.index);
    if (other) throw new OperationalError(`merge: ${shard.dir} and ${other.dir} are both shard ${shard.index}/${shard.count}`);
    byIndex.set(shard.index, shard);
  }
  const missing = Array.from({ length: first.count }, (_, index) => index).filter((index) => !byIndex.has(index));
  if (missing.length) throw new OperationalError(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${first.count}`).join(', ')} missing: a merge needs all ${first.count} shards`);
  return shards.sort((a, b) => a.index - b.index);
}

export async function mergeShards(dirs: readonly string[], outDir: string, options: { now: Date; ledgerPath: string | null; force?: boolean }): Promise<ScanSummary> {
  const shards = readShards(dirs);

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
  // A precertificates table: its rows after the certificates', in its key order, as one scan lists them.
  const withPrecertificates = shards[0]!.summary.source.precertificates !== undefined;
  if (withPrecertificates) {
    findingRows.splice(0, findingRows.length, ...precertificateFindingsLast(findingRows));
    appendixRows.splice(0, appendixRows.length, ...precertificateRowsLast(appendixRows, findingRows));
  }

  const target = claimReportDir(outDir, { force: options.force === true });
  const columns = (files: Array<{ columns: string[] }>) => files[0]!.columns;
  writeFileAtomic(join(target, 'findings.csv'), toCsv(columns(findings), findingRows));
  writeFileAtomic(join(target, 'ccadb-appendix.csv'), toCsv(columns(appendices), appendixRows));
  const hashes = appendixRows.map((row) => row['Certificate SHA-256 hash'] || row['Precertificate SHA-256 hash']).filter(Boolean);
  writeFileAtomic(join(target, 'crtsh.txt'), hashes.map((sha256) => `https://crt.sh/?sha256=${sha256}\n`).join(''));
  writeFileAtomic(join(target, 'input-errors.csv'), toCsv(columns(inputErrors), inputErrors.flatMap((file) => file.rows)));

  const summary = recompute(shards.map((shard) => shard.summary), findingRows, appendixRows, options.now);
  await writeSummaryReports(target, summary, await renderChartSvg(summary));
  untrackMadeDir(target);
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
      reportDir: target,
      reports: hashReports(target, REPORT_FILES),
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
    // Integer row ids as numbers, as the scan counted them; a text key (EJBCA's fingerprint) as it is.
    certId: !row.cert_id ? -1 : /^-?\d{1,15}$/.test(row.cert_id) ? Number(row.cert_id) : row.cert_id,
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
  const precertificates = mergedPrecertificates(parts);
  if (precertificates) source.precertificates = precertificates;
  const logParts = parts.filter((part) => part.logEntries);
  // Every shard reads all of EJBCA's snapshots; each affected certificate is in one shard.
  const vettedData = first.vettedData && {
    ...first.vettedData,
    affectedFromSnapshot: sum((part) => part.vettedData?.affectedFromSnapshot ?? 0),
    affectedFromOrders: sum((part) => part.vettedData?.affectedFromOrders ?? 0),
  };
  const warnings = [...new Set(parts.flatMap((part) => part.warnings ?? []))];
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
            issuerFilter: logParts.every((part) => part.logEntries!.issuerFilter !== false),
            otherObjects: logParts.reduce((total, part) => total + (part.logEntries!.otherObjects ?? 0), 0),
          },
        }
      : {}),
    inputProblems: sum((part) => part.inputProblems),
    ...(vettedData ? { vettedData } : {}),
    workerRestarts: sum((part) => part.workerRestarts ?? 0),
    ...(warnings.length ? { warnings } : {}),
    // Shards run on other machines may name the same configuration by other paths: then none.
    ...(first.configFile !== undefined && parts.every((part) => part.configFile === first.configFile) ? { configFile: first.configFile } : {}),
  };
  return summary;
}
