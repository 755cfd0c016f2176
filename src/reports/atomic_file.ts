// A report file written under a temporary name and renamed into place only when complete, so a
// reader never sees half a report and a crashed scan leaves no file that looks finished.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { trackScratch, untrackScratch } from './report_dir.js';

export class AtomicFile {
  readonly path: string;
  readonly tempPath: string;
  private fd: number | null;

  constructor(path: string) {
    this.path = path;
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    this.fd = openSync(this.tempPath, 'w');
    // An interrupted run (SIGINT, SIGTERM) removes it.
    trackScratch(this.tempPath);
  }

  write(text: string): void {
    if (this.fd === null) throw new Error(`${this.path} is already closed`);
    writeSync(this.fd, text);
  }

  /** Flushes to disk and renames the temp file over the final name. */
  commit(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.tempPath, this.path);
    untrackScratch(this.tempPath);
  }

  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.tempPath, { force: true });
    untrackScratch(this.tempPath);
  }
}

export function writeFileAtomic(path: string, text: string): void {
  const file = new AtomicFile(path);
  try {
    file.write(text);
    file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
}
