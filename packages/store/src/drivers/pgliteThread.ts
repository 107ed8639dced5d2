import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { captureChanges } from '../db.ts';
import { MIGRATIONS_FOLDER } from '../migrations.ts';
import { createStore } from '../repository.ts';
import type { ChangeEvent, Store } from '../types.ts';

/**
 * The worker's source, CommonJS evaluated by `new Worker(…, { eval: true })` so that it runs the
 * same from TypeScript sources (tsx, vitest) and from a build. It starts PGlite as the in-thread
 * driver does (same `shared_buffers`, same restart after initdb) and serves it on a unix socket.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { existsSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { PGlite } = require(workerData.pglite);
const { PGLiteSocketServer } = require(workerData.socket);
async function start() {
  const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=' + workerData.sharedBuffers];
  let db;
  if (workerData.dataDir === null) {
    db = await PGlite.create({ startParams });
  } else {
    mkdirSync(workerData.dataDir, { recursive: true });
    const fresh = !existsSync(join(workerData.dataDir, 'PG_VERSION'));
    db = await PGlite.create(workerData.dataDir, { startParams });
    if (fresh) { await db.close(); db = await PGlite.create(workerData.dataDir, { startParams }); }
  }
  const server = new PGLiteSocketServer({ db, path: workerData.socketPath, maxConnections: 1 });
  await server.start();
  parentPort.on('message', async (message) => {
    if (message !== 'close') return;
    try { await server.stop(); } finally { if (!db.closed) await db.close(); parentPort.postMessage({ type: 'closed' }); }
  });
  parentPort.postMessage({ type: 'ready' });
}
start().catch((error) => parentPort.postMessage({ type: 'error', message: String((error && error.stack) || error) }));
`;

/**
 * The files the worker requires, found from this module: the worker is not bundled, so a build
 * that bundles the store (the standalone CLI) must ship these packages beside it.
 */
function workerModules(): { pglite: string; socket: string } {
  const require = createRequire(import.meta.url);
  try {
    return { pglite: require.resolve('@electric-sql/pglite'), socket: require.resolve('@electric-sql/pglite-socket') };
  } catch (error) {
    throw new Error(
      `PGlite on a worker thread needs @electric-sql/pglite and @electric-sql/pglite-socket installed where @verdict/store can resolve them (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

type WorkerMessage = { type: 'ready' } | { type: 'closed' } | { type: 'error'; message: string };

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
export async function openPgliteThread(options: { dataDir?: string; memory?: boolean; sharedBuffers?: string }): Promise<Store> {
  const modules = workerModules();
  // A directory only this user can enter: the socket has no authentication of its own.
  const socketDir = mkdtempSync(join(tmpdir(), 'verdict-pglite-'));
  const socketPath = join(socketDir, '.s.PGSQL.5432');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    name: 'verdict-pglite',
    workerData: {
      ...modules,
      dataDir: options.memory ? null : resolve(options.dataDir ?? './.verdict'),
      sharedBuffers: options.sharedBuffers ?? '16MB',
      socketPath,
    },
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
