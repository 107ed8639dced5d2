import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { clampLimit, decodeCursor, encodeCursor } from './cursor.ts';
import { advisoryXactLock, type Db } from './db.ts';
import { chainedBody, chainHash, GENESIS_HASH, sha256Hex } from './hash.ts';
import { decisionLog, decisionLogHead, violations } from './schema.ts';
import { UNSTORABLE_TEXT } from './text.ts';
import type {
  AppendOptions,
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
/**
 * Decisions per INSERT statement by default: each statement carries its rows as one JSON
 * parameter. Chaining and serialising a chunk runs on the server's thread in one piece, so a
 * chunk is kept small enough (about a millisecond) not to show in request latency.
 */
const INSERT_CHUNK = 100;

/**
 * Appends decisions (and their violations) in one transaction. Under the chain
 * lock it reads the last row_hash and links each new row to the one before it;
 * rows get seq in array order.
 *
 * The rows travel as one JSON array per statement (`jsonb_array_elements`),
 * not as drizzle's per-row, per-column bind parameters: on embedded PGlite,
 * which runs on the server's own thread, building and binding twelve
 * parameters per row cost several times more than the insert itself.
 *
 * With `skipExisting`, rows whose id is already logged are left out (counted in
 * `skipped`): a retry after an unclear failure, a journal replayed after a
 * crash, or a client shipping the same decision twice adds nothing twice.
 */
export async function appendDecisions(db: Db, given: DecisionInput[], options: AppendOptions = {}, chunkRows = INSERT_CHUNK): Promise<AppendResult> {
  if (given.length === 0) return { appended: 0, lastSeq: null, skipped: 0 };
  return db.transaction(async (tx) => {
    await advisoryXactLock(tx, CHAIN_LOCK);
    // Under the chain lock, so a row another writer is adding cannot slip in between the check and the insert.
    const rows = options.skipExisting === true ? await withoutLogged(tx, given) : given;
    if (rows.length === 0) return { appended: 0, lastSeq: null, skipped: given.length };
    const [last] = await tx
      .select({ rowHash: decisionLog.rowHash })
      .from(decisionLog)
      .orderBy(desc(decisionLog.seq))
      .limit(1);
    let prevHash = last?.rowHash ?? GENESIS_HASH;
    const now = new Date();
    let lastSeq: number | null = null;
    // Chunk by chunk, hashing included, so no single step holds the event loop long (the await on
    // each statement lets requests in between). Each chunk's
    // decisions and their violations go in one statement (the foreign key is checked at its end).
    for (let i = 0; i < rows.length; i += chunkRows) {
      const chunk = rows.slice(i, i + chunkRows);
      let built = chainChunk(chunk, prevHash, now, (row) => row);
      // PostgreSQL text and jsonb cannot hold U+0000 or a lone surrogate, which a JSON request may
      // carry (and a message may quote): such a chunk is rebuilt with them replaced, so what is
      // hashed is what is stored and one odd input cannot stall the log. (JSON.stringify writes
      // exactly those as \u escapes; a false alarm on an escaped backslash is harmless.)
      if (UNSTORABLE_ESCAPE.test(built.decisionsJson) || UNSTORABLE_ESCAPE.test(built.violationsJson)) built = chainChunk(chunk, prevHash, now, storable);
      const { decisionsJson, violationsJson } = built;
      prevHash = built.lastHash;
      const result = await tx.execute(sql`
        with inserted as (
          insert into decision_log (id, ruleset, version, channel, decision, violated_rules, outputs, duration_us, input, input_hash, prev_hash, row_hash, created_at)
          select r->>'id', r->>'ruleset', (r->>'version')::int, r->>'channel', r->>'decision', r->'violatedRules', r->'outputs',
                 (r->>'durationUs')::int, nullif(r->'input', 'null'::jsonb), r->>'inputHash', r->>'prevHash', r->>'rowHash', (r->>'createdAt')::timestamptz
          from jsonb_array_elements(${decisionsJson}::jsonb) with ordinality as t(r, n)
          order by n
          returning seq
        ), violated as (
          insert into violations (decision_id, ruleset, rule, severity, message, created_at)
          select r->>'decisionId', r->>'ruleset', r->>'rule', r->>'severity', r->>'message', (r->>'createdAt')::timestamptz
          from jsonb_array_elements(${violationsJson}::jsonb) with ordinality as t(r, n)
          order by n
        )
        select max(seq) as last_seq from inserted`);
      const seq = rowsOf<{ last_seq: string | number | null }>(result)[0]?.last_seq;
      if (seq === null || seq === undefined) throw new Error('decision log insert returned no seq');
      lastSeq = Math.max(lastSeq ?? 0, Number(seq));
      // PGlite answers a statement without a trip through the event loop (its await is a microtask),
      // so without this a large batch held the server's thread for every chunk in a row
      if (i + chunkRows < rows.length) await nextTurnOfEventLoop();
    }
    // the head moves with the rows, in their transaction (see decisionLogHead)
    const head = { seq: lastSeq!, rowHash: prevHash, updatedAt: now };
    await tx.insert(decisionLogHead).values({ id: 1, ...head }).onConflictDoUpdate({ target: decisionLogHead.id, set: head });
    return { appended: rows.length, lastSeq, skipped: given.length - rows.length };
  });
}

/** `rows` without those whose id is already in the log, nor a second row with the same id. */
async function withoutLogged(tx: Db, rows: DecisionInput[]): Promise<DecisionInput[]> {
  const logged = new Set<string>();
  for (let i = 0; i < rows.length; i += 1000) {
    const ids = rows.slice(i, i + 1000).map((row) => row.id);
    const found = await tx.select({ id: decisionLog.id }).from(decisionLog).where(inArray(decisionLog.id, ids));
    for (const { id } of found) logged.add(id);
  }
  return rows.filter((row) => (logged.has(row.id) ? false : (logged.add(row.id), true)));
}

/**
 * Links `rows` onto `prevHash` and serialises them (and their violations) for one insert
 * statement. Each row's JSON is the canonical text its hash covers, with its two hashes added:
 * the row is serialised once, for the hash and the database alike.
 */
function chainChunk(rows: DecisionInput[], prevHash: string, now: Date, clean: (row: DecisionInput) => DecisionInput): { decisionsJson: string; violationsJson: string; lastHash: string } {
  let decisionsJson = '[';
  const violationRows: ViolationRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = clean(rows[i]!);
    const createdAt = row.createdAt ?? now;
    const body = chainedBody({
      id: row.id,
      ruleset: row.ruleset,
      version: row.version,
      channel: row.channel ?? null,
      decision: row.decision,
      violatedRules: violatedRules(row.violations),
      outputs: row.outputs ?? {},
      durationUs: Math.round(row.durationUs),
      input: row.input ?? null,
      inputHash: row.inputHash ?? null,
      createdAt,
    });
    const rowHash = sha256Hex(prevHash + body);
    // the body is a JSON object: its closing brace gives way to the two hashes (hex, no escapes)
    decisionsJson += `${i === 0 ? '' : ','}${body.slice(0, -1)},"prevHash":"${prevHash}","rowHash":"${rowHash}"}`;
    prevHash = rowHash;
    if (row.violations.length > 0) {
      const at = createdAt.toISOString();
      for (const v of row.violations) violationRows.push({ decisionId: row.id, ruleset: row.ruleset, rule: v.rule, severity: v.severity, message: v.message ?? '', createdAt: at });
    }
  }
  return { decisionsJson: `${decisionsJson}]`, violationsJson: JSON.stringify(violationRows), lastHash: prevHash };
}

