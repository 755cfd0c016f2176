// CT exports and certificate files: what the workers need besides the task list (the CA's issuers,
// the serial index of the issuance database) and this process's slice of the tasks.
import type { ScanConfig } from '../config.js';
import { OperationalError } from '../errors.js';
import { serialKey } from '../decode/serial.js';
import type { TaskBody, WorkerSettings } from '../pool/messages.js';
import type { WorkerPool } from '../pool/pool.js';
import { findDuplicateSerials } from '../sources/cert_files.js';
import { loadIssuerSet } from '../sources/ct/issuers.js';
import type { DatabaseSource } from '../sources/database/database_source.js';
import type { FilePlan } from '../sources/plan.js';
import { SerialIndex } from '../sources/serial_index.js';
import type { IdRange } from '../sources/issuance_db.js';
import { idSpanPart } from './database_plan.js';

/**
 * What the workers need to read logs and files: the CA's own issuers. A CT log holds every CA's
 * certificates, so it needs them; a folder of files is the user's own selection, and without
 * issuers every certificate in it is scanned. File scans also look for issuer + serial pairs that
 * two different certificates share.
 */
export function logSettings(issuerFiles: string[] | undefined, config: ScanConfig, plan: FilePlan): WorkerSettings['ct'] {
  const issuers = loadIssuerSet(issuerFiles ?? config.ct.issuers, config.ct.issuerKeyHashes);
  const allIssuers = issuers.keyHashes.length === 0;
  if (allIssuers && plan.kind !== 'pem') throw new OperationalError("a CT scan needs the CA's issuers: --issuer FILE, or ct.issuers / ct.issuerKeyHashes in the config");
  if (plan.kind !== 'pem') return { issuers };
  const files = plan.tasks.flatMap((task) => (task.kind === 'certificate-file' ? [task.path] : []));
  return { issuers, allIssuers, duplicateSerials: findDuplicateSerials(files, serialKey) };
}

/** `--shard K/N` of a log or files: the K-th of N contiguous runs of tiles, pages or files. */
export function sliceTasks(tasks: TaskBody[], shard: { index: number; count: number } | undefined): TaskBody[] {
  if (!shard) return tasks;
  const edge = (k: number) => Math.floor((k * tasks.length) / shard.count);
  return tasks.slice(edge(shard.index), edge(shard.index + 1));
}

/**
 * The key ranges the workers read the serial index in, one each: equal slices of an integer key's
 * id span, or a text key's quantiles (EJBCA's fingerprint: computed in SQL, in its order). None
 * for an empty table.
 */
async function indexPartRanges(database: DatabaseSource, count: number): Promise<IdRange[]> {
  if (database.keyKind === 'integer') {
    const bounds = await database.idBounds();
    return bounds ? Array.from({ length: count }, (_, k) => idSpanPart(bounds, k, count)) : [];
  }
  const ends = await database.keyQuantiles(count);
  return ends.map((lastId, k) => ({ afterId: k === 0 ? null : ends[k - 1]!, lastId }));
}

/**
 * The serial index of the whole table and the orders its entries point at, in shared memory; every
 * worker gets both. The workers read the index parts (a key range each) while this thread reads
 * the orders; then each worker turns a part's order ids into references to the orders and adds
 * the part to the index's one hash table.
 */
export async function attachSerialIndex(pool: WorkerPool, database: DatabaseSource): Promise<void> {
  const ranges = await indexPartRanges(database, pool.size);
  const reading = Promise.all(ranges.map((range, k) => pool.readSerialIndexPart(range, k)));
  reading.catch(() => undefined); // awaited below; this keeps a failure there from going unhandled if the orders fail first
  const orders = (await database.buildOrderStore()).toShared();
  const parts = await reading;
  const index = SerialIndex.over(parts).toShared();
  await Promise.all(parts.map((part, k) => pool.finishSerialIndexPart(part, k, index, orders)));
  pool.attachSerialIndex(index, orders);
}
