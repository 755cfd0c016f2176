// A vitest pool for mutation runs whose worker threads outlive a test run.
//
// Stryker's vitest runner starts one vitest run per mutant, and vitest 4 stops its worker thread at
// the end of every run. So each mutant paid for a new thread that loaded vitest's runtime, pkijs,
// asn1js, better-sqlite3 and the rest again: about half of a mutant's CPU
// (docs/mutation-testing.md). This pool keeps a thread between runs. Before each run, the project's
// own modules (src/, test/, bench/) are marked stale, so they are evaluated again as in a new
// thread: one mutant must never see module state (a memo, a cache) another mutant left behind.
// Only node_modules, which no mutant changes, stay loaded.
//
// To the thread, a sequence of runs looks like one long run of several files without isolation,
// which vitest supports (`isolate: false`): the 'stop' and later 'start' requests are answered
// here instead of tearing the thread down and setting it up again.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ThreadsPoolWorker, type PoolOptions, type PoolRunnerInitializer, type PoolWorker, type WorkerRequest } from 'vitest/node';

/** The pool's name, as vitest's configuration and tasks carry it. */
const KEPT_THREADS = 'kept-threads';
/** The project's folders whose modules are evaluated again before every run. */
const PROJECT_MODULE_FOLDERS = ['src', 'test', 'bench'];
/** A thread is replaced after this many runs, so that nothing a test leaks can pile up for hours. */
const RUNS_PER_THREAD = 200;

type Listener = (arg: unknown) => void;

interface KeptThread {
  readonly worker: ThreadsPoolWorker;
  /** The project configuration of the newest 'start' request; every run is given it. */
  config: unknown;
  runs: number;
  /** Set once the thread is to be ended for real at its next stop. */
  retiring: boolean;
  /** Set if the thread exited on its own (a crash): it is never handed out again. */
  exited: boolean;
}

const idleThreads: KeptThread[] = [];

function projectModules(root: string): string[] {
  const files: string[] = [];
  for (const folder of PROJECT_MODULE_FOLDERS) {
    if (!existsSync(join(root, folder))) continue;
    const entries = readdirSync(join(root, folder), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (entry.isFile() && /\.(ts|js|mjs|json)$/.test(entry.name)) files.push(join(entry.parentPath, entry.name));
    }
  }
  return files;
}

class KeptThreadsPoolWorker implements PoolWorker {
  readonly name = KEPT_THREADS;
  private thread: KeptThread | undefined;
  /** This instance's listeners on the thread: removed at stop; messages answered here go to them. */
  private readonly listeners: { event: string; callback: Listener }[] = [];

  constructor(
    private readonly options: PoolOptions,
    private readonly modules: string[],
  ) {}

  async start(): Promise<void> {
    if (this.thread) return;
    const kept = idleThreads.pop();
    if (kept) {
      this.thread = kept;
      return;
    }
    const worker = new ThreadsPoolWorker(this.options);
    await worker.start();
    const thread: KeptThread = { worker, config: undefined, runs: 0, retiring: false, exited: false };
    worker.on('exit', () => (thread.exited = true));
    this.thread = thread;
  }

  async stop(): Promise<void> {
    const kept = this.thread;
    if (!kept) return;
    for (const { event, callback } of this.listeners.splice(0)) kept.worker.off(event, callback);
    this.thread = undefined;
    if (kept.retiring || kept.exited) await kept.worker.stop();
    else idleThreads.push(kept);
  }

  send(message: WorkerRequest): void {
    const kept = this.current();
    switch (message.type) {
      case 'start':
        if (kept.config !== undefined) {
          kept.config = message.context.config;
          this.answer({ type: 'started', __vitest_worker_response__: true });
          return;
        }
        kept.config = message.context.config;
        break;
      case 'stop':
        if (kept.runs < RUNS_PER_THREAD) {
          this.answer({ type: 'stopped', __vitest_worker_response__: true });
          return;
        }
        kept.retiring = true;
        break;
      case 'run':
      case 'collect': {
        kept.runs += 1;
        const context = message.context as typeof message.context & { config?: unknown };
        context.invalidates = [...(context.invalidates ?? []), ...this.modules];
        // The thread holds the configuration of its first start, but the runner changes it
        // between runs (Stryker sets the test-name pattern): each run carries the newest, which
        // takes precedence over the thread's.
        context.config = kept.config;
        break;
      }
    }
    kept.worker.send(message);
  }

  on(event: string, callback: Listener): void {
    this.listeners.push({ event, callback });
    this.current().worker.on(event, callback);
  }

  off(event: string, callback: Listener): void {
    const index = this.listeners.findIndex((entry) => entry.event === event && entry.callback === callback);
    if (index !== -1) this.listeners.splice(index, 1);
    this.thread?.worker.off(event, callback);
  }

  deserialize(data: unknown): unknown {
    return data;
  }

  private answer(response: { type: 'started' | 'stopped'; __vitest_worker_response__: true }): void {
    setImmediate(() => {
      for (const { event, callback } of [...this.listeners]) if (event === 'message') callback(response);
    });
  }

  private current(): KeptThread {
    if (!this.thread) throw new Error('kept-threads pool: the worker was used before start()');
    return this.thread;
  }
}

export function keptThreadsPool(): PoolRunnerInitializer {
  let modules: string[] | undefined;
  return {
    name: KEPT_THREADS,
    createPoolWorker(options: PoolOptions): PoolWorker {
      modules ??= projectModules(options.project.config.root);
      return new KeptThreadsPoolWorker(options, modules);
    },
  };
}

/** Ends the idle threads (the test runner's process is about to exit anyway; this makes it prompt). */
export async function endKeptThreads(): Promise<void> {
  await Promise.all(idleThreads.splice(0).map((kept) => kept.worker.stop()));
}
