import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { NOTIFY_CHANNEL, parseChangeEvent } from '../db.ts';
import { MIGRATIONS_FOLDER } from '../migrations.ts';
import { createStore } from '../repository.ts';
import type { Store } from '../types.ts';

/** Session advisory lock key held while migrating, so replicas starting together migrate once. */
const MIGRATION_LOCK = 'verdict:migrations';

async function migrateOnce(url: string): Promise<void> {
  // max: 1 keeps the lock, the migrator and the unlock on one connection.
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(hashtext(${MIGRATION_LOCK}))`;
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(hashtext(${MIGRATION_LOCK}))`;
  } finally {
    await client.end();
  }
}

/** PostgreSQL through postgres-js; several processes may share the database. */
export async function openPostgres(options: { url: string; maxConnections?: number }): Promise<Store> {
  await migrateOnce(options.url);
  // A short connect timeout (the driver's default is 30 s): an unreachable database should make a
  // request answer 503 quickly, not hold it until its deadline.
  const client = postgres(options.url, { max: options.maxConnections ?? 10, connect_timeout: 5, onnotice: () => {} });
  const db = drizzle({ client });

  return createStore(db, {
    driver: 'postgres',
    async listen(onChange, onReconnect) {
      // postgres-js keeps one dedicated connection for LISTEN and re-listens after reconnects;
      // `onlisten` runs at every (re)start of listening, the first time included.
      let started = false;
      const subscription = await client.listen(
        NOTIFY_CHANNEL,
        (payload) => {
          const event = parseChangeEvent(payload);
          // Off the driver's stack: a throwing listener must not break query processing.
          if (event) queueMicrotask(() => onChange(event));
        },
        () => {
          if (started && onReconnect !== undefined) queueMicrotask(onReconnect);
          started = true;
        },
      );
      return () => subscription.unlisten();
    },
    async unsafeQuery(text, params) {
      const rows = await client.unsafe(text, (params ?? []) as postgres.ParameterOrJSON<never>[]);
      return [...rows] as Record<string, unknown>[];
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  });
}
