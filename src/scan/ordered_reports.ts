// Batch results come back from the workers in any order; they are written in source order so that
// reports do not depend on the number of workers or their timing.
import type { BatchResult } from '../inspect.js';
import { appendixRows, crtshLines, recordOf } from '../reports/ccadb_appendix.js';
import { findingsRows } from '../reports/findings_csv.js';
import { inputProblemRows } from '../reports/input_errors.js';
import type { InputProblem } from '../sources/ct/entries.js';
import { countVettedFrom } from '../reports/vetted_data.js';
import type { BatchOrigin } from './dispatch.js';
import { reportedKey, suppressedPrecertificates, withoutSuppressed } from './nightly_suppress.js';
import { addBatchCounts } from './scan_counts.js';
import type { ScanState } from './scan_state.js';

export interface OrderedReportsParts extends ScanState {
  fromLogs: boolean;
  suppress: ReadonlySet<string> | undefined;
  startedAt: Date;
  discoveredAt: Date | null;
  onInputProblem?: (problem: InputProblem) => void;
  /** After each batch written: `written` counts this run's batches, `seqWritten` the audit's. */
  afterBatch: (result: BatchResult, origin: BatchOrigin, written: number, seqWritten: number) => void;
}

export class OrderedReports {
  private readonly finished = new Map<number, { result: BatchResult; origin: BatchOrigin }>();
  private nextToWrite = 0;

  constructor(
    private readonly parts: OrderedReportsParts,
    private seqWritten: number,
  ) {}

  /** Takes batch `result.seq` and writes every batch that is now next in source order. */
  add(result: BatchResult, origin: BatchOrigin): void {
    this.finished.set(result.seq, { result, origin });
    for (let done = this.finished.get(this.nextToWrite); done; done = this.finished.get(this.nextToWrite)) {
      this.finished.delete(this.nextToWrite);
      this.write(done.result, done.origin.precertificates);
      this.nextToWrite++;
      this.seqWritten++;
      this.parts.afterBatch(done.result, done.origin, this.nextToWrite, this.seqWritten);
    }
  }

  private write(result: BatchResult, fromPrecertificates: boolean): void {
    const { reports, totals, counts, reportedKeys, pairing, startedAt, discoveredAt } = this.parts;
    const affected = withoutSuppressed(result.affected, this.parts.suppress);
    // Database rows only: nightly runs de-duplicate by row id, and log entries have none (a
    // million affected entries made a million identical keys).
    if (!this.parts.fromLogs) for (const item of affected) for (const finding of item.findings) reportedKeys.push(reportedKey(item, finding.check));
    reports.write('findings.csv', findingsRows(affected));
    reports.write('input-errors.csv', inputProblemRows(result.problems));
    // Rows of the precertificates table are counted apart: they are not certificates.
    totals.add(fromPrecertificates ? 0 : result.scanned, affected);
    if (this.parts.vettedData) countVettedFrom(this.parts.vettedData, affected);
    if (fromPrecertificates) this.parts.precertificates?.counted(result.scanned, result.firstRef, result.lastRef);
    if (pairing) {
      pairing.add(affected);
      // A nightly look-back's precertificates reported before: partners of certificates issued since.
      if (fromPrecertificates) pairing.addPartners(suppressedPrecertificates(result.affected, affected));
    } else {
      const records = affected.map(recordOf);
      reports.write('ccadb-appendix.csv', appendixRows(records, startedAt, discoveredAt));
      reports.write('crtsh.txt', crtshLines(records));
      totals.addCertificates(affected);
    }
    addBatchCounts(counts, result, fromPrecertificates);
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
