// The ledger's hash chain on its own (whole scans append to it in test/jobs/operations.test.ts):
// quick enough for a mutation run to judge every ledger mutant with it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENESIS, appendLedger, hashReports, sha256Of, verifyLedger, type LedgerEntry } from '../src/ledger.js';
import { tempDir } from './helpers.js';

function entryFor(scanId: string, reportDir: string, reports: Record<string, string>): Omit<LedgerEntry, 'previousHash' | 'sequence'> {
  return {
    scanId,
    kind: 'scan',
    startedAt: '2026-11-30T01:00:00.000Z',
    finishedAt: '2026-11-30T01:00:05.000Z',
    tool: { name: 'certscan', version: '0.1.0' },
    configSha256: sha256Of('config'),
    source: { kind: 'sqlite', firstId: 1, lastId: 2 },
    findingsByCheck: { e_subject_country_mismatch: 1 },
    certificatesScanned: 2,
    affectedCertificates: 1,
    reportDir,
    reports,
  };
}

/** A ledger of `count` scans, each with its own report folder holding one findings.csv. */
function ledgerOf(count: number) {
  const dir = tempDir();
  const ledger = join(dir, 'reports', 'ledger.jsonl');
  const entries: LedgerEntry[] = [];
  for (let index = 0; index < count; index++) {
    const reportDir = join(dir, 'reports', `scan-${index}`);
    mkdirSync(reportDir, { recursive: true });
    writeFileSync(join(reportDir, 'findings.csv'), `check\nscan ${index}\n`);
    entries.push(appendLedger(ledger, entryFor(`scan-${index}`, reportDir, hashReports(reportDir, ['findings.csv']))));
  }
  return { dir, ledger, entries, lines: readFileSync(ledger, 'utf8').trim().split('\n') };
}

const problemsOf = (ledger: string) => verifyLedger(ledger).problems.map(({ line, problem }) => `${line}: ${problem}`);

describe('appendLedger', () => {
  it('numbers the entries from 1 and chains each to the SHA-256 of the line before it, starting from GENESIS', () => {
    const { ledger, entries, lines } = ledgerOf(3);
    expect(entries.map((entry) => entry.sequence)).toEqual([1, 2, 3]);
    expect(entries[0]!.previousHash).toBe(GENESIS);
    expect(GENESIS).toBe('0'.repeat(64));
    expect(entries[1]!.previousHash).toBe(sha256Of(lines[0]!));
    expect(entries[2]!.previousHash).toBe(sha256Of(lines[1]!));
    expect(lines.map((line) => JSON.parse(line))).toEqual(entries);
    expect(readFileSync(ledger, 'utf8').endsWith('}\n')).toBe(true);
    expect(verifyLedger(ledger)).toEqual({ entries: 3, problems: [], head: sha256Of(lines[2]!) });
  });

  it('keeps a report folder inside the ledger folder relative to it, one outside absolute, and creates the ledger folder', () => {
    const dir = tempDir();
    const ledger = join(dir, 'new', 'deeper', 'ledger.jsonl');
    const inside = appendLedger(ledger, entryFor('inside', join(dir, 'new', 'deeper', 'scan-a'), {}));
    const outside = appendLedger(ledger, entryFor('outside', join(dir, 'elsewhere'), {}));
    expect(inside.reportDir).toBe('scan-a');
    expect(outside.reportDir).toBe(resolve(dir, 'elsewhere'));
    expect(verifyLedger(ledger).problems).toEqual([]);
  });

  it('hashes each named report file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'a');
    writeFileSync(join(dir, 'b.csv'), 'bb');
    expect(hashReports(dir, ['a.csv', 'b.csv'])).toEqual({ 'a.csv': sha256Of('a'), 'b.csv': sha256Of(Buffer.from('bb')) });
    expect(sha256Of('a')).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
  });
});

