/**
 * An operational failure: the scan could not run or finish (missing database, bad config, a worker
 * died). The CLI prints its message on one line and exits 2. Findings are never errors; they are data.
 */
export class OperationalError extends Error {
  override readonly name = 'OperationalError';
}
