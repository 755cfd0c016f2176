// report_dir.ts called directly (report_dir.test.ts goes through the CLI, whose compiled code a
// mutation run does not see): folders made level by level, refused with the flag named, claimed
// once, and the scratch of a dead run removed while a live run's is left alone.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OperationalError } from '../../src/errors.js';
import {
  AUDIT_STATE,
  REPORT_FILES,
  auditReportDir,
  checkWritable,
  claimReportDir,
  holdsInterruptedAudit,
  holdsReportSet,
  makeDir,
  removeMadeDirsIfEmpty,
  removeScratch,
  removeStaleScratch,
  trackMadeDir,
  trackScratch,
  untrackMadeDir,
  untrackScratch,
  uniqueReportDir,
} from '../../src/reports/report_dir.js';
import { tempDir } from '../helpers.js';

const writeReportSet = (dir: string) => {
  mkdirSync(dir, { recursive: true });
  for (const name of REPORT_FILES) writeFileSync(join(dir, name), name);
};

/** A pid no process has: one past the largest the kernel hands out. */
const DEAD_PID = 4_194_305;

describe('making report folders', () => {
  it('makeDir makes every missing level and says whether it made the folder', () => {
    const dir = tempDir();
    expect(makeDir(join(dir, 'a', 'b', 'c'), '--out')).toBe(true);
    expect(existsSync(join(dir, 'a', 'b', 'c'))).toBe(true);
    expect(makeDir(join(dir, 'a', 'b', 'c'), '--out')).toBe(false);
  });

  it('a file in the way, or a folder that cannot be made or written, is an operational error naming the flag', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => makeDir(join(dir, 'file'), '--out')).toThrow(new OperationalError(`--out ${join(dir, 'file')}: exists and is not a directory`));
    expect(() => makeDir(join(dir, 'file', 'below'), 'output.baseDir')).toThrow(
      new OperationalError(`output.baseDir ${join(dir, 'file', 'below')}: cannot create the report directory (ENOTDIR at ${join(dir, 'file', 'below')})`),
    );
    expect(() => checkWritable('/proc', '--out')).toThrow(/^--out \/proc: cannot write into the report directory \(E[A-Z]+\)$/);
    checkWritable(dir, '--out');
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('uniqueReportDir takes the name, then -2, -3: never a folder that exists', () => {
    const base = join(tempDir(), 'reports');
    expect(uniqueReportDir(base, 'scan')).toBe(join(base, 'scan'));
    expect(uniqueReportDir(base, 'scan')).toBe(join(base, 'scan-2'));
    expect(uniqueReportDir(base, 'scan')).toBe(join(base, 'scan-3'));
    // A name that cannot be made (its parent is missing) is an error, not a search for the next free name.
    expect(() => uniqueReportDir(base, join('missing', 'scan'))).toThrow(new OperationalError(`output.baseDir ${base}: cannot create a report directory there (ENOENT)`));
    expect(() => uniqueReportDir('/proc/certscan', 'scan')).toThrow(/^output\.baseDir \/proc\/certscan: cannot create the report directory/);
    removeMadeDirsIfEmpty();
    expect(readdirSync(base)).toEqual([]);
  });

  it('auditReportDir: the base, unless it holds a finished report set; an interrupted audit keeps its folder', () => {
    const base = join(tempDir(), 'audit');
    expect(auditReportDir(base)).toBe(base);
    writeReportSet(base);
    expect(auditReportDir(base)).toBe(`${base}-2`);
    writeReportSet(`${base}-2`);
    expect(auditReportDir(base)).toBe(`${base}-3`);
    writeFileSync(join(`${base}-2`, AUDIT_STATE), '{}');
    expect(auditReportDir(base)).toBe(`${base}-2`);
    writeFileSync(join(base, '.findings.csv.partial'), '');
    expect(auditReportDir(base)).toBe(base);
    mkdirSync(`${base}-empty`);
    expect(auditReportDir(`${base}-empty`)).toBe(`${base}-empty`);
  });

  it('holdsReportSet: any one report file; holdsInterruptedAudit: a checkpoint or partial files', () => {
    const dir = tempDir();
    expect(holdsReportSet(dir)).toBe(false);
    expect(holdsInterruptedAudit(dir)).toEqual({ checkpointed: false, partial: false });
    expect(holdsInterruptedAudit(join(dir, 'missing'))).toEqual({ checkpointed: false, partial: false });
    writeFileSync(join(dir, 'findings.csv.partial'), '');
    expect(holdsInterruptedAudit(dir)).toEqual({ checkpointed: false, partial: false });
    writeFileSync(join(dir, '.findings.csv.partial'), '');
    expect(holdsInterruptedAudit(dir)).toEqual({ checkpointed: false, partial: true });
    writeFileSync(join(dir, AUDIT_STATE), '{}');
    expect(holdsInterruptedAudit(dir)).toEqual({ checkpointed: true, partial: true });
    writeFileSync(join(dir, 'report.html'), '');
    expect(holdsReportSet(dir)).toBe(true);
  });
});

