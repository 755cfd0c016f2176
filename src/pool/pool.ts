// A fixed pool of worker threads. Each worker holds up to PIPELINE_DEPTH batches: the next one
// waits in its message queue, so it never idles for a round trip to the main thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OperationalError } from '../errors.js';
import type { BatchResult } from '../inspect.js';
import type { AttachMessage, BatchMessage, FinishSerialIndexPartMessage, OrdersThreadData, OrdersThreadReply, SerialIndexPartMessage, SerialKeysMessage, TaskBody, WorkerReply, WorkerSettings } from './messages.js';
import type { CtDuplicateSerials } from '../sources/ct/duplicate_serials.js';
import type { DuplicateSerialRows } from '../sources/database/duplicate_serials.js';
import type { SharedSerialIndex, SharedSerialIndexPart } from '../sources/serial_index.js';
import type { IdRange } from '../sources/issuance_db.js';
import type { SharedOrderStore } from '../sources/order_store.js';

/**
 * The compiled worker. Under vitest this module runs from src/*.ts, where no worker .js exists,
 * so it points at the build output (npm test builds first).
 */
function workerScript(name = 'worker'): URL {
  const resolved = resolvedScripts.get(name);
  if (resolved) return resolved;
  const here = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(here))) return remember(name, here);
  const built = new URL(import.meta.url.replace('/src/pool/', '/dist/src/pool/').replace(/pool\.ts$/, `${name}.js`));
  if (existsSync(fileURLToPath(built))) return remember(name, built);
  throw new OperationalError(`worker script not found (${fileURLToPath(here)}); run npm run build`);
}

function remember(name: string, script: URL): URL {
  resolvedScripts.set(name, script);
  return script;
}

/**
 * A server scan's page orders (DatabaseSource.ordersForPages), read on a thread of their own
 * (orders_thread.ts) through its own connection in the scan's snapshot; a failure there is the
 * scan's, with the same one line.
 */
export function readPageOrdersInThread(data: OrdersThreadData): Promise<SharedOrderStore | null> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(workerScript('orders_thread'), { workerData: data });
    let settled = false;
    thread.once('message', (reply: OrdersThreadReply) => {
      settled = true;
      if ('orders' in reply) resolve(reply.orders);
      else reject(reply.operational ? new OperationalError(reply.error) : new Error(reply.error));
    });
    thread.once('error', (error) => {
      settled = true;
      reject(new OperationalError(`reading the orders: ${error.message}`));
    });
    thread.once('exit', (code) => {
      if (!settled) reject(new OperationalError(`reading the orders: the thread ended (exit code ${code})`));
    });
  });
}

/**
 * A worker's young generation when it reads pages from a database server: most of its garbage is
 * the client's socket buffers, outside the heap, freed only when a scavenge finds them dead; a
 * smaller young generation scavenges them sooner. 1M bench from PostgreSQL, one run each: peak
 * RSS 307 MB at 16 MB, 275 MB at 8 MB; CPU 41.6 and 43.7 s, within the runs' noise (38-44 s).
 */
export const SERVER_YOUNG_GENERATION_MB = 8;

const resolvedScripts = new Map<string, URL>();

interface Task {
  message: BatchMessage | SerialIndexPartMessage | FinishSerialIndexPartMessage | SerialKeysMessage;
  resolve: (reply: WorkerReply & { ok: true }) => void;
  reject: (error: Error) => void;
}

/** Batches sent to one worker before it has answered the first. */
export const PIPELINE_DEPTH = 2;

/** How often one batch may kill a worker thread before the scan gives up on it. */
const MAX_DEATHS_PER_BATCH = 3;

/** A worker thread that died and was replaced: the batch it held, and the certificate it died on. */
export interface WorkerRestart {
  seq: number;
  /** The certificate's ref (row id, leaf index or block number); null when it died outside an inspection. */
  ref: number | null;
  why: string;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Task[] = [];
  /** The batches each worker holds, in the order it answers them. */
  private readonly running = new Map<Worker, Task[]>();
  private readonly slots = new Map<Worker, number>();
  /** [batch seq, ref] per worker slot: where each worker is (it writes them before each certificate). */
  private readonly positions: Float64Array;
  private readonly settings: WorkerSettings;
  private readonly deathsBySeq = new Map<number, number>();
  /** Sent again to a replacement worker, in order. */
  private readonly attachMessages: AttachMessage[] = [];
  private failure: Error | null = null;
  private closing = false;
  /** Workers that died and were replaced; their batches were redone without the certificate each died on. */
  readonly restarts: WorkerRestart[] = [];

  /** A worker's young generation in MB (see spawn). */
  private readonly youngGenerationMb: number;

  constructor(size: number, settings: WorkerSettings, options: { youngGenerationMb?: number } = {}) {
    this.youngGenerationMb = options.youngGenerationMb ?? 16;
    const positions = new SharedArrayBuffer(size * 2 * Float64Array.BYTES_PER_ELEMENT);
    this.positions = new Float64Array(positions).fill(-1);
    this.settings = { ...settings, positions };
    for (let slot = 0; slot < size; slot++) this.spawn(slot);
  }

