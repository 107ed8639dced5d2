// The decision log part of the Store behaviour suite (suite.ts), run once per driver.
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidCursorError, sha256Hex, type Store } from '../src/index.ts';
import { decision, SLOW, unique } from './fixtures.ts';

/** The store under test and, on PostgreSQL, a way to open a second store on the same database (as another process would). */
export interface DecisionLogContext {
  store(): Store;
  peer: (() => Promise<Store>) | null;
}

export function decisionLogSuite(ctx: DecisionLogContext): void {
  describe('decision log', () => {
    let store: Store;
    // the suite's store is opened by its own beforeAll, which runs before this one
    beforeAll(() => {
      store = ctx.store();
    });

    it('lets the event loop run between the statements of a large batch', async () => {
      const ruleset = unique('turns');
      const rows = Array.from({ length: 300 }, (_, i) => decision(ruleset, i));
      let done = false;
      let turnsBeforeDone = 0;
      // counts event-loop turns (macrotasks) while the batch is being written
      const tick = (): void => {
        if (done) return;
        turnsBeforeDone++;
        setImmediate(tick);
      };
      setImmediate(tick);
      const result = await store.appendDecisions(rows);
      done = true;
      expect(result.appended).toBe(300);
      // at least one turn per statement boundary (chunks of 50 on PGlite, 100 on PostgreSQL)
      expect(turnsBeforeDone).toBeGreaterThanOrEqual(2);
    });

    it('appends a batch with violations and pages through it by cursor', async () => {
      const ruleset = unique('log');
      const rows = Array.from({ length: 25 }, (_, i) => decision(ruleset, i));
      const result = await store.appendDecisions(rows);
      expect(result.appended).toBe(25);

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.queryDecisions({ ruleset, limit: 10, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(rows.map((r) => r.id).reverse());

      const first = (await store.queryDecisions({ ruleset, limit: 1 })).items[0];
      expect(first?.seq).toBe(result.lastSeq);
      expect(first).toMatchObject({ id: rows[24]?.id, outputs: rows[24]?.outputs, input: rows[24]?.input });

      const denies = await store.queryDecisions({ ruleset, decision: 'deny' });
      expect(denies.items.length).toBe(rows.filter((r) => r.decision === 'deny').length);
      const byRule = await store.queryDecisions({ ruleset, rule: 'too_large' });
      expect(byRule.items.map((d) => d.id)).toEqual(denies.items.map((d) => d.id));
      expect(byRule.items[0]?.violatedRules).toEqual(['restricted_countries', 'too_large']);
      expect((await store.queryDecisions({ ruleset, rule: 'nope' })).items).toEqual([]);

      const violations = await store.queryViolations({ ruleset, rule: 'restricted_countries', limit: 3 });
      expect(violations.items.length).toBe(3);
      expect(violations.items[0]).toMatchObject({ severity: 'critical', resolved: false, message: 'blocked 24' });
      const rest = await store.queryViolations({ ruleset, rule: 'restricted_countries', cursor: violations.nextCursor ?? '' });
      expect(violations.items.length + rest.items.length).toBe(denies.items.length);

      const target = violations.items[0];
      if (!target) throw new Error('expected a violation');
      expect(await store.setViolationResolved(target.id, true)).toBe(true);
      const resolved = await store.queryViolations({ ruleset, resolved: true });
      expect(resolved.items.map((v) => v.id)).toEqual([target.id]);
      expect((await store.queryViolations({ decisionId: target.decisionId })).items.length).toBe(2);

      await expect(store.queryDecisions({ cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
      expect((await store.appendDecisions([])).appended).toBe(0);
    });

    it('writes a batch larger than one insert statement: seq in order, each violation on its decision, chain intact', async () => {
      const ruleset = unique('log_big');
      // 1,203 rows: several statements on either driver (PGlite writes 50 per statement, PostgreSQL 1,000)
      const rows = Array.from({ length: 1203 }, (_, i) => decision(ruleset, i, i === 1202 ? { input: null } : {}));
      const result = await store.appendDecisions(rows);
      expect(result.appended).toBe(1203);
      const logged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.queryDecisions({ ruleset, limit: 1000, ...(cursor ? { cursor } : {}) });
        logged.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(logged.reverse()).toEqual(rows.map((r) => r.id));
      expect((await store.queryDecisions({ ruleset, limit: 1 })).items[0]).toMatchObject({ seq: result.lastSeq, input: null });
      for (const i of [0, 48, 51, 999, 1002, 1200]) {
        const own = await store.queryViolations({ decisionId: rows[i]!.id });
        expect(own.items.map((v) => v.message).sort(), `row ${i}`).toEqual(i % 3 === 0 ? ['', `blocked ${i}`] : []);
      }
      expect(await store.verifyChain()).toMatchObject({ ok: true });
    });

    it('stores a decision whose input, outputs or message hold U+0000 (replaced), and the chain still verifies', async () => {
      const ruleset = unique('log_nul');
      const odd = decision(ruleset, 3, { input: { name: 'a\u0000b', ['k\u0000']: 1 }, outputs: { echo: '\u0000' } });
      odd.violations[0]!.message = 'blocked a\u0000b';
      await store.appendDecisions([decision(ruleset, 1), odd]);
      const [stored] = (await store.queryDecisions({ ruleset, limit: 1 })).items;
      expect(stored).toMatchObject({ id: odd.id, input: { name: 'a\uFFFDb', ['k\uFFFD']: 1 }, outputs: { echo: '\uFFFD' } });
      expect((await store.queryViolations({ decisionId: odd.id })).items.map((v) => v.message)).toContain('blocked a\uFFFDb');
      expect(await store.verifyChain()).toMatchObject({ ok: true });
    });

    it('stores a decision holding lone surrogates (replaced; pairs kept), and the chain still verifies', async () => {
      const ruleset = unique('log_surrogate');
      // JSON may carry "\ud800" on its own, which PostgreSQL text and jsonb refuse
      const odd = decision(ruleset, 3, { input: { name: 'a\ud800b', ['k\udc00']: '\ud83d\ude00 x\udbff' }, outputs: { echo: '\udfff\ud800' } });
      odd.violations[0]!.message = 'blocked \ud800 \ud83d\ude00';
      await store.appendDecisions([odd, decision(ruleset, 4)]);
      const stored = (await store.queryDecisions({ ruleset })).items.find((d) => d.id === odd.id);
      expect(stored).toMatchObject({ input: { name: 'a\uFFFDb', ['k\uFFFD']: '\ud83d\ude00 x\uFFFD' }, outputs: { echo: '\uFFFD\uFFFD' } });
      expect((await store.queryViolations({ decisionId: odd.id })).items.map((v) => v.message)).toContain('blocked \uFFFD \ud83d\ude00');
      expect((await store.queryDecisions({ ruleset })).items).toHaveLength(2);
      expect(await store.verifyChain()).toMatchObject({ ok: true });
    });

    it('filters decisions by time', async () => {
      const ruleset = unique('log_time');
      const base = Date.UTC(2030, 0, 1);
      await store.appendDecisions(
        [0, 1, 2, 3].map((day) => decision(ruleset, day, { createdAt: new Date(base + day * 86_400_000) })),
      );
      const page = await store.queryDecisions({
        ruleset,
        since: new Date(base + 86_400_000),
        until: new Date(base + 3 * 86_400_000),
      });
      expect(page.items.map((d) => d.createdAt.getTime())).toEqual([base + 2 * 86_400_000, base + 86_400_000]);
    });

    it('returns recent stored inputs for impact replay', async () => {
      const ruleset = unique('replay');
      await store.appendDecisions([
        decision(ruleset, 1),
        decision(ruleset, 2, { channel: 'staging' }),
        decision(ruleset, 3, { input: undefined, inputHash: sha256Hex('x') }),
        decision(ruleset, 4),
      ]);
      const inputs = await store.recentInputs(ruleset, 'production', 5);
      expect(inputs).toEqual([decision(ruleset, 4).input, decision(ruleset, 1).input]);
      expect(await store.recentInputs(ruleset, 'production', 1)).toEqual([decision(ruleset, 4).input]);
      expect((await store.recentInputs(ruleset, null, 10)).length).toBe(3);
    });

    it('verifies the hash chain and names the first tampered row', async () => {
      const ruleset = unique('chain');
      await store.appendDecisions(Array.from({ length: 6 }, (_, i) => decision(ruleset, i)));
      await store.appendDecisions([decision(ruleset, 6)]);
      const [{ total } = { total: 0 }] = await store.unsafeQuery('select count(*)::int as total from decision_log');
      expect(await store.verifyChain()).toEqual({ ok: true, rows: total });

      const rows = (await store.queryDecisions({ ruleset })).items;
      const victim = rows[3];
      if (!victim) throw new Error('expected rows');
      await store.unsafeQuery(`update decision_log set decision = 'allow', outputs = '{"premium": 0}' where seq = $1`, [
        victim.seq,
      ]);
      const broken = await store.verifyChain();
      expect(broken).toMatchObject({ ok: false, firstBrokenSeq: victim.seq });
      if (!broken.ok) expect(broken.reason).toContain('row_hash');

      // Restoring the content restores the chain: the hash covers exactly the content.
      await store.unsafeQuery(`update decision_log set decision = $1, outputs = $2::jsonb where seq = $3`, [
        victim.decision,
        JSON.stringify(victim.outputs),
        victim.seq,
      ]);
      expect(await store.verifyChain()).toEqual({ ok: true, rows: total });
    });

    it('detects a deleted row at the row after it', async () => {
      const ruleset = unique('chain_delete');
      await store.appendDecisions(Array.from({ length: 3 }, (_, i) => decision(ruleset, i * 3 + 1)));
      const rows = (await store.queryDecisions({ ruleset })).items; // newest first, no violations
      const [after, middle] = rows;
      if (!after || !middle) throw new Error('expected rows');
      const backup = unique('backup');
      await store.unsafeQuery(`create table ${backup} as select * from decision_log where seq = $1`, [middle.seq]);
      try {
        await store.unsafeQuery('delete from decision_log where seq = $1', [middle.seq]);
        const broken = await store.verifyChain();
        expect(broken).toMatchObject({ ok: false, firstBrokenSeq: after.seq });
        if (!broken.ok) expect(broken.reason).toContain('prev_hash');
      } finally {
        await store.unsafeQuery(`insert into decision_log select * from ${backup}`);
        await store.unsafeQuery(`drop table ${backup}`);
      }
      expect((await store.verifyChain()).ok).toBe(true);
    });

    it('detects rows deleted from the end of the log, which leave no broken link, by its head', async () => {
      const ruleset = unique('chain_tail');
      await store.appendDecisions(Array.from({ length: 3 }, (_, i) => decision(ruleset, i + 20)));
      const [newest, previous] = (await store.queryDecisions({ ruleset })).items;
      if (!newest || !previous) throw new Error('expected rows');
      const backup = unique('tail_backup');
      await store.unsafeQuery(`create table ${backup} as select * from decision_log where seq >= $1`, [newest.seq]);
      const violationsBackup = unique('tail_violations');
      await store.unsafeQuery(`create table ${violationsBackup} as select * from violations where decision_id = $1`, [newest.id]);
      try {
        await store.unsafeQuery('delete from violations where decision_id = $1', [newest.id]);
        await store.unsafeQuery('delete from decision_log where seq >= $1', [newest.seq]);
        const broken = await store.verifyChain();
        expect(broken).toMatchObject({ ok: false, firstBrokenSeq: newest.seq });
        if (!broken.ok) expect(broken.reason).toContain(`ends at seq ${previous.seq}`);
      } finally {
        await store.unsafeQuery(`insert into decision_log select * from ${backup}`);
        await store.unsafeQuery(`insert into violations select * from ${violationsBackup}`);
        await store.unsafeQuery(`drop table ${backup}`);
        await store.unsafeQuery(`drop table ${violationsBackup}`);
      }
      expect((await store.verifyChain()).ok).toBe(true);
      // the head moves with every append
      await store.appendDecisions([decision(ruleset, 30)]);
      const [head] = await store.unsafeQuery('select seq::int as seq from decision_log_head');
      const [last] = await store.unsafeQuery('select max(seq)::int as seq from decision_log');
      expect(head).toEqual(last);
    });

    it('with skipExisting, leaves out rows already logged and repeated ids, and the chain stays whole', async () => {
      const ruleset = unique('idempotent');
      const rows = Array.from({ length: 4 }, (_, i) => decision(ruleset, i));
      await store.appendDecisions(rows.slice(0, 2));
      // a replay of rows 0-3 after rows 0-1 were already committed, with row 2 given twice
      const result = await store.appendDecisions([...rows, rows[2]!], { skipExisting: true });
      expect(result).toMatchObject({ appended: 2, skipped: 3 });
      expect((await store.queryDecisions({ ruleset, limit: 10 })).items.map((d) => d.id).reverse()).toEqual(rows.map((r) => r.id));
      expect(await store.appendDecisions(rows, { skipExisting: true })).toEqual({ appended: 0, lastSeq: null, skipped: 4 });
      expect((await store.verifyChain()).ok).toBe(true);
      // without it, a repeated id is the database refusing the data (a unique violation)
      await expect(store.appendDecisions([rows[0]!])).rejects.toSatisfy((e: { cause?: { code?: string }; code?: string }) => (e.cause?.code ?? e.code) === '23505');
    });

    it(
      'keeps one chain when batches are appended concurrently',
      async () => {
        const ruleset = unique('chain_concurrent');
        const writers = ctx.peer ? [store, await ctx.peer()] : [store];
        await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            writers[i % writers.length]!.appendDecisions(
              Array.from({ length: 5 }, (_, j) => decision(ruleset, i * 5 + j)),
            ),
          ),
        );
        expect((await store.queryDecisions({ ruleset, limit: 1000 })).items.length).toBe(60);
        const [{ total } = { total: 0 }] = await store.unsafeQuery('select count(*)::int as total from decision_log');
        expect(await store.verifyChain()).toEqual({ ok: true, rows: total });
      },
      SLOW,
    );
  });
}
