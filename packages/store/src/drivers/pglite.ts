import { mkdirSync } from 'node:fs';
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
export async function openPglite(options: { dataDir?: string; memory?: boolean }): Promise<Store> {
  let client: PGlite;
  if (options.memory) {
    client = await PGlite.create();
  } else {
    const dataDir = options.dataDir ?? './.verdict';
    mkdirSync(dataDir, { recursive: true });
    client = await PGlite.create(dataDir);
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