describe('verifyLedger', () => {
  it('finds nothing wrong in an empty or absent ledger', () => {
    const dir = tempDir();
    expect(verifyLedger(join(dir, 'absent.jsonl'))).toEqual({ entries: 0, problems: [], head: GENESIS });
    writeFileSync(join(dir, 'empty.jsonl'), '\n');
    expect(verifyLedger(join(dir, 'empty.jsonl'))).toEqual({ entries: 0, problems: [], head: GENESIS });
  });

  it('names an edited entry by the line after it', () => {
    const { ledger, lines } = ledgerOf(3);
    const edited = JSON.stringify({ ...JSON.parse(lines[1]!), certificatesScanned: 1 });
    writeFileSync(ledger, `${[lines[0], edited, lines[2]].join('\n')}\n`);
    expect(problemsOf(ledger)).toEqual(['3: scan scan-2: previousHash does not match line 2: an entry before it was edited, removed or reordered']);
    expect(verifyLedger(ledger).head).toBe(sha256Of(lines[2]!));
  });

  it('names a removed entry by its hash and its sequence', () => {
    const { ledger, lines } = ledgerOf(3);
    writeFileSync(ledger, `${[lines[0], lines[2]].join('\n')}\n`);
    expect(problemsOf(ledger)).toEqual([
      '2: scan scan-2: previousHash does not match line 1: an entry before it was edited, removed or reordered',
      '2: scan scan-2: sequence 3 at line 2: entries were removed or reordered',
    ]);
  });

  it('names every line of a reordered ledger', () => {
    const { ledger, lines } = ledgerOf(3);
    writeFileSync(ledger, `${[lines[1], lines[0], lines[2]].join('\n')}\n`);
    expect(problemsOf(ledger)).toEqual([
      '1: scan scan-1: previousHash does not match line 0: an entry before it was edited, removed or reordered',
      '1: scan scan-1: sequence 2 at line 1: entries were removed or reordered',
      '2: scan scan-0: previousHash does not match line 1: an entry before it was edited, removed or reordered',
      '2: scan scan-0: sequence 1 at line 2: entries were removed or reordered',
      '3: scan scan-2: previousHash does not match line 2: an entry before it was edited, removed or reordered',
    ]);
  });

  it('names a truncated line, and chains the next line to the truncated text', () => {
    const { ledger, lines } = ledgerOf(2);
    const truncated = lines[1]!.slice(0, 40);
    writeFileSync(ledger, `${lines[0]}\n${truncated}\n`);
    expect(verifyLedger(ledger)).toEqual({ entries: 2, problems: [{ line: 2, problem: 'not valid JSON (edited or truncated)' }], head: sha256Of(truncated) });
  });

  it('names a modified and a missing report file, in a relative and an absolute report folder', () => {
    const { dir, ledger, lines } = ledgerOf(2);
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'summary.json'), '{}');
    appendLedger(ledger, entryFor('scan-2', elsewhere, hashReports(elsewhere, ['summary.json'])));
    expect(JSON.parse(lines[0]!).reportDir).toBe('scan-0');
    writeFileSync(join(dir, 'reports', 'scan-0', 'findings.csv'), 'check\nedited\n');
    rmSync(join(dir, 'reports', 'scan-1', 'findings.csv'));
    writeFileSync(join(elsewhere, 'summary.json'), '{"edited":1}');
    expect(problemsOf(ledger)).toEqual([
      `1: scan scan-0: report ${join(dir, 'reports', 'scan-0', 'findings.csv')} was modified`,
      `2: scan scan-1: report ${join(dir, 'reports', 'scan-1', 'findings.csv')} is missing`,
      `3: scan scan-2: report ${join(elsewhere, 'summary.json')} was modified`,
    ]);
  });

  it('takes an entry without a reports field as naming no report', () => {
    const dir = tempDir();
    const ledger = join(dir, 'ledger.jsonl');
    const { reports: _reports, ...withoutReports } = { ...entryFor('bare', dir, {}), sequence: 1, previousHash: GENESIS };
    writeFileSync(ledger, `${JSON.stringify(withoutReports)}\n`);
    expect(verifyLedger(ledger).problems).toEqual([]);
  });
});
