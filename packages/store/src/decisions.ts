import { and, asc, desc, eq, gt, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { clampLimit, decodeCursor, encodeCursor } from './cursor.ts';
import { advisoryXactLock, type Db } from './db.ts';
import { chainHash, GENESIS_HASH } from './hash.ts';
import { decisionLog, violations } from './schema.ts';
import type {
  AppendResult,
  ChainVerification,
  DecisionInput,
  DecisionQuery,
  DecisionRecord,
  Json,
  Page,
  ViolationQuery,
  ViolationRecord,
} from './types.ts';

/** Every chain writer takes this lock, so two processes cannot both extend the same last row. */
const CHAIN_LOCK = 'verdict:decision_log:chain';
/** Rows per INSERT statement (PostgreSQL allows 65535 bind parameters). */
const INSERT_CHUNK = 1000;

/**
 * Appends decisions (and their violations) in one transaction. Under the chain
 * lock it reads the last row_hash and links each new row to the one before it;
 * rows get seq in array order.
 */
export async function appendDecisions(db: Db, rows: DecisionInput[]): Promise<AppendResult> {
  if (rows.length === 0) return { appended: 0, lastSeq: null };
  return db.transaction(async (tx) => {
    await advisoryXactLock(tx, CHAIN_LOCK);
    const [last] = await tx
      .select({ rowHash: decisionLog.rowHash })
      .from(decisionLog)
      .orderBy(desc(decisionLog.seq))
      .limit(1);
    let prevHash = last?.rowHash ?? GENESIS_HASH;
    const now = new Date();
    const values = rows.map((row) => {
      const content = {
        id: row.id,
        ruleset: row.ruleset,
        version: row.version,
        channel: row.channel ?? null,
        decision: row.decision,
        violatedRules: [...new Set(row.violations.map((v) => v.rule))],
        outputs: row.outputs ?? {},
        durationUs: Math.round(row.durationUs),
        input: row.input ?? null,
        inputHash: row.inputHash ?? null,
        createdAt: row.createdAt ?? now,
      };
      const rowHash = chainHash(prevHash, content);
      const value = { ...content, prevHash, rowHash };
      prevHash = rowHash;
      return value;
    });
    let lastSeq: number | null = null;
    for (let i = 0; i < values.length; i += INSERT_CHUNK) {
      const inserted = await tx
        .insert(decisionLog)
        .values(values.slice(i, i + INSERT_CHUNK))
        .returning({ seq: decisionLog.seq });
      for (const { seq } of inserted) lastSeq = lastSeq === null ? seq : Math.max(lastSeq, seq);
    }
    const violationRows = rows.flatMap((row, index) =>
      row.violations.map((v) => ({
        decisionId: row.id,
        ruleset: row.ruleset,
        rule: v.rule,
        severity: v.severity,
        message: v.message ?? '',
        createdAt: values[index]?.createdAt ?? now,
      })),
    );
    for (let i = 0; i < violationRows.length; i += INSERT_CHUNK) {
      await tx.insert(violations).values(violationRows.slice(i, i + INSERT_CHUNK));
    }
    return { appended: rows.length, lastSeq };
  });
}

export async function queryDecisions(db: Db, query: DecisionQuery = {}): Promise<Page<DecisionRecord>> {
  const limit = clampLimit(query.limit);
  const where: SQL[] = [];
  if (query.ruleset !== undefined) where.push(eq(decisionLog.ruleset, query.ruleset));
  if (query.channel !== undefined) where.push(eq(decisionLog.channel, query.channel));
  if (query.decision !== undefined) where.push(eq(decisionLog.decision, query.decision));
  if (query.rule !== undefined) where.push(sql`${decisionLog.violatedRules} @> ${JSON.stringify([query.rule])}::jsonb`);
  if (query.since !== undefined) where.push(gte(decisionLog.createdAt, query.since));
  if (query.until !== undefined) where.push(lt(decisionLog.createdAt, query.until));
  if (query.cursor !== undefined) where.push(lt(decisionLog.seq, decodeCursor(query.cursor)));
  const rows = await db
    .select()
    .from(decisionLog)
    .where(and(...where))
    .orderBy(desc(decisionLog.seq))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null };
}

export async function queryViolations(db: Db, query: ViolationQuery = {}): Promise<Page<ViolationRecord>> {
  const limit = clampLimit(query.limit);
  const where: SQL[] = [];
  if (query.ruleset !== undefined) where.push(eq(violations.ruleset, query.ruleset));
  if (query.rule !== undefined) where.push(eq(violations.rule, query.rule));
  if (query.severity !== undefined) where.push(eq(violations.severity, query.severity));
  if (query.resolved !== undefined) where.push(eq(violations.resolved, query.resolved));
  if (query.decisionId !== undefined) where.push(eq(violations.decisionId, query.decisionId));
  if (query.since !== undefined) where.push(gte(violations.createdAt, query.since));
  if (query.until !== undefined) where.push(lt(violations.createdAt, query.until));
  if (query.cursor !== undefined) where.push(lt(violations.id, decodeCursor(query.cursor)));
  const rows = await db
    .select()
    .from(violations)
    .where(and(...where))
    .orderBy(desc(violations.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

export async function setViolationResolved(db: Db, id: number, resolved: boolean): Promise<boolean> {
  const updated = await db.update(violations).set({ resolved }).where(eq(violations.id, id)).returning({ id: violations.id });
  return updated.length > 0;
}

const VERIFY_PAGE = 1000;

/** Walks the whole log in seq order, recomputing every row hash and link. */
export async function verifyChain(db: Db): Promise<ChainVerification> {
  let expectedPrev = GENESIS_HASH;
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const page = await db
      .select()
      .from(decisionLog)
      .where(gt(decisionLog.seq, afterSeq))
      .orderBy(asc(decisionLog.seq))
      .limit(VERIFY_PAGE);
    for (const row of page) {
      if (row.prevHash !== expectedPrev) {
        return {
          ok: false,
          firstBrokenSeq: row.seq,
          reason: 'prev_hash does not match the previous row (a row was removed, inserted or altered)',
          rows: count,
        };
      }
      if (chainHash(row.prevHash, row) !== row.rowHash) {
        return { ok: false, firstBrokenSeq: row.seq, reason: 'row content does not match its row_hash', rows: count };
      }
      expectedPrev = row.rowHash;
      afterSeq = row.seq;
      count += 1;
    }
    if (page.length < VERIFY_PAGE) return { ok: true, rows: count };
  }
}

/** `channel` null: decisions of any channel (and those evaluated by explicit version). */
export async function recentInputs(db: Db, ruleset: string, channel: string | null, n: number): Promise<Json[]> {
  const rows = await db
    .select({ input: decisionLog.input })
    .from(decisionLog)
    .where(
      and(
        eq(decisionLog.ruleset, ruleset),
        channel === null ? undefined : eq(decisionLog.channel, channel),
        isNotNull(decisionLog.input),
      ),
    )
    .orderBy(desc(decisionLog.seq))
    .limit(Math.max(0, Math.floor(n)));
  return rows.map((row) => row.input);
}
