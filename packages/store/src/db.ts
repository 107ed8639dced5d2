import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { ChangeEvent } from './types.ts';

/** A drizzle database or transaction of either driver; the repository is written against this. */
export type Db = PgDatabase<PgQueryResultHKT>;

/** PostgreSQL channel carrying ChangeEvent payloads (JSON). */
export const NOTIFY_CHANNEL = 'verdict_changes';

/** The change events queued by the transaction running in this async context (see `captureChanges`). */
const queuedChanges = new AsyncLocalStorage<ChangeEvent[]>();

/** Queues a change notification; PostgreSQL delivers it when the transaction commits. */
export async function notifyChange(tx: Db, event: ChangeEvent): Promise<void> {
  queuedChanges.getStore()?.push(event);
  await tx.execute(sql`select pg_notify(${NOTIFY_CHANNEL}, ${JSON.stringify(event)})`);
}

/** Transaction-scoped advisory lock, released at commit or rollback. */
export async function advisoryXactLock(tx: Db, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

export function parseChangeEvent(payload: string): ChangeEvent | null {
  try {
    const value: unknown = JSON.parse(payload);
    if (value === null || typeof value !== 'object') return null;
    const event = value as Partial<ChangeEvent>;
    if (event.kind !== 'version' && event.kind !== 'channel' && event.kind !== 'params') return null;
    if (typeof event.ruleset !== 'string') return null;
    return event as ChangeEvent;
  } catch {
    return null;
  }
}

/**
 * For a driver whose NOTIFY never reaches a listener (PGlite behind a socket is one session):
 * wraps `db` so that the change events a top-level transaction queued with `notifyChange` are
 * handed to `onCommitted` once it has committed, and dropped when it rolls back.
 */
export function captureChanges(db: Db, onCommitted: (events: readonly ChangeEvent[]) => void): Db {
  const transaction: Db['transaction'] = async (run, config) => {
    const queued: ChangeEvent[] = [];
    const result = await queuedChanges.run(queued, () => db.transaction(run, config));
    if (queued.length > 0) onCommitted(queued);
    return result;
  };
  return new Proxy(db, {
    get(target, property, receiver) {
      return property === 'transaction' ? transaction : Reflect.get(target, property, receiver);
    },
  });
}
