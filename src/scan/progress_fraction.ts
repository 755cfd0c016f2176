// How far a scan is, 0..1: database scans by the share of the id span read, logs and files by the
// share of tasks written. A text key has no span (idBounds is null): its database scans report 0.
import type { RowKey } from '../sources/types.js';

export function fractionDone(bounds: { min: number; max: number } | null, lastRef: RowKey | null, written: number, taskCount: number | null): number {
  if (!bounds) return taskCount ? written / taskCount : 0;
  const span = bounds.max - bounds.min;
  return span > 0 && lastRef !== null ? (Number(lastRef) - bounds.min) / span : 1;
}
