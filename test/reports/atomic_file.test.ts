// AtomicFile: a report appears under its name only when complete; whatever else happens (a second
// commit, an abort after the commit, a failed rename, an interrupted run) leaves no temp file and no
// half report.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, writeFileAtomic } from '../../src/reports/atomic_file.js';
import { removeScratch } from '../../src/reports/report_dir.js';
import { tempDir } from '../helpers.js';

describe('AtomicFile', () => {
  it('writes under .<name>.<pid>.tmp beside the report and renames it on commit', () => {
    const dir = tempDir();
    const file = new AtomicFile(join(dir, 'summary.md'));
    expect(file.tempPath).toBe(join(dir, `.summary.md.${process.pid}.tmp`));
    file.write('one\n');
    file.write('two\n');
    expect(readdirSync(dir)).toEqual([`.summary.md.${process.pid}.tmp`]);
    file.commit();
    expect(readdirSync(dir)).toEqual(['summary.md']);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe('one\ntwo\n');
  });

  it('once committed: a write is refused, a second commit and an abort change nothing', () => {
    const dir = tempDir();
    const file = new AtomicFile(join(dir, 'findings.csv'));
    file.write('a\n');
    file.commit();
    expect(() => file.write('b\n')).toThrow(`${join(dir, 'findings.csv')} is already closed`);
    file.commit();
    file.abort();
    expect(readdirSync(dir)).toEqual(['findings.csv']);
    expect(readFileSync(join(dir, 'findings.csv'), 'utf8')).toBe('a\n');
  });

  it('an abort removes the temp file, and aborting twice is harmless', () => {
    const dir = tempDir();
    const file = new AtomicFile(join(dir, 'crtsh.txt'));
    file.write('x\n');
    file.abort();
    file.abort();
    expect(readdirSync(dir)).toEqual([]);
    expect(() => file.write('y\n')).toThrow(/is already closed/);
  });

  it('an abort closes the file: no descriptor is left open', () => {
    const dir = tempDir();
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    const file = new AtomicFile(join(dir, 'crtsh.txt'));
    expect(open()).toBe(before + 1);
    file.abort();
    expect(open()).toBe(before);
  });

  it('an interrupted run removes the temp file of a report still being written, and only that', () => {
    const dir = tempDir();
    writeFileAtomic(join(dir, 'summary.json'), '{}\n');
    const open = new AtomicFile(join(dir, 'ccadb-appendix.csv'));
    open.write('half a report');
    removeScratch();
    expect(readdirSync(dir)).toEqual(['summary.json']);
    open.abort();
  });
});

describe('writeFileAtomic', () => {
  it('writes the whole text, replacing an older file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'summary.md'), 'old');
    writeFileAtomic(join(dir, 'summary.md'), 'new\n');
    expect(readdirSync(dir)).toEqual(['summary.md']);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe('new\n');
  });

  it('a rename that fails is thrown, and no temp file is left behind', () => {
    const dir = tempDir();
    // A non-empty folder in the report's place: the rename cannot replace it.
    mkdirSync(join(dir, 'summary.md'));
    writeFileSync(join(dir, 'summary.md', 'keep'), 'k');
    expect(() => writeFileAtomic(join(dir, 'summary.md'), 'text')).toThrow(/ENOTEMPTY|EISDIR|EEXIST/);
    expect(readdirSync(dir)).toEqual(['summary.md']);
    expect(readdirSync(join(dir, 'summary.md'))).toEqual(['keep']);
  });
});
