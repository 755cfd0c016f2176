// Report folders: a folder is never reused in silence. Default names are claimed atomically (one
// mkdir, with a -2, -3... suffix when the second is taken); an --out that holds a report set is
// refused unless --force; folders that cannot be made or written are an operational error that
// names the flag. Also the scratch registry: what an interrupted run must remove (temp files, the
// CT pairing file, a folder it made and left empty).
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { OperationalError } from '../errors.js';

/** The files of a finished report set (any one of them means a set is there). */
export const REPORT_FILES = ['findings.csv', 'ccadb-appendix.csv', 'crtsh.txt', 'input-errors.csv', 'summary.json', 'summary.md', 'affected-by-month.svg', 'report.html'] as const;

export const AUDIT_STATE = '.certscan-audit-state.json';
/** Written by the CT pairing: kept only while a resumable audit's checkpoint needs it. */
const PAIRING_FILES = ['.certscan-ct-pairing.sqlite', '.certscan-ct-pairing.sqlite-journal'];
/** AtomicFile's temp names: `.<name>.<pid>.tmp`. */
const TEMP_FILE = /^\..+\.(\d+)\.tmp$/;
/** A resumable audit's streamed reports before they are complete. */
const PARTIAL_FILE = /^\..+\.partial$/;

// ---- scratch registry: what an interrupted run removes ---------------------------------------

const scratchFiles = new Set<string>();
const madeDirs = new Set<string>();

export function trackScratch(...paths: string[]): void {
  for (const path of paths) scratchFiles.add(path);
}

export function untrackScratch(...paths: string[]): void {
  for (const path of paths) scratchFiles.delete(path);
}

/** A folder this run made: removed on interruption or failure if nothing was left in it. */
export function trackMadeDir(dir: string): void {
  madeDirs.add(dir);
}

export function untrackMadeDir(dir: string): void {
  madeDirs.delete(dir);
}

/** Removes every tracked scratch file, then the tracked folders left empty. Synchronous: signal handlers call it. */
export function removeScratch(): void {
  for (const path of scratchFiles) rmSync(path, { force: true });
  scratchFiles.clear();
  removeMadeDirsIfEmpty();
}

export function removeMadeDirsIfEmpty(): void {
  for (const dir of madeDirs) {
    try {
      if (readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      // Already gone, or not ours to judge: it stays.
    }
  }
  madeDirs.clear();
}

// ---- making and checking folders --------------------------------------------------------------

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Creates `dir` and its missing parents one level at a time. Node's recursive mkdir loops forever
 * under /proc (each level answers ENOENT); a plain mkdir fails at once. Returns whether `dir` was made.
 */
export function makeDir(dir: string, flag: string): boolean {
  const absolute = resolve(dir);
  if (existsSync(absolute)) {
    if (!statSync(absolute).isDirectory()) throw new OperationalError(`${flag} ${dir}: exists and is not a directory`);
    return false;
  }
  const missing: string[] = [];
  for (let level = absolute; !existsSync(level); level = dirname(level)) missing.unshift(level);
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      if (codeOf(error) === 'EEXIST' && statSync(level).isDirectory()) continue;
      throw new OperationalError(`${flag} ${dir}: cannot create the report directory (${codeOf(error)} at ${level})`);
    }
  }
  return true;
}

/** Writes and removes a probe file, so an unwritable folder fails before the scan, naming the flag. */
export function checkWritable(dir: string, flag: string): void {
  const probe = join(dir, `.certscan-probe.${process.pid}.tmp`);
  try {
    closeSync(openSync(probe, 'w'));
    rmSync(probe, { force: true });
  } catch (error) {
    throw new OperationalError(`${flag} ${dir}: cannot write into the report directory (${codeOf(error)})`);
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
}

/**
 * Removes what a dead certscan left in `dir`: temp files of processes that no longer run and, when
 * no audit checkpoint needs it, the CT pairing scratch file. A live process's temp files mean another
 * certscan writes here now: refused.
 */
export function removeStaleScratch(dir: string, flag: string): void {
  const names = readdirSync(dir);
  for (const name of names) {
    const match = TEMP_FILE.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && processAlive(pid)) throw new OperationalError(`${flag} ${dir}: ${name} belongs to running process ${pid}, another certscan writing there (remove the file if that process is not certscan)`);
    rmSync(join(dir, name), { force: true });
  }
  if (!names.includes(AUDIT_STATE)) for (const name of PAIRING_FILES) rmSync(join(dir, name), { force: true });
}

export function holdsReportSet(dir: string): boolean {
  return REPORT_FILES.some((name) => existsSync(join(dir, name)));
}

/** An audit interrupted in `dir`: its checkpoint, or (killed before the first one) its partial files. */
export function holdsInterruptedAudit(dir: string): { checkpointed: boolean; partial: boolean } {
  if (!existsSync(dir)) return { checkpointed: false, partial: false };
  const names = readdirSync(dir);
  return { checkpointed: names.includes(AUDIT_STATE), partial: names.some((name) => PARTIAL_FILE.test(name)) };
}

/**
 * An explicit report folder (`--out`): made if missing, checked writable, cleared of a dead run's
 * scratch. One that holds a finished report set is refused unless `force`, which removes that set
 * first (so no file of the older scan stays beside the new ones). A resumable audit's own
 * checkpoint is not a report set. Returns the absolute path.
 */
export function claimReportDir(dir: string, options: { force: boolean; flag?: string }): string {
  const flag = options.flag ?? '--out';
  const absolute = resolve(dir);
  const made = makeDir(dir, flag);
  checkWritable(absolute, flag);
  removeStaleScratch(absolute, flag);
  if (holdsReportSet(absolute)) {
    if (!options.force) throw new OperationalError(`${flag} ${dir} already holds a report set; choose another ${flag}, or add --force to replace it`);
    for (const name of REPORT_FILES) rmSync(join(absolute, name), { force: true });
  }
  if (made) trackMadeDir(absolute);
  return absolute;
}

/** A new folder `<baseDir>/<name>` (or `<name>-2`, `-3`, ...), claimed by one mkdir so two runs never share it. */
export function uniqueReportDir(baseDir: string, name: string, flag = 'output.baseDir'): string {
  const base = resolve(baseDir);
  makeDir(base, flag);
  checkWritable(base, flag);
  for (let attempt = 1; ; attempt++) {
    const candidate = join(base, attempt === 1 ? name : `${name}-${attempt}`);
    try {
      mkdirSync(candidate);
    } catch (error) {
      if (codeOf(error) === 'EEXIST') continue;
      throw new OperationalError(`${flag} ${baseDir}: cannot create a report directory there (${codeOf(error)})`);
    }
    trackMadeDir(candidate);
    return candidate;
  }
}

/**
 * An audit's default folder: `<base>`, or `<base>-2`, `-3`, ... the first that holds this audit
 * interrupted or no finished report set. The name stays predictable, so `--resume` finds it.
 */
export function auditReportDir(base: string): string {
  for (let attempt = 1; ; attempt++) {
    const candidate = attempt === 1 ? base : `${base}-${attempt}`;
    const interrupted = holdsInterruptedAudit(candidate);
    if (interrupted.checkpointed || interrupted.partial || !existsSync(candidate) || !holdsReportSet(candidate)) return candidate;
  }
}
