// The report files of one scan. Normal scans write each file under a temp name and rename it when
// the scan is done. Resumable audits write `.<name>.partial` files that are fsync'd at every
// checkpoint and truncated back to the last checkpoint on resume, so an audit killed at any moment
// finishes with the same bytes as one never interrupted.
import { closeSync, createReadStream, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicFile, writeFileAtomic } from './atomic_file.js';
import { findingsHeader } from './findings_csv.js';
import { appendixHeader } from './ccadb_appendix.js';
import { inputProblemsHeader } from './input_errors.js';
import { parse } from 'csv-parse';
import { CHART_FILE, HTML_FILE, renderSummaryMarkdown, type ScanSummary } from './summary.js';
import { loadChartRenderer, renderChartSvg } from './chart.js';
import { HTML_ROW_LIMIT, renderHtmlReport, type AppendixRow } from './html_report.js';

interface ReportFile {
  write(text: string): void;
  commit(): void;
  abort(): void;
}

class ResumableFile implements ReportFile {
  readonly partialPath: string;
  private fd: number | null;
  offset: number;

  constructor(
    readonly path: string,
    resumeAt: number | undefined,
  ) {
    this.partialPath = join(path, '..', `.${path.split('/').pop()}.partial`);
    const resuming = resumeAt !== undefined && existsSync(this.partialPath);
    this.fd = openSync(this.partialPath, resuming ? 'r+' : 'w');
    this.offset = resuming ? resumeAt : 0;
    // Bytes written after the last checkpoint (a kill between the write and the checkpoint) go.
    if (resuming) ftruncateSync(this.fd, this.offset);
  }

  write(text: string): void {
    if (!text) return;
    const bytes = Buffer.from(text);
    writeSync(this.fd!, bytes, 0, bytes.length, this.offset);
    this.offset += bytes.length;
  }

  sync(): number {
    fsyncSync(this.fd!);
    return this.offset;
  }

  commit(): void {
    this.sync();
    closeSync(this.fd!);
    this.fd = null;
    renameSync(this.partialPath, this.path);
  }

  /** Keeps the partial file: a resumable audit picks it up again. */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export const STREAMED_REPORTS = ['findings.csv', 'ccadb-appendix.csv', 'crtsh.txt', 'input-errors.csv'] as const;
type StreamedReport = (typeof STREAMED_REPORTS)[number];

const HEADERS: Record<StreamedReport, () => string> = {
  'findings.csv': findingsHeader,
  'ccadb-appendix.csv': appendixHeader,
  'crtsh.txt': () => '',
  'input-errors.csv': inputProblemsHeader,
};

/** Called after each write to a streamed report (tests stop an audit between a write and its checkpoint). */
export type AfterReportWrite = (name: StreamedReport) => void;

export class ReportSet {
  private readonly files: Record<StreamedReport, ReportFile>;

  /** `resume`: byte offsets of a checkpoint to continue from (resumable mode only). */
  constructor(
    readonly dir: string,
    resumable: boolean,
    resume?: Record<string, number>,
    private readonly afterWrite?: AfterReportWrite,
  ) {
    mkdirSync(dir, { recursive: true });
    // The chart's libraries load while the scan runs: the scan's end does not wait for them.
    void loadChartRenderer();
    // A process killed mid-write leaves its temp files (".<name>.<pid>.tmp"): the resumed run
    // rewrites whatever they were for.
    if (resumable) for (const name of readdirSync(dir)) if (/^\..+\.\d+\.tmp$/.test(name)) rmSync(join(dir, name), { force: true });
    const open = (name: StreamedReport): ReportFile => {
      const file = resumable ? new ResumableFile(join(dir, name), resume?.[name]) : new AtomicFile(join(dir, name));
      if (!resume) file.write(HEADERS[name]());
      return file;
    };
    this.files = Object.fromEntries(STREAMED_REPORTS.map((name) => [name, open(name)])) as Record<StreamedReport, ReportFile>;
  }

  write(name: StreamedReport, text: string): void {
    if (!text) return;
    this.files[name].write(text);
    this.afterWrite?.(name);
  }

  /** fsyncs every file and returns their offsets (resumable mode). */
  checkpoint(): Record<string, number> {
    return Object.fromEntries(STREAMED_REPORTS.map((name) => [name, (this.files[name] as ResumableFile).sync()]));
  }

  async commit(summary: ScanSummary): Promise<void> {
    // The chart first: if it cannot be drawn, no report of this scan looks finished.
    const chartSvg = await renderChartSvg(summary);
    for (const name of STREAMED_REPORTS) this.files[name].commit();
    await writeSummaryReports(this.dir, summary, chartSvg);
  }

  abort(): void {
    for (const name of STREAMED_REPORTS) this.files[name].abort();
  }
}

/** The first rows of an appendix, streamed: a million-row appendix is not read into memory. */
async function readAppendixHead(path: string, limit: number): Promise<AppendixRow[]> {
  const rows: AppendixRow[] = [];
  for await (const row of createReadStream(path).pipe(parse({ columns: true, to: limit }))) rows.push(row as AppendixRow);
  return rows;
}

/**
 * summary.json, summary.md, the chart and report.html, from one summary and the committed
 * ccadb-appendix.csv beside them (a scan and a merge of shards write them alike).
 */
export async function writeSummaryReports(dir: string, summary: ScanSummary, chartSvg: string): Promise<void> {
  const markdown = renderSummaryMarkdown(summary);
  const appendix = await readAppendixHead(join(dir, 'ccadb-appendix.csv'), HTML_ROW_LIMIT);
  writeFileAtomic(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileAtomic(join(dir, 'summary.md'), markdown);
  writeFileAtomic(join(dir, CHART_FILE), chartSvg);
  writeFileAtomic(join(dir, HTML_FILE), renderHtmlReport(summary, markdown, chartSvg, appendix));
}
