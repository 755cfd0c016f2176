// Hands the planned tasks to the worker pool with a bounded queue: the planner waits while enough
// batches are in flight, so memory stays flat whatever the size of the source.
import pLimit from 'p-limit';
import type { BatchResult } from '../inspect.js';
import type { BatchMessage, TaskBody } from '../pool/messages.js';
import type { WorkerPool } from '../pool/pool.js';
import type { RowKey } from '../sources/types.js';

/** Where a batch's rows came from: the last key of its range (database rows), and whether that is an id of the precertificates table. */
export interface BatchOrigin {
  lastId: RowKey | null;
  precertificates: boolean;
}

/** Runs every task; `onResult` gets each result with its origin. The first failure stops the planning and is thrown. */
export async function dispatchTasks(
  tasks: AsyncIterable<TaskBody> | Iterable<TaskBody>,
  pool: WorkerPool,
  maxInFlight: number,
  onResult: (result: BatchResult, origin: BatchOrigin) => void,
): Promise<void> {
  const limit = pLimit(pool.capacity);
  const inFlight = new Set<Promise<void>>();
  let firstError: unknown = null;
  let seq = 0;
  // The main thread only plans tasks (id ranges, tiles, pages, files); each worker reads its own
  // through its own connection, so reading scales with the workers and memory stays flat.
  for await (const body of tasks) {
    if (firstError) break;
    const batch: BatchMessage = { ...body, seq: seq++ };
    const origin: BatchOrigin = body.kind === 'db-range' ? { lastId: body.lastId, precertificates: body.precertificates === true } : { lastId: null, precertificates: false };
    const task: Promise<void> = limit(() => pool.run(batch))
      .then((result) => onResult(result, origin))
      .catch((error: unknown) => {
        firstError ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (firstError) throw firstError;
}
