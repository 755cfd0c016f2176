// ReportSet: temp-file-and-rename for scans, resumable partial files for audits.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSet } from '../../src/reports/report_set.js';
import { findingsHeader } from '../../src/reports/findings_csv.js';
import { appendixHeader } from '../../src/reports/ccadb_appendix.js';
import { inputProblemsHeader } from '../../src/reports/input_errors.js';
import { REPORT_FILES } from '../../src/reports/report_dir.js';
import { tempDir } from '../helpers.js';
import { scanSummary } from './affected_fixture.js';

const summary = scanSummary();
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

describe('ReportSet', () => {
  it('a scan writes under temp names and shows the reports only on commit, headers first', async () => {
    const dir = tempDir();
    const reports = new ReportSet(dir, false);
    reports.write('findings.csv', 'a\n');
    reports.write('crtsh.txt', '');
    expect(readdirSync(dir).filter((name) => !name.startsWith('.'))).toEqual([]);
    await reports.commit(summary);
    expect(read(dir, 'findings.csv')).toBe(`${findingsHeader()}a\n`);
    expect(read(dir, 'ccadb-appendix.csv')).toBe(appendixHeader());
    expect(read(dir, 'input-errors.csv')).toBe(inputProblemsHeader());
    expect(read(dir, 'crtsh.txt')).toBe('');
    expect(JSON.parse(read(dir, 'summary.json'))).toEqual(summary);
    expect(readdirSync(dir).sort()).toEqual([...REPORT_FILES].sort());
  });

  it('an aborted scan leaves no file', () => {
    const dir = tempDir();
    const reports = new ReportSet(dir, false);
    reports.write('findings.csv', 'a\n');
    reports.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a resumed audit drops what was written after the last checkpoint, and a write hook sees each write', async () => {
    const dir = tempDir();
    const writes: string[] = [];
    const first = new ReportSet(dir, true, undefined, (name) => writes.push(name));
    first.write('findings.csv', 'row 1\n');
    first.write('crtsh.txt', '');
    const offsets = first.checkpoint();
    expect(offsets['findings.csv']).toBe(Buffer.byteLength(`${findingsHeader()}row 1\n`));
    first.write('findings.csv', 'row 2 (after the checkpoint: lost with the crash)\n');
    first.write('crtsh.txt', 'https://crt.sh/?sha256=ab\n');
    first.abort();
    expect(writes).toEqual(['findings.csv', 'findings.csv', 'crtsh.txt']);
    expect(existsSync(join(dir, '.findings.csv.partial'))).toBe(true);
    expect(existsSync(join(dir, 'findings.csv'))).toBe(false);

    // A temp file of a process killed mid-write is removed by the resumed run.
    writeFileSync(join(dir, '.summary.json.12345.tmp'), '{');
    const resumed = new ReportSet(dir, true, offsets);
    expect(existsSync(join(dir, '.summary.json.12345.tmp'))).toBe(false);
    resumed.write('findings.csv', 'row 2\n');
    await resumed.commit(summary);
    expect(read(dir, 'findings.csv')).toBe(`${findingsHeader()}row 1\nrow 2\n`);
    expect(read(dir, 'crtsh.txt')).toBe('');
    expect(existsSync(join(dir, '.findings.csv.partial'))).toBe(false);
  });

  it('resume offsets without partial files start the files afresh, without headers written twice', async () => {
    const dir = tempDir();
    const reports = new ReportSet(dir, true, { 'findings.csv': 100 });
    reports.write('findings.csv', 'x\n');
    await reports.commit(summary);
    expect(read(dir, 'findings.csv')).toBe('x\n');
  });
});
