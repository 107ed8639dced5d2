/**
 * The PGlite worker thread (driver `pglite-thread`): starts PGlite as the in-thread driver does
 * (same `shared_buffers`, same restart after initdb), serves it on a private unix socket with
 * `@electric-sql/pglite-socket`, and closes both when told. Started by `pgliteThread.ts`, from
 * TypeScript sources through tsx's loader and from a build as `pglite-worker.js` beside it.
 *
 * On Linux the thread lowers its own scheduling priority (`nice`): PGlite's statements then run
 * when the server's main thread has nothing to do, instead of taking turns with it for the core.
 */
import { existsSync, mkdirSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface PgliteWorkerData {
  /** null: in memory. */
  dataDir: string | null;
  sharedBuffers: string;
  socketPath: string;
  /** The thread's nice value (0: the main thread's priority). */
  nice: number;
}

export type PgliteWorkerMessage = { type: 'ready' } | { type: 'closed' } | { type: 'error'; message: string };

const port = parentPort;
if (port === null) throw new Error('pgliteWorker.ts runs as a worker thread');
const settings = workerData as PgliteWorkerData;

/** Sets this thread's nice value on Linux (`/proc/thread-self` names the thread; setpriority on a thread id affects that thread only). */
function lowerPriority(nice: number): void {
  if (nice === 0) return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // not Linux, or not allowed: the main thread's priority
  }
}

async function start(): Promise<void> {
  lowerPriority(settings.nice);
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${settings.sharedBuffers}`];
  let db: PGlite;
  if (settings.dataDir === null) db = await PGlite.create({ startParams });
  else {
    mkdirSync(settings.dataDir, { recursive: true });
    const fresh = !existsSync(join(settings.dataDir, 'PG_VERSION'));
    db = await PGlite.create(settings.dataDir, { startParams });
    if (fresh) {
      await db.close();
      db = await PGlite.create(settings.dataDir, { startParams });
    }
  }
  const server = new PGLiteSocketServer({ db, path: settings.socketPath, maxConnections: 1 });
  await server.start();
  port!.on('message', (message: unknown) => {
    if (message !== 'close') return;
    void (async () => {
      try {
        await server.stop();
      } finally {
        if (!db.closed) await db.close();
        port!.postMessage({ type: 'closed' } satisfies PgliteWorkerMessage);
      }
    })();
  });
  port!.postMessage({ type: 'ready' } satisfies PgliteWorkerMessage);
}

start().catch((error: unknown) => port.postMessage({ type: 'error', message: String((error instanceof Error && error.stack) || error) } satisfies PgliteWorkerMessage));
