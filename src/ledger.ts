// The scan ledger: reports/ledger.jsonl, one JSON line per scan, each naming the hash of the line
// before it (a hash chain), with the SHA-256 of every report file. `certscan ledger verify` names
// an edited, removed or reordered entry, and a report file that changed or went missing.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

export const GENESIS = '0'.repeat(64);

export interface LedgerEntry {
  /** Position in the ledger, from 1. */
  sequence: number;
  scanId: string;
  kind: 'scan' | 'nightly' | 'audit' | 'merge';
  startedAt: string;
  finishedAt: string;
  tool: { name: 'certscan'; version: string };
  configSha256: string;
  source: Record<string, unknown>;
  findingsByCheck: Record<string, number>;
  certificatesScanned: number;
  affectedCertificates: number;
  /** Report directory, relative to the ledger's folder when inside it. */
  reportDir: string;
  /** File name -> SHA-256 hex. */
  reports: Record<string, string>;
  /** SHA-256 of the previous line (GENESIS for the first). */
  previousHash: string;
}

export const sha256Of = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

export function hashReports(reportDir: string, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, sha256Of(readFileSync(join(reportDir, name)))]));
}

function lines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
}

/**
 * Appends one entry; its previousHash and sequence come from the ledger's last line. The line is
 * written with one write() on an O_APPEND descriptor and fsync'd.
 */
export function appendLedger(ledgerPath: string, entry: Omit<LedgerEntry, 'previousHash' | 'sequence' | 'reportDir'> & { reportDir: string }): LedgerEntry {
  mkdirSync(dirname(ledgerPath), { recursive: true });
  const existing = lines(ledgerPath);
  const last = existing[existing.length - 1];
  const reportDir = relative(dirname(resolve(ledgerPath)), resolve(entry.reportDir));
  const full: LedgerEntry = {
    ...entry,
    sequence: existing.length + 1,
    reportDir: reportDir.startsWith('..') ? resolve(entry.reportDir) : reportDir,
    previousHash: last === undefined ? GENESIS : sha256Of(last),
  };
  const fd = openSync(ledgerPath, 'a');
  try {
    writeSync(fd, `${JSON.stringify(full)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return full;
}

export interface LedgerProblem {
  line: number;
  problem: string;
}

/** Checks the chain and every report file it names; returns the problems (none: intact). */
/**
 * `head` is the hash of the last line: publish it (in the incident, for instance) and a removed
 * last entry shows too.
 */
export function verifyLedger(ledgerPath: string): { entries: number; problems: LedgerProblem[]; head: string } {
  const problems: LedgerProblem[] = [];
  const all = lines(ledgerPath);
  let previous = GENESIS;
  all.forEach((line, index) => {
    const number = index + 1;
    let entry: LedgerEntry;
    try {
      entry = JSON.parse(line) as LedgerEntry;
    } catch {
      problems.push({ line: number, problem: 'not valid JSON (edited or truncated)' });
      previous = sha256Of(line);
      return;
    }
    if (entry.previousHash !== previous) {
      problems.push({
        line: number,
        problem: `scan ${entry.scanId}: previousHash does not match line ${number - 1}: an entry before it was edited, removed or reordered`,
      });
    }
    if (entry.sequence !== number) problems.push({ line: number, problem: `scan ${entry.scanId}: sequence ${entry.sequence} at line ${number}: entries were removed or reordered` });
    const dir = isAbsolute(entry.reportDir) ? entry.reportDir : join(dirname(resolve(ledgerPath)), entry.reportDir);
    for (const [name, hash] of Object.entries(entry.reports ?? {})) {
      const path = join(dir, name);
      if (!existsSync(path)) problems.push({ line: number, problem: `scan ${entry.scanId}: report ${path} is missing` });
      else if (sha256Of(readFileSync(path)) !== hash) problems.push({ line: number, problem: `scan ${entry.scanId}: report ${path} was modified` });
    }
    previous = sha256Of(line);
  });
  return { entries: all.length, problems, head: previous };
}
