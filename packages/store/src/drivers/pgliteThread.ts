import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { captureChanges } from '../db.ts';
import { MIGRATIONS_FOLDER } from '../migrations.ts';
import { createStore } from '../repository.ts';
import type { ChangeEvent, Store } from '../types.ts';
import type { PgliteWorkerData, PgliteWorkerMessage } from './pgliteWorker.ts';

/** The worker thread's default nice value: PGlite's statements yield the core to request handling. */
export const PGLITE_THREAD_NICE = 10;

/**
 * The worker running `pgliteWorker.ts`. From TypeScript sources (tsx, vitest) it registers tsx's
 * loader before importing it; from a JavaScript build it runs `pglite-worker.js` beside this
 * module (a build ships it as an entry of its own, see packages/cli/scripts/build.mjs).
 */
function startWorker(workerData: PgliteWorkerData): Worker {
  const here = import.meta.url;
  const options = { name: 'verdict-pglite', workerData };
  if (here.endsWith('.ts')) {
    const target = new URL('./pgliteWorker.ts', here).href;
    const code = `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); })`;
    return new Worker(code, { ...options, eval: true });
  }
  return new Worker(new URL('./pglite-worker.js', here), options);
}

/** The URL of tsx's ESM API (`tsx/esm/api`), found through its package.json (`import.meta.resolve` is not there under vitest). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
}

type WorkerMessage = PgliteWorkerMessage;

function nextMessage(worker: Worker): Promise<WorkerMessage> {
  return new Promise((resolvePromise, reject) => {
    const onMessage = (message: WorkerMessage): void => {
      cleanup();
      resolvePromise(message);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`the PGlite worker exited with code ${code}`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/**
 * PGlite on a worker thread, served by `@electric-sql/pglite-socket` on a private unix socket and
 * reached with `postgres`, so that its statements (a decision-log batch above all) run beside the
 * server's event loop instead of on it.
 *
 * Two properties of PGlite behind the socket shape this driver:
 * - it is one PostgreSQL session, and the socket server interleaves its connections' statements,
 *   so the pool is exactly one connection (transactions then run one after the other);
 * - a NOTIFY is not delivered to a LISTEN on another connection, so change events are emitted in
 *   process, once the transaction that queued them has committed (see `captureChanges`).
 */
export async function openPgliteThread(options: { dataDir?: string; memory?: boolean; sharedBuffers?: string; nice?: number }): Promise<Store> {
  // A directory only this user can enter: the socket has no authentication of its own.
  const socketDir = mkdtempSync(join(tmpdir(), 'verdict-pglite-'));
  const socketPath = join(socketDir, '.s.PGSQL.5432');
  const worker = startWorker({
    dataDir: options.memory ? null : resolve(options.dataDir ?? './.verdict'),
    sharedBuffers: options.sharedBuffers ?? '16MB',
    socketPath,
    nice: options.nice ?? PGLITE_THREAD_NICE,
  });
  const removeSocketDir = (): void => rmSync(socketDir, { recursive: true, force: true });
  let started: WorkerMessage;
  try {
    started = await nextMessage(worker);
  } catch (error) {
    removeSocketDir();
    throw error;
  }
  if (started.type !== 'ready') {
    await worker.terminate();
    removeSocketDir();
    throw new Error(`the PGlite worker failed to start: ${started.type === 'error' ? started.message : started.type}`);
  }

  const client = postgres({ path: socketPath, username: 'postgres', database: 'postgres', max: 1, connect_timeout: 5, onnotice: () => {} });
  const db = drizzle({ client });
  const listeners = new Set<(event: ChangeEvent) => void>();
  let closed = false;

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    listeners.clear();
    try {
      await client.end({ timeout: 5 });
      const stopped = nextMessage(worker).catch(() => undefined);
      worker.postMessage('close');
      await stopped;
    } finally {
      await worker.terminate();
      removeSocketDir();
    }
  }

  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await close();
    throw error;
  }

  const committed = (events: readonly ChangeEvent[]): void => {
    for (const event of events) {
      for (const listener of listeners) {
        // Off the caller's stack: a throwing listener must not fail the write that committed.
        queueMicrotask(() => listener(event));
      }
    }
  };

  return createStore(
    captureChanges(db, committed),
    {
      driver: 'pglite-thread',
      async listen(onChange) {
        // Each subscription is its own entry, so one callback may be subscribed twice.
        const entry = (event: ChangeEvent): void => onChange(event);
        listeners.add(entry);
        return async () => {
          listeners.delete(entry);
        };
      },
      async unsafeQuery(text, params) {
        const rows = await client.unsafe(text, (params ?? []) as postgres.ParameterOrJSON<never>[]);
        return [...rows] as Record<string, unknown>[];
      },
      close,
    },
  );
}
