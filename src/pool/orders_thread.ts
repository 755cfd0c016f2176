// A short-lived thread that reads a server scan's page orders (DatabaseSource.ordersForPages) into
// shared memory, hands them over and exits. Reading 200k orders through a client makes garbage at
// a pace that grows a thread's young generation to its 32 MB maximum; on the main thread that
// space stayed for most of the scan (1M bench: about 30 MB of its peak RSS). Here it goes with
// the thread.
import { parentPort, workerData } from 'node:worker_threads';
import { OperationalError } from '../errors.js';
import { openDatabaseSource } from '../sources/database/database_source.js';
import type { OrdersThreadData, OrdersThreadReply } from './messages.js';

const { location, database, filter, snapshot } = workerData as OrdersThreadData;
let reply: OrdersThreadReply;
try {
  const source = await openDatabaseSource(location, database, { filter, snapshot });
  try {
    reply = { orders: (await source.ordersForPages())?.toShared() ?? null };
  } finally {
    await source.close();
  }
} catch (error) {
  reply = { error: error instanceof Error ? error.message : String(error), operational: error instanceof OperationalError };
}
parentPort!.postMessage(reply);