const NO_RULES: string[] = [];

/** The rules a decision violated, each once, in order. */
function violatedRules(violations: DecisionInput['violations']): string[] {
  if (violations.length === 0) return NO_RULES;
  if (violations.length === 1) return [violations[0]!.rule];
  return [...new Set(violations.map((v) => v.rule))];
}

interface ViolationRow {
  decisionId: string;
  ruleset: string;
  rule: string;
  severity: string;
  message: string;
  createdAt: string;
}

/** How JSON.stringify writes U+0000 and a lone surrogate (the only characters it escapes as `\u0000`, `\udXXX`). */
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/** A copy of `value` with U+0000 and lone surrogates in every string (keys included) replaced by U+FFFD. */
function storable<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSTORABLE_TEXT, '\uFFFD') as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => storable(item)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storable(v)])) as T;
}

/** `execute` answers an array (postgres-js) or `{ rows }` (PGlite). */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
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

/**
 * Walks the whole log in seq order, recomputing every row hash and link, and checks that it still
 * reaches its head (rows deleted from the end leave no broken link). The head is read first, so
 * rows appended while the walk runs are not mistaken for a problem.
 */
export async function verifyChain(db: Db): Promise<ChainVerification> {
  const [head] = await db.select().from(decisionLogHead).where(eq(decisionLogHead.id, 1));
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
      if (head !== undefined && row.seq === head.seq && row.rowHash !== head.rowHash) {
        return { ok: false, firstBrokenSeq: row.seq, reason: `the log's head records another row_hash for seq ${head.seq} (the end of the log was replaced)`, rows: count };
      }
      expectedPrev = row.rowHash;
      afterSeq = row.seq;
      count += 1;
    }
    if (page.length < VERIFY_PAGE) break;
  }
  if (head !== undefined && afterSeq < head.seq) {
    return { ok: false, firstBrokenSeq: head.seq, reason: `the log ends at seq ${afterSeq}, but its head records seq ${head.seq}: rows at the end were removed`, rows: count };
  }
  return { ok: true, rows: count };
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
