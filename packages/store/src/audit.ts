import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { clampLimit, decodeCursor, encodeCursor } from './cursor.ts';
import type { Db } from './db.ts';
import { auditEvents } from './schema.ts';
import type { AuditEvent, AuditInput, AuditQuery, Page } from './types.ts';

/** Inserts an audit event; call with the transaction of the change it describes. */
export async function recordAudit(db: Db, event: AuditInput): Promise<AuditEvent> {
  const [row] = await db
    .insert(auditEvents)
    .values({
      actor: event.actor,
      action: event.action,
      ruleset: event.ruleset ?? null,
      channel: event.channel ?? null,
      detail: event.detail ?? {},
    })
    .returning();
  if (!row) throw new Error('audit insert returned no row');
  return row;
}

export async function listAuditEvents(db: Db, query: AuditQuery = {}): Promise<Page<AuditEvent>> {
  const limit = clampLimit(query.limit);
  const where: SQL[] = [];
  if (query.ruleset !== undefined) where.push(eq(auditEvents.ruleset, query.ruleset));
  if (query.action !== undefined) where.push(eq(auditEvents.action, query.action));
  if (query.cursor !== undefined) where.push(lt(auditEvents.id, decodeCursor(query.cursor)));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
