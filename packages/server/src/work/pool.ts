/**
 * A pool of worker threads for the server's expensive work (checking, compiling, diffing, impact
 * replay), so that none of it holds up the event loop that answers evaluations. Each task has a hard
 * time limit: past it, its worker is terminated (the only way to stop synchronous work) and replaced,
 * and the task fails with `WorkTimeout`. With a size of 0 the tasks run inline, on the calling thread.
 * The workers start with the first task.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runTask, type WorkAnswers, type WorkRequest } from './tasks.ts';

export class WorkTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`the work took longer than the limit of ${limitMs} ms and was stopped`);
  }
}

/** The caller gave up (its signal aborted, e.g. its request's deadline passed) before a worker started the task: it never runs. */
export class WorkAbandoned extends Error {
  constructor() {
    super('the task was given up before a worker started it');
  }
}

/** Too many tasks are waiting already. */
export class WorkBusy extends Error {
  constructor(readonly queued: number) {
    super(`${queued} tasks are waiting for a worker; try again shortly`);
  }
}

export interface WorkPoolOptions {
  /** Worker threads (0: run tasks inline). */
  size: number;
  /** Hard time limit of one task, from when a worker starts it. */
  timeoutMs: number;
  /** Tasks that may wait for a worker before new ones are refused (`WorkBusy`). */
  maxQueued?: number;
}

interface Task {
  id: number;
  request: WorkRequest;
  resolve: (answer: unknown) => void;
  reject: (error: Error) => void;
  /** Drops the task from the queue when its caller's signal aborts; removed once a worker starts it. */
  abandon: (() => void) | null;
  signal: AbortSignal | null;
}

interface Slot {
  worker: Worker;
  /** Whether the worker has loaded and takes tasks (one replaced after a timeout takes a while to start). */
  ready: boolean;
  task: Task | null;
  timer: ReturnType<typeof setTimeout> | null;
}

type Answer = { id: number; ok: true; answer: unknown } | { id: number; ok: false; message: string } | { ready: true };

export class WorkPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  /** Tasks stopped at the time limit (a metric for operators and tests). */
  timeouts = 0;
  /** Tasks dropped unrun because their caller gave up first (see `run`). */
  abandoned = 0;

  /** The workers start on first use: a server that only evaluates never pays for them. */
  constructor(private readonly options: WorkPoolOptions) {}

  get size(): number {
    return this.options.size;
  }

  /**
   * Runs a task. `signal`: the caller's; once it aborts, a task still waiting for a worker is dropped
   * and fails with `WorkAbandoned` (one a worker has started runs on, within the time limit).
   */
  run<K extends WorkRequest['kind']>(request: Extract<WorkRequest, { kind: K }>, signal?: AbortSignal): Promise<WorkAnswers[K]> {
    if (signal?.aborted === true) {
      this.abandoned++;
      return Promise.reject(new WorkAbandoned());
    }
    if (this.options.size === 0 || this.closed) {
      try {
        return Promise.resolve(runTask(request) as WorkAnswers[K]);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    if (this.slots.length === 0) for (let i = 0; i < this.options.size; i++) this.slots.push(this.spawn());
    const maxQueued = this.options.maxQueued ?? 64 * this.options.size;
    if (this.queue.length >= maxQueued) return Promise.reject(new WorkBusy(this.queue.length));
    return new Promise<WorkAnswers[K]>((resolve, reject) => {
      const task: Task = { id: this.nextId++, request, resolve: resolve as (answer: unknown) => void, reject, abandon: null, signal: signal ?? null };
      if (signal !== undefined) {
        task.abandon = () => {
          const at = this.queue.indexOf(task);
          if (at < 0) return;
          this.queue.splice(at, 1);
          this.abandoned++;
          reject(new WorkAbandoned());
        };
        signal.addEventListener('abort', task.abandon, { once: true });
      }
      this.queue.push(task);
      this.dispatch();
    });
  }

  /** Terminates the workers; tasks still waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error('the server is shutting down'));
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.timer !== null) clearTimeout(slot.timer);
        slot.task?.reject(new Error('the server is shutting down'));
        slot.task = null;
        await slot.worker.terminate();
      }),
    );
  }

  /** Hands waiting tasks to idle workers that have started (tasks wait while none has). */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.task !== null || !slot.ready) continue;
      const task = this.queue.shift()!;
      if (task.abandon !== null) task.signal!.removeEventListener('abort', task.abandon);
      slot.task = task;
      slot.timer = setTimeout(() => this.expire(slot, task), this.options.timeoutMs);
      slot.worker.postMessage({ id: task.id, request: task.request });
    }
  }

  private expire(slot: Slot, task: Task): void {
    if (slot.task !== task) return;
    this.timeouts++;
    task.reject(new WorkTimeout(this.options.timeoutMs));
    this.replace(slot);
  }

  /** A fresh worker in place of `slot`'s (stopped mid-task, or dead). */
  private replace(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    slot.task = null;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (index >= 0 && !this.closed) this.slots[index] = this.spawn();
    this.dispatch();
  }

  private spawn(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker, ready: false, task: null, timer: null };
    worker.on('message', (message: Answer) => {
      if ('ready' in message) {
        slot.ready = true;
        this.dispatch();
        return;
      }
      const task = slot.task;
      if (task === null || task.id !== message.id) return;
      if (slot.timer !== null) clearTimeout(slot.timer);
      slot.timer = null;
      slot.task = null;
      if (message.ok) task.resolve(message.answer);
      else task.reject(new Error(message.message));
      this.dispatch();
    });
    // a worker that dies (out of memory, a crash) fails its task and is replaced
    worker.on('error', (error) => {
      slot.task?.reject(error instanceof Error ? error : new Error(String(error)));
      this.replace(slot);
    });
    worker.on('exit', () => {
      if (this.closed || !this.slots.includes(slot)) return;
      slot.task?.reject(new Error('the worker stopped'));
      this.replace(slot);
    });
    worker.unref();
    return slot;
  }
}

/**
 * A worker running `worker.ts`. From TypeScript sources (tsx, vitest) the worker registers tsx's
 * loader before importing it; from a JavaScript build it imports `worker.js` beside this file.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const target = new URL('./worker.ts', here).href;
    const loader = tsxEsmApi();
    const code = `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); })`;
    return new Worker(code, { eval: true });
  }
  return new Worker(new URL('./worker.js', here));
}

/** The URL of tsx's ESM API (`tsx/esm/api`), found through its package.json (`import.meta.resolve` is not there under vitest). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
}
