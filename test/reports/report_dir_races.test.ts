// report_dir.ts where another process is involved, which a test run as root cannot bring about
// for real: another process making the same folder between our look and our mkdir, and a live
// process of another user (kill(pid, 0) answers EPERM, never to root). node:fs's mkdirSync and
// process.kill are replaced for that one moment; everything else is the real file system.
import * as fs from 'node:fs';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers.js';

type ReportDir = typeof import('../../src/reports/report_dir.js');
let makeDir: ReportDir['makeDir'];
let removeStaleScratch: ReportDir['removeStaleScratch'];
let OperationalError: typeof import('../../src/errors.js').OperationalError;

// Loaded here, after the mock: a test run without isolation (the mutation runs) may have loaded
// report_dir.ts with the real node:fs for an earlier test file.
beforeAll(async () => {
  vi.resetModules();
  ({ makeDir, removeStaleScratch } = await import('../../src/reports/report_dir.js'));
  ({ OperationalError } = await import('../../src/errors.js'));
});

/** The level a rival process makes just before our mkdir of it (and what it makes there). */
const rival = vi.hoisted(() => ({ level: '', makes: 'folder' as 'folder' | 'file' }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    mkdirSync: ((path: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
      if (String(path) === rival.level) {
        rival.level = '';
        if (rival.makes === 'folder') real.mkdirSync(path);
        else real.writeFileSync(path, 'not a folder');
      }
      return real.mkdirSync(path, options);
    }) as typeof fs.mkdirSync,
  };
});

afterEach(() => {
  rival.level = '';
  vi.restoreAllMocks();
});

describe('makeDir racing another process', () => {
  it('a level another process made first is taken as made, and the levels below it are made', () => {
    const dir = tempDir();
    const target = join(dir, 'a', 'b', 'c');
    rival.level = join(dir, 'a', 'b');
    rival.makes = 'folder';
    const before = readdirSync(process.cwd());
    expect(makeDir(target, '--out')).toBe(true);
    expect(rival.level).toBe('');
    expect(existsSync(target)).toBe(true);
    // Only the folder asked for: nothing made where the scan was started.
    expect(readdirSync(process.cwd())).toEqual(before);
  });

  it('a file another process put there first is an operational error naming the level', () => {
    const dir = tempDir();
    const target = join(dir, 'a', 'b');
    rival.level = join(dir, 'a');
    rival.makes = 'file';
    expect(() => makeDir(target, '--out')).toThrow(new OperationalError(`--out ${target}: cannot create the report directory (EEXIST at ${join(dir, 'a')})`));
  });
});

describe("another user's process", () => {
  const killAnswers = (code: string) =>
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error(`kill: ${code}`), { code });
    });

  it('a temp file of a live process certscan may not signal (EPERM) is refused; of a dead one (ESRCH) removed', () => {
    const dir = tempDir();
    const name = '.summary.md.4242.tmp';
    writeFileSync(join(dir, name), '');
    killAnswers('EPERM');
    expect(() => removeStaleScratch(dir, '--out')).toThrow(
      new OperationalError(`--out ${dir}: ${name} belongs to running process 4242, another certscan writing there (remove the file if that process is not certscan)`),
    );
    expect(readdirSync(dir)).toEqual([name]);
    killAnswers('ESRCH');
    removeStaleScratch(dir, '--out');
    expect(readdirSync(dir)).toEqual([]);
  });
});
