// Reads a report set back the way a reviewer would and asserts that every count agrees: summary.md
// (parsed from its text), summary.json, ccadb-appendix.csv, crtsh.txt and the CLI's summary line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { ScanSummary } from '../../src/reports/summary.js';

const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });

function numberAfter(markdown: string, pattern: RegExp): number[] {
  const match = pattern.exec(markdown);
  expect(match, `summary.md has ${pattern}`).not.toBeNull();
  return match!.slice(1).map(Number);
}

function countBy(rows: Record<string, string>[], column: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row[column]!] = (counts[row[column]!] ?? 0) + 1;
  return counts;
}

/** Asserts the report set in `outDir` agrees with itself; returns the parsed class counts. */
export function expectReportsAgree(outDir: string, cliLine?: string): { total: number; stillValid: number; revoked: number; expired: number; undecodable: number } {
  const markdown = readFileSync(join(outDir, 'summary.md'), 'utf8');
  const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as ScanSummary;
  const appendix = readCsv(join(outDir, 'ccadb-appendix.csv'));
  const links = readFileSync(join(outDir, 'crtsh.txt'), 'utf8').split('\n').filter(Boolean);

  const [total, stillValid, revoked, expired, undecodable] = numberAfter(
    markdown,
    /- \*\*Total number of certificates:\*\* (\d+) \(still valid (\d+) \+ revoked (\d+) \+ expired (\d+) \+ undecodable (\d+)\)/,
  ) as [number, number, number, number, number];
  // The classes add up, in every file.
  expect(stillValid + revoked + expired + undecodable).toBe(total);
  expect(appendix).toHaveLength(total);
  expect([summary.affectedCertificates, summary.stillValid, summary.revoked, summary.expired, summary.undecodable]).toEqual([total, stillValid, revoked, expired, undecodable]);
  const classes = countBy(appendix, 'class');
  expect([classes['still-valid'] ?? 0, classes.revoked ?? 0, classes.expired ?? 0, classes.undecodable ?? 0]).toEqual([stillValid, revoked, expired, undecodable]);
  // "Remaining valid" is the total less expired and revoked.
  expect(numberAfter(markdown, /"remaining valid" certificates:\*\* (\d+)/)[0]).toBe(total - revoked - expired);

  // Types add up to the total, and match the appendix.
  const typesText = /- \*\*Affected certificate types:\*\* (.*?) \(from/.exec(markdown)![1]!;
  const types = Object.fromEntries(typesText.split(', ').map((part) => [part.split(' ')[0]!, Number(part.split(' ')[1])]));
  expect(Object.values(types).reduce((sum, count) => sum + count, 0)).toBe(total);
  expect(types).toEqual(countBy(appendix, 'validation_type'));
  expect(types).toEqual(summary.affectedByValidationType);

  // Revocation: the statuses, "Is revoked?" and the action item say the same.
  const statuses = countBy(appendix, 'revocation_status');
  const [toRevoke, overdue, due] = numberAfter(markdown, /To revoke: (\d+) \(overdue (\d+), due (\d+)/) as [number, number, number];
  const [alreadyRevoked, expiredStatus, review] = numberAfter(markdown, /already revoked (\d+); expired (\d+); warnings only, for review (\d+)\./) as [number, number, number];
  expect([overdue, due, alreadyRevoked, expiredStatus, review]).toEqual([statuses.overdue ?? 0, statuses.due ?? 0, statuses.revoked ?? 0, statuses.expired ?? 0, statuses.review ?? 0]);
  expect(toRevoke).toBe(overdue + due);
  expect(alreadyRevoked).toBe(revoked);
  expect(expiredStatus).toBe(expired);
  const isRevoked = countBy(appendix, 'Is revoked?');
  expect([isRevoked.Yes ?? 0, isRevoked.Planned ?? 0, isRevoked.Delayed ?? 0]).toEqual([revoked, due, overdue]);
  expect(Object.keys(isRevoked).every((value) => ['Yes', 'Planned', 'Delayed', 'N/A'].includes(value))).toBe(true);
  const action = /\| Revoke the (\d+) affected certificates[^|]*?(?:\((\d+) still valid, (\d+) undecodable\))? \|/.exec(markdown);
  if (toRevoke === 0) expect(action).toBeNull();
  else {
    expect(Number(action![1])).toBe(toRevoke);
    const undecodableToRevoke = appendix.filter((row) => row.class === 'undecodable' && (row.revocation_status === 'due' || row.revocation_status === 'overdue')).length;
    if (undecodableToRevoke) expect([Number(action![2]), Number(action![3])]).toEqual([toRevoke - undecodableToRevoke, undecodableToRevoke]);
  }
  expect(markdown).not.toMatch(/Revoke the 0 /);

  // crt.sh links: one per row with a certificate hash, never the hash of empty input.
  const hashed = appendix.filter((row) => row['Certificate SHA-256 hash'] || row['Precertificate SHA-256 hash']);
  expect(links).toHaveLength(hashed.length);
  expect(numberAfter(markdown, /`crtsh.txt`: (\d+) crt.sh links/)[0]).toBe(links.length);
  expect(links.join('\n')).not.toContain('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  expect(numberAfter(markdown, /`ccadb-appendix.csv`: (\d+) rows/)[0]).toBe(total);

  if (cliLine) expect(cliLine).toContain(`on ${total} certificates (still valid ${stillValid} + revoked ${revoked} + expired ${expired} + undecodable ${undecodable})`);
  return { total, stillValid, revoked, expired, undecodable };
}