  private spawn(slot: number): void {
    // The young generation bounds each worker's heap, and so peak RSS. A batch's garbage dies
    // young, but a scavenge copies the batch still in hand: 8 MB meant ~1,600 scavenges per
    // million CT entries (1.2 s a worker); 16 MB halves them, and peak RSS stays under 250 MB
    // on the bench (database and CT); 32 MB costs RSS and gains nothing more. Server scans take
    // less (SERVER_YOUNG_GENERATION_MB).
    const worker = new Worker(workerScript(), { workerData: { settings: this.settings, slot }, resourceLimits: { maxYoungGenerationSizeMb: this.youngGenerationMb } });
    worker.on('message', (reply: WorkerReply) => this.onReply(worker, reply));
    worker.on('error', (error) => this.onDeath(worker, error.message));
    worker.on('exit', (code) => {
      if (code !== 0 && !this.closing) this.onDeath(worker, `exit code ${code}`);
    });
    this.workers[slot] = worker;
    this.running.set(worker, []);
    this.slots.set(worker, slot);
    for (const message of this.attachMessages) worker.postMessage(message);
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
  async readSerialIndexPart(range: IdRange, seq: number): Promise<SharedSerialIndexPart> {
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
    this.attach({ kind: 'attach-serial-index', index, orders });
  }

  /** CT scans: reads one task's issuer + serial keys (see sources/ct/duplicate_serials.ts) in whichever worker is free. */
  async readSerialKeys(task: TaskBody, seq: number): Promise<Float64Array> {
    const reply = await this.send({ kind: 'serial-keys', seq, task });
    if (!('serialKeys' in reply)) throw new OperationalError(`worker answered serial keys ${seq} without them`);
    return reply.serialKeys;
  }

  /** Gives every worker the issuer + serial keys that different certificates share. */
  attachCtDuplicates(duplicates: CtDuplicateSerials): void {
    this.attach({ kind: 'attach-ct-duplicates', duplicates });
  }

  /** Database scans: gives every worker the rows that share an issuer + serial with another certificate. */
  attachDuplicateSerialRows(rows: DuplicateSerialRows): void {
    this.attach({ kind: 'attach-duplicate-serial-rows', rows });
  }

  private attach(message: AttachMessage): void {
    this.attachMessages.push(message);
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

  /**
   * A worker thread died (a native crash, out of memory, an exit). Its batches go back to the front
   * of the queue; the one it died in is redone without the certificate it was inspecting, which the
   * redone batch reports as not inspected. A replacement worker takes its slot. Building the serial
   * index, or a batch that kills workers again and again, fails the scan.
   */
  private onDeath(worker: Worker, why: string): void {
    const held = this.running.get(worker);
    if (!held || this.closing) return; // 'error' and 'exit' both report one death
    this.running.delete(worker);
    const slot = this.slots.get(worker)!;
    this.slots.delete(worker);
    const [seq, ref] = [this.positions[slot * 2]!, this.positions[slot * 2 + 1]!];
    this.positions.fill(-1, slot * 2, slot * 2 + 2);
    const batches = held.filter((task): task is Task & { message: BatchMessage } => !isIndexMessage(task.message));
    if (batches.length < held.length) return this.fail(new OperationalError(`worker thread failed while building the serial index or reading serial keys: ${why}`), held);
    const culprit = batches.find((task) => task.message.seq === seq);
    for (const task of culprit ? [culprit] : batches) {
      const deaths = (this.deathsBySeq.get(task.message.seq) ?? 0) + 1;
      this.deathsBySeq.set(task.message.seq, deaths);
      if (deaths > MAX_DEATHS_PER_BATCH) return this.fail(new OperationalError(`worker threads died ${deaths} times on batch ${task.message.seq} (last: ${why})`), held);
    }
    this.restarts.push({ seq: culprit ? seq : (batches[0]?.message.seq ?? -1), ref: culprit ? ref : null, why });
    const requeued = batches.map((task) =>
      task === culprit ? { ...task, message: { ...task.message, skip: [...(task.message.skip ?? []), [ref, `the worker thread died while inspecting it (${why}); the batch was redone without it`] as [number, string]] } } : task,
    );
    this.queue.unshift(...requeued);
    this.spawn(slot);
    this.dispatch();
  }

  private fail(error: Error, held: Task[]): void {
    this.failure ??= error;
    for (const task of held) task.reject(this.failure);
    for (const worker of this.workers) for (const task of this.running.get(worker)?.splice(0) ?? []) task.reject(this.failure);
    for (const queued of this.queue.splice(0)) queued.reject(this.failure);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

function isIndexMessage(message: Task['message']): message is SerialIndexPartMessage | FinishSerialIndexPartMessage | SerialKeysMessage {
  return message.kind === 'serial-index-part' || message.kind === 'finish-serial-index-part' || message.kind === 'serial-keys';
}