describe('claiming an --out folder', () => {
  it('a folder with a report set is refused without --force; --force removes that set and nothing else', () => {
    const dir = join(tempDir(), 'out');
    writeReportSet(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(() => claimReportDir(dir, { force: false })).toThrow(new OperationalError(`--out ${dir} already holds a report set; choose another --out, or add --force to replace it`));
    expect(readdirSync(dir)).toHaveLength(REPORT_FILES.length + 1);
    expect(claimReportDir(dir, { force: true, flag: '--report-dir' })).toBe(dir);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    // A set missing some files (a crashed writer, a hand edit) is replaced as well.
    writeFileSync(join(dir, 'summary.md'), 'old');
    expect(claimReportDir(dir, { force: true })).toBe(dir);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('a folder the claim made is removed when the run leaves it empty; one that existed stays', () => {
    const parent = tempDir();
    const made = claimReportDir(join(parent, 'new'), { force: false });
    const existing = claimReportDir(parent, { force: false });
    removeMadeDirsIfEmpty();
    expect(existsSync(made)).toBe(false);
    expect(existsSync(existing)).toBe(true);
    // Untracked (the run finished with it): it stays even when empty.
    const kept = claimReportDir(join(parent, 'kept'), { force: false });
    untrackMadeDir(kept);
    removeMadeDirsIfEmpty();
    expect(existsSync(kept)).toBe(true);
  });

  it("a dead run's temp files and CT pairing scratch go; a live process's temp file is refused", () => {
    const dir = tempDir();
    const dead = [`.summary.md.${DEAD_PID}.tmp`, `.findings.csv.${process.pid}.tmp`, '.certscan-ct-pairing.sqlite', '.certscan-ct-pairing.sqlite-journal'];
    for (const name of [...dead, 'notes.1.tmp']) writeFileSync(join(dir, name), '');
    removeStaleScratch(dir, '--out');
    expect(readdirSync(dir)).toEqual(['notes.1.tmp']);

    // An audit's checkpoint still needs its pairing file.
    writeFileSync(join(dir, AUDIT_STATE), '{}');
    writeFileSync(join(dir, '.certscan-ct-pairing.sqlite'), '');
    removeStaleScratch(dir, '--out');
    expect(readdirSync(dir).sort()).toEqual(['.certscan-audit-state.json', '.certscan-ct-pairing.sqlite', 'notes.1.tmp']);

    // pid 1 runs (init): its temp file means another writer.
    writeFileSync(join(dir, '.summary.md.1.tmp'), '');
    expect(() => removeStaleScratch(dir, '--out')).toThrow(
      new OperationalError(`--out ${dir}: .summary.md.1.tmp belongs to running process 1, another certscan writing there (remove the file if that process is not certscan)`),
    );
    expect(existsSync(join(dir, '.summary.md.1.tmp'))).toBe(true);
  });

  it('removeScratch removes the tracked files that are still there, then the tracked folders left empty', () => {
    const dir = tempDir();
    const made = join(dir, 'made');
    mkdirSync(made);
    trackMadeDir(made);
    const scratch = join(made, '.x.1.tmp');
    const done = join(dir, '.y.1.tmp');
    writeFileSync(scratch, '');
    writeFileSync(done, '');
    trackScratch(scratch, done);
    untrackScratch(done);
    // A tracked file that was never made (a CT pairing journal, say) is no error: this runs in a signal handler.
    trackScratch(join(dir, 'never-made-journal'));
    removeScratch();
    expect(readdirSync(dir)).toEqual(['.y.1.tmp']);
  });
});
