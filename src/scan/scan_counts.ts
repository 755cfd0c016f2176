// What a scan counts besides findings, batch by batch: the id span read, fast-path decodes, log
// entries of other issuers, input problems. Kept in audit checkpoints.
import type { BatchResult } from '../inspect.js';
import type { RowKey } from '../sources/types.js';

export interface ScanCounts {
  firstId: RowKey | null;
  lastId: RowKey | null;
  fastDecoded: number;
  fastPathFallbacks: number;
  entriesRead: number;
  otherIssuerEntries: number;
  otherObjects?: number;
  inputProblems: number;
}

export function emptyScanCounts(): ScanCounts {
  return { firstId: null, lastId: null, fastDecoded: 0, fastPathFallbacks: 0, entriesRead: 0, otherIssuerEntries: 0, inputProblems: 0 };
}

/** `precertificates`: the batch's ids are the precertificates table's, not part of the certificates' id span. */
export function addBatchCounts(counts: ScanCounts, result: BatchResult, precertificates = false): void {
  if (result.firstRef !== null && !precertificates) counts.firstId ??= result.firstRef;
  if (result.lastRef !== null && !precertificates) counts.lastId = result.lastRef;
  counts.fastDecoded += result.fastDecoded;
  counts.fastPathFallbacks += result.fastPathFallbacks;
  counts.entriesRead += result.entriesRead;
  counts.otherIssuerEntries += result.otherIssuerEntries;
  counts.otherObjects = (counts.otherObjects ?? 0) + result.otherObjects;
  counts.inputProblems += result.problems.length;
}
