import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { NOTIFY_CHANNEL, parseChangeEvent } from '../db.ts';
import { MIGRATIONS_FOLDER } from '../migrations.ts';
import { createStore } from '../repository.ts';
import type { Store } from '../types.ts';

/**
 * Embedded PostgreSQL (PGlite): file backed at `dataDir`, or in memory. One
 * process owns the data directory; PGlite runs one statement at a time and
 * serializes transactions, and its LISTEN/NOTIFY delivers this process's own changes.
 */
export async function openPglite(options: { dataDir?: string; memory?: boolean; sharedBuffers?: string }): Promise<Store> {
  // PostgreSQL's page cache lives in PGlite's WebAssembly memory, which never shrinks: its default
  // (128 MB) was most of the embedded server's idle RSS. 16 MB keeps the memory at its 128 MB floor.
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffers ?? '16MB'}`];
  let client: PGlite;
  if (options.memory) {
    client = await PGlite.create({ startParams });
  } else {
    const dataDir = options.dataDir ?? './.verdict';
    mkdirSync(dataDir, { recursive: true });
    const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
    client = await PGlite.create(dataDir, { startParams });
    if (fresh) {
      // The instance that ran initdb keeps what initdb unpacked (about 330 MB) until it is closed:
      // start again on the new data directory.
      await client.close();
      client = await PGlite.create(dataDir, { startParams });
    }
  }
  const db = drizzle({ client });
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await client.close();
    throw error;
  }

  return createStore(
    db,
    {
      driver: 'pglite',
      async listen(onChange) {
        const unlisten = await client.listen(NOTIFY_CHANNEL, (payload) => {
          const event = parseChangeEvent(payload);
          // Off the driver's stack: a throwing listener must not break query processing.
          if (event) queueMicrotask(() => onChange(event));
        });
        return async () => {
          if (!client.closed) await unlisten();
        };
      },
      async unsafeQuery(text, params) {
        const result = await client.query<Record<string, unknown>>(text, params);
        return result.rows;
      },
      async close() {
        if (!client.closed) await client.close();
      },
    },
    // PGlite runs each statement synchronously on the calling thread: small statements keep
    // every pause of the server's event loop short (about 2 ms) while a batch is written.
    { logChunkRows: 50 },
  );
}
