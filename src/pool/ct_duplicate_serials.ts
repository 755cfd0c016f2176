// CT scans: before the scan, the workers read every task of the whole log (every shard's too: a
// duplicate in another shard still counts) for the own issuers' issuer + serial keys; the groups
// of different certificates that share one go to every worker (sources/ct/duplicate_serials.ts).
import { groupSerialKeys } from '../sources/ct/duplicate_serials.js';
import type { TaskBody } from './messages.js';
import type { WorkerPool } from './pool.js';

export async function attachCtDuplicateSerials(pool: WorkerPool, tasks: readonly TaskBody[]): Promise<void> {
  const parts = await Promise.all(tasks.map(async (task, seq) => ({ keys: await pool.readSerialKeys(task, seq), origin: 'origin' in task ? task.origin : '' })));
  pool.attachCtDuplicates(groupSerialKeys(parts));
}
