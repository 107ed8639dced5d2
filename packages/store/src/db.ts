import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { ChangeEvent } from './types.ts';

/** A drizzle database or transaction of either driver; the repository is written against this. */
export type Db = PgDatabase<PgQueryResultHKT>;

/** PostgreSQL channel carrying ChangeEvent payloads (JSON). */
export const NOTIFY_CHANNEL = 'verdict_changes';

/** Queues a change notification; PostgreSQL delivers it when the transaction commits. */
export async function notifyChange(tx: Db, event: ChangeEvent): Promise<void> {
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
