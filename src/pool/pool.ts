// A fixed pool of worker threads. Each worker holds up to PIPELINE_DEPTH batches: the next one
// waits in its message queue, so it never idles for a round trip to the main thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OperationalError } from '../errors.js';
import type { BatchResult } from '../inspect.js';
import type { AttachSerialIndexMessage, BatchMessage, FinishSerialIndexPartMessage, SerialIndexPartMessage, WorkerReply, WorkerSettings } from './messages.js';
import type { SharedSerialIndex, SharedSerialIndexPart } from '../sources/serial_index.js';
import type { SharedOrderStore } from '../sources/order_store.js';

/**
 * The compiled worker. Under vitest this module runs from src/*.ts, where no worker .js exists,
 * so it points at the build output (npm test builds first).
 */
function workerScript(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(import.meta.url.replace('/src/pool/', '/dist/src/pool/').replace(/pool\.ts$/, 'worker.js'));
  if (existsSync(fileURLToPath(built))) return built;
  throw new OperationalError(`worker script not found (${fileURLToPath(here)}); run npm run build`);
}

interface Task {
  message: BatchMessage | SerialIndexPartMessage | FinishSerialIndexPartMessage;
  resolve: (reply: WorkerReply & { ok: true }) => void;
  reject: (error: Error) => void;
}

/** Batches sent to one worker before it has answered the first. */
export const PIPELINE_DEPTH = 2;

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Task[] = [];
  /** The batches each worker holds, in the order it answers them. */
  private readonly running = new Map<Worker, Task[]>();
  private failure: Error | null = null;
  private closing = false;

  constructor(size: number, settings: WorkerSettings) {
    const script = workerScript();
    for (let index = 0; index < size; index++) {
      // The young generation bounds each worker's heap, and so peak RSS. A batch's garbage dies
      // young, but a scavenge copies the batch still in hand: 8 MB meant ~1,600 scavenges per
      // million CT entries (1.2 s a worker); 16 MB halves them, and peak RSS stays under 250 MB
      // on the bench (database and CT); 32 MB costs RSS and gains nothing more.
      const worker = new Worker(script, { workerData: settings, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
      worker.on('message', (reply: WorkerReply) => this.onReply(worker, reply));
      worker.on('error', (error) => this.onFailure(worker, error));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.onFailure(worker, new Error(`worker exited with code ${code}`));
      });
      this.workers.push(worker);
      this.running.set(worker, []);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Batches the pool runs at once; more wait in its queue. */
  get capacity(): number {
    return this.workers.length * PIPELINE_DEPTH;
  }

  async run(message: BatchMessage): Promise<BatchResult> {
    const reply = await this.send(message);
    if (!('result' in reply)) throw new OperationalError(`worker answered batch ${message.seq} without a result`);
    return reply.result;
  }

  /** Reads one part of the serial index in whichever worker is free. */
  async readSerialIndexPart(range: { afterId: number; lastId: number }, seq: number): Promise<SharedSerialIndexPart> {
    const reply = await this.send({ kind: 'serial-index-part', seq, ...range });
    if (!('serialIndexPart' in reply)) throw new OperationalError(`worker answered serial index part ${seq} without it`);
    return reply.serialIndexPart;
  }

  /** Resolves part `seq`'s order ids and adds it to the index's hash table, in whichever worker is free. */
  async finishSerialIndexPart(part: SharedSerialIndexPart, seq: number, index: SharedSerialIndex, orders: SharedOrderStore): Promise<void> {
    const reply = await this.send({ kind: 'finish-serial-index-part', seq, part, index, orders });
    if (!('finished' in reply)) throw new OperationalError(`worker did not finish serial index part ${seq}`);
  }

  /** Gives every worker the serial index and its orders; each takes them before any batch sent after this. */
  attachSerialIndex(index: SharedSerialIndex, orders: SharedOrderStore): void {
    const message: AttachSerialIndexMessage = { kind: 'attach-serial-index', index, orders };
    for (const worker of this.workers) worker.postMessage(message);
  }

  private send(message: Task['message']): Promise<WorkerReply & { ok: true }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length) {
      // The least busy worker, while one has room.
      let chosen: Worker | null = null;
      for (const worker of this.workers) {
        const held = this.running.get(worker)!.length;
        if (held < PIPELINE_DEPTH && (chosen === null || held < this.running.get(chosen)!.length)) chosen = worker;
      }
      if (!chosen) return;
      const task = this.queue.shift()!;
      this.running.get(chosen)!.push(task);
      chosen.postMessage(task.message);
    }
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    const task = this.running.get(worker)?.shift();
    if (task) {
      if (reply.ok) task.resolve(reply);
      else task.reject(new OperationalError(`worker failed on batch ${reply.seq}: ${reply.error}`));
    }
    this.dispatch();
  }

  private onFailure(worker: Worker, error: Error): void {
    this.failure ??= new OperationalError(`worker thread failed: ${error.message}`);
    for (const task of this.running.get(worker)?.splice(0) ?? []) task.reject(this.failure);
    for (const queued of this.queue.splice(0)) queued.reject(this.failure);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
