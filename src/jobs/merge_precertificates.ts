// certscan merge of shards of a scan with a precertificates table (database.precertificates,
// Boulder). A shard reads its part of the certificates table, then its precertificates: those
// paired with its certificates and its part of those without one (page_sql.ts,
// PrecertificateShard). One scan of the whole database lists every certificates row first, in key
// order, then every precertificates row in that table's key order; the merge puts the shards' rows
// in that same order, so that it gives byte for byte the reports of one scan.
import type { ScanSummary } from '../reports/summary.js';
import type { RowKey } from '../sources/types.js';

type Row = Record<string, string>;

/** Keys as the reports write them: integer ids compare as numbers, text keys as text. */
function compareKeyText(a: string, b: string): number {
  const integer = /^-?\d{1,15}$/;
  if (integer.test(a) && integer.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

const byKey = (a: Row, b: Row) => compareKeyText(a.cert_id ?? '', b.cert_id ?? '');

/** findings.csv: the certificates' lines in shard order, then the precertificates' by their key (a stable sort). */
export function precertificateFindingsLast(findings: readonly Row[]): Row[] {
  const precertificates = findings.filter((row) => row.entry_type === 'precert' && !row.log_origin);
  return [...findings.filter((row) => !(row.entry_type === 'precert' && !row.log_origin)), ...precertificates.sort(byKey)];
}

/**
 * ccadb-appendix.csv: the rows a certificate made (with its precertificate when both were
 * affected) in shard order, then the rows a precertificate made alone, by its key. A row is a
 * precertificate's when it has no certificate hash and its hash (the stored bytes' when it did not
 * decode) is a precertificates row's in findings.csv.
 */
export function precertificateRowsLast(appendix: readonly Row[], findings: readonly Row[]): Row[] {
  const precertificateHashes = new Set(findings.filter((row) => row.entry_type === 'precert' && !row.log_origin).map((row) => row.sha256));
  const isPrecertificates = (row: Row) => !row.log_origin && row['Certificate SHA-256 hash'] === '' && precertificateHashes.has(row.stored_der_sha256 || row['Precertificate SHA-256 hash']!);
  return [...appendix.filter((row) => !isPrecertificates(row)), ...appendix.filter(isPrecertificates).sort(byKey)];
}

/** summary.json's source.precertificates over all shards: rows read summed, the lowest and highest key. */
export function mergedPrecertificates(parts: readonly ScanSummary[]): ScanSummary['source']['precertificates'] {
  const all = parts.map((part) => part.source.precertificates).filter((part) => part !== undefined);
  if (all.length === 0) return undefined;
  const keys = (pick: (part: (typeof all)[number]) => RowKey | null) => all.map(pick).filter((key) => key !== null).sort((a, b) => compareKeyText(String(a), String(b)));
  const firstIds = keys((part) => part.firstId);
  const lastIds = keys((part) => part.lastId);
  return { ...all[0]!, scanned: all.reduce((total, part) => total + part.scanned, 0), firstId: firstIds[0] ?? null, lastId: lastIds[lastIds.length - 1] ?? null };
}
