// Batch results come back from the workers in any order; they are written in source order so that
// reports do not depend on the number of workers or their timing.
import type { BatchResult } from '../inspect.js';
import { appendixRows, crtshLines, recordOf } from '../reports/ccadb_appendix.js';
import type { CtPairing } from '../reports/ct_pairing.js';
import { findingsRows } from '../reports/findings_csv.js';
import { inputProblemRows } from '../reports/input_errors.js';
import type { ReportSet } from '../reports/report_set.js';
import type { SummaryAccumulator } from '../reports/summary.js';
import type { InputProblem } from '../sources/ct/entries.js';
import { withoutSuppressed } from './nightly_suppress.js';
import { addBatchCounts, type ScanCounts } from './scan_counts.js';

export interface OrderedReportsParts {
  reports: ReportSet;
  totals: SummaryAccumulator;
  counts: ScanCounts;
  /** `<cert_id>:<check>` of every finding written (database rows only). */
  reportedKeys: string[];
  /** CT entries pair up across the whole log: their appendix rows wait here until the end. */
  pairing: CtPairing | null;
  fromLogs: boolean;
  suppress: ReadonlySet<string> | undefined;
  startedAt: Date;
  discoveredAt: Date | null;
  onInputProblem?: (problem: InputProblem) => void;
  /** After each batch written: `written` counts this run's batches, `seqWritten` the audit's. */
  afterBatch: (result: BatchResult, lastId: number | null, written: number, seqWritten: number) => void;
}

export class OrderedReports {
  private readonly finished = new Map<number, { result: BatchResult; lastId: number | null }>();
  private nextToWrite = 0;

  constructor(
    private readonly parts: OrderedReportsParts,
    private seqWritten: number,
  ) {}

  /** Takes batch `result.seq` and writes every batch that is now next in source order. */
  add(result: BatchResult, lastId: number | null): void {
    this.finished.set(result.seq, { result, lastId });
    for (let done = this.finished.get(this.nextToWrite); done; done = this.finished.get(this.nextToWrite)) {
      this.finished.delete(this.nextToWrite);
      this.write(done.result);
      this.nextToWrite++;
      this.seqWritten++;
      this.parts.afterBatch(done.result, done.lastId, this.nextToWrite, this.seqWritten);
    }
  }

  private write(result: BatchResult): void {
    const { reports, totals, counts, reportedKeys, pairing, startedAt, discoveredAt } = this.parts;
    const affected = withoutSuppressed(result.affected, this.parts.suppress);
    // Database rows only: nightly runs de-duplicate by row id, and log entries have none (a
    // million affected entries made a million identical keys).
    if (!this.parts.fromLogs) for (const item of affected) for (const finding of item.findings) reportedKeys.push(`${item.row.ref}:${finding.check}`);
    reports.write('findings.csv', findingsRows(affected));
    reports.write('input-errors.csv', inputProblemRows(result.problems));
    totals.add(result.scanned, affected);
    if (pairing) pairing.add(affected);
    else {
      const records = affected.map(recordOf);
      reports.write('ccadb-appendix.csv', appendixRows(records, startedAt, discoveredAt));
      reports.write('crtsh.txt', crtshLines(records));
      totals.addCertificates(affected);
    }
    addBatchCounts(counts, result);
    for (const problem of result.problems) this.parts.onInputProblem?.(problem);
  }

  /** The CT appendix rows, in log order, once every entry is read. */
  writePairs(): void {
    const { reports, totals, pairing, startedAt, discoveredAt } = this.parts;
    if (!pairing) return;
    for (const records of pairing.inLogOrder()) {
      reports.write('ccadb-appendix.csv', appendixRows(records, startedAt, discoveredAt));
      reports.write('crtsh.txt', crtshLines(records));
      totals.addCertificates(records.map((record) => record.item));
    }
  }
}
