// A worker thread: reads its own slice of the source (its own read-only connection), decodes and
// checks it, and returns only the affected certificates. No report writing here.
import { parentPort, workerData } from 'node:worker_threads';
import { createInspector, inspectRows } from '../inspect.js';
import { IssuanceDatabase } from '../sources/issuance_db.js';
import type { BatchMessage, WorkerReply, WorkerSettings } from './messages.js';

const settings = workerData as WorkerSettings;
const inspector = createInspector(settings);
const source = IssuanceDatabase.open(settings.databasePath, settings.database);

parentPort?.on('message', (message: BatchMessage) => {
  let reply: WorkerReply;
  try {
    reply = { ok: true, result: inspectRows(inspector, message.seq, source.readRange(message), (ref) => source.readDetails(ref)) };
  } catch (error) {
    reply = { ok: false, seq: message.seq, error: (error as Error).stack ?? String(error) };
  }
  parentPort?.postMessage(reply);
});
