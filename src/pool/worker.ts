// A worker thread: decodes and checks the batches it is given. No I/O, no report writing.
import { parentPort, workerData } from 'node:worker_threads';
import { createInspector, inspectRows } from '../inspect.js';
import { unpackBatch, type BatchMessage, type WorkerReply, type WorkerSettings } from './messages.js';

const inspector = createInspector(workerData as WorkerSettings);

parentPort?.on('message', (message: BatchMessage) => {
  let reply: WorkerReply;
  try {
    reply = { ok: true, result: inspectRows(inspector, message.seq, unpackBatch(message)) };
  } catch (error) {
    reply = { ok: false, seq: message.seq, error: (error as Error).stack ?? String(error) };
  }
  parentPort?.postMessage(reply);
});
