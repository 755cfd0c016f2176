// How far a scan is, 0..1: database scans by the share of the id span read, logs and files by the
// share of tasks written.

export function fractionDone(bounds: { min: number; max: number } | null, lastRef: number | null, written: number, taskCount: number | null): number {
  if (!bounds) return taskCount ? written / taskCount : 0;
  const span = bounds.max - bounds.min;
  return span > 0 && lastRef !== null ? (lastRef - bounds.min) / span : 1;
}
