import { openPglite } from './drivers/pglite.ts';
import { openPgliteThread } from './drivers/pgliteThread.ts';
import { openPostgres } from './drivers/postgres.ts';
import type { Store } from './types.ts';

export interface OpenStoreOptions {
  /** PostgreSQL connection URL; when set, PostgreSQL is used through `postgres`. */
  url?: string;
  /** PGlite data directory (default `./.verdict`, relative to the working directory). */
  dataDir?: string;
  /** In-memory PGlite (nothing persisted); wins over dataDir. */
  memory?: boolean;
  /** PostgreSQL pool size (default 10). */
  maxConnections?: number;
  /**
   * Runs PGlite on a worker thread, reached over a private unix socket (driver `pglite-thread`),
   * so that its statements do not pause the caller's event loop. Ignored with `url`.
   */
  thread?: boolean;
  /** PGlite's `shared_buffers` (default `16MB`): its page cache, held in memory for the life of the process. */
  pgliteSharedBuffers?: string;
  /** With `thread`, the worker thread's nice value on Linux (default 10; 0 = the caller's priority): how readily PGlite yields the core to the caller's thread. */
  pgliteThreadNice?: number;
}

/**
 * Opens the store and applies pending migrations.
 *
 * @example
 * const store = await openStore({ url: process.env['DATABASE_URL'] }); // PGlite at ./.verdict when unset
 * const { version } = await store.publishVersion({ ruleset: 'acme.loans', source, hash, author: 'ana' });
 * await store.moveChannel('acme.loans', 'production', version, 'ana');
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  if (options.url) {
    return openPostgres(
      options.maxConnections === undefined ? { url: options.url } : { url: options.url, maxConnections: options.maxConnections },
    );
  }
  const pglite = {
    ...(options.memory ? { memory: true } : options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.pgliteSharedBuffers === undefined ? {} : { sharedBuffers: options.pgliteSharedBuffers }),
  };
  return options.thread ? openPgliteThread(options.pgliteThreadNice === undefined ? pglite : { ...pglite, nice: options.pgliteThreadNice }) : openPglite(pglite);
}
