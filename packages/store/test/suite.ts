// The Store behaviour suite, run once per driver (pglite.test.ts, postgres.test.ts).
// One store is shared by the tests of a run; each test uses its own ruleset names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidCursorError,
  NotFoundError,
  StaleParentError,
  sha256Hex,
  type ChangeEvent,
  type DecisionInput,
  type Store,
} from '../src/index.ts';

export interface Harness {
  name: string;
  /** Opens the store shared by the suite, on a fresh, empty database. */
  open(): Promise<Store>;
  /** Another Store on the same database, as a second process would open it (PostgreSQL only). */
  openPeer?: () => Promise<Store>;
  /** Called after the stores are closed. */
  cleanup?: () => Promise<void>;
}

const SLOW = 120_000;
let counter = 0;
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${(counter++).toString(36)}`;

function publishInput(ruleset: string, source: string, extra: { expectedParent?: number | null } = {}) {
  return { ruleset, source, hash: sha256Hex(source), author: 'ana', message: `publish ${source}`, ...extra };
}

/** Collects change events and lets a test wait for one (the timeout only guards against hangs). */
function eventRecorder() {
  const events: ChangeEvent[] = [];
  const waiters: { match: (e: ChangeEvent) => boolean; resolve: (e: ChangeEvent) => void }[] = [];
  return {
    events,
    onChange(event: ChangeEvent) {
      events.push(event);
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(event)) waiter.resolve(event);
        else waiters.push(waiter);
      }
    },
    next(match: (e: ChangeEvent) => boolean): Promise<ChangeEvent> {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching change event within 20s')), 20_000);
        waiters.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
  };
}

function decision(ruleset: string, i: number, extra: Partial<DecisionInput> = {}): DecisionInput {
  const deny = i % 3 === 0;
  return {
    id: unique(`d${i}`),
    ruleset,
    version: 1,
    channel: 'production',
    decision: deny ? 'deny' : 'allow',
    violations: deny
      ? [
          { rule: 'restricted_countries', severity: 'critical', message: `blocked ${i}` },
          { rule: 'too_large', severity: 'low' },
        ]
      : [],
    // Keys out of order, floats and non-ASCII text: the hash must survive the jsonb round trip.
    outputs: { z: 0.1 + 0.2, a: { y: [1, 2.5, 'é'], b: null }, premium: i * 1.28 },
    durationUs: 10 + i,
    input: { service: { id: `s${i}`, secret: '[redacted]' }, amount: i },
    ...extra,
  };
}

export function storeSuite(harness: Harness): void {
  describe(`store on ${harness.name}`, () => {
    let store: Store;
    const peers: Store[] = [];

    beforeAll(async () => {
      store = await harness.open();
    }, SLOW);

    afterAll(async () => {
      for (const peer of peers) await peer.close();
      await store?.close();
      await harness.cleanup?.();
    }, SLOW);

    async function peer(): Promise<Store> {
      if (!harness.openPeer) throw new Error('this driver has no peer stores');
      const opened = await harness.openPeer();
      peers.push(opened);
      return opened;
    }

    describe('versions', () => {
      it('numbers versions 1, 2, 3 and links each to its parent', async () => {
        const ruleset = unique('pub');
        const results = [];
        for (const source of ['a', 'b', 'c']) results.push(await store.publishVersion(publishInput(ruleset, source)));
        expect(results).toEqual([
          { version: 1, created: true },
          { version: 2, created: true },
          { version: 3, created: true },
        ]);
        const versions = await store.listVersions(ruleset);
        expect(versions.map((v) => [v.version, v.parentVersion])).toEqual([
          [3, 2],
          [2, 1],
          [1, null],
        ]);
        const v2 = await store.getVersion(ruleset, 2);
        expect(v2?.source).toBe('b');
        expect(v2?.hash).toBe(sha256Hex('b'));
        expect(v2?.message).toBe('publish b');
        expect((await store.latestVersion(ruleset))?.version).toBe(3);
        expect(await store.getVersion(ruleset, 4)).toBeNull();
        expect(await store.latestVersion(unique('none'))).toBeNull();
        const listed = (await store.listRulesets()).find((r) => r.name === ruleset);
        expect(listed?.latestVersion).toBe(3);
      });

      it('stores the compiled form and returns null when there is none', async () => {
        const ruleset = unique('compiled');
        await store.publishVersion({ ...publishInput(ruleset, 'x'), compiled: { rules: [{ name: 'r', w: 1.5 }] } });
        await store.publishVersion(publishInput(ruleset, 'y'));
        expect((await store.getVersion(ruleset, 1))?.compiled).toEqual({ rules: [{ name: 'r', w: 1.5 }] });
        expect((await store.getVersion(ruleset, 2))?.compiled).toBeNull();
      });

      it('returns the existing version when the same hash is published again', async () => {
        const ruleset = unique('idem');
        await store.publishVersion(publishInput(ruleset, 'a'));
        await store.publishVersion(publishInput(ruleset, 'b'));
        expect(await store.publishVersion(publishInput(ruleset, 'a'))).toEqual({ version: 1, created: false });
        expect(await store.publishVersion(publishInput(ruleset, 'b'))).toEqual({ version: 2, created: false });
        expect((await store.listVersions(ruleset)).length).toBe(2);
        const audits = await store.listAuditEvents({ ruleset, action: 'version.publish' });
        expect(audits.items.length).toBe(2);
      });

      it('rejects a publish whose expected parent is not the latest version', async () => {
        const ruleset = unique('stale');
        expect(await store.publishVersion(publishInput(ruleset, 'a', { expectedParent: null }))).toEqual({
          version: 1,
          created: true,
        });
        await store.publishVersion(publishInput(ruleset, 'b', { expectedParent: 1 }));
        const error = await store.publishVersion(publishInput(ruleset, 'c', { expectedParent: 1 })).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StaleParentError);
        expect(error).toMatchObject({ ruleset, expected: 1, actual: 2 });
        expect((await store.latestVersion(ruleset))?.version).toBe(2);
        expect(await store.publishVersion(publishInput(ruleset, 'c', { expectedParent: 2 }))).toEqual({
          version: 3,
          created: true,
        });
        const fresh = unique('stale_new');
        await expect(store.publishVersion(publishInput(fresh, 'a', { expectedParent: 1 }))).rejects.toBeInstanceOf(
          StaleParentError,
        );
      });

      it(
        'numbers 20 concurrent publishes 1..20 without gaps or duplicates',
        async () => {
          const ruleset = unique('concurrent');
          const results = await Promise.all(
            Array.from({ length: 20 }, (_, i) => store.publishVersion(publishInput(ruleset, `source ${i}`))),
          );
          expect(results.every((r) => r.created)).toBe(true);
          expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
          const versions = await store.listVersions(ruleset);
          expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
          for (const v of versions) expect(v.parentVersion).toBe(v.version === 1 ? null : v.version - 1);
        },
        SLOW,
      );

      it(
        'creates one version when the same source is published concurrently',
        async () => {
          const ruleset = unique('concurrent_same');
          const results = await Promise.all(
            Array.from({ length: 10 }, () => store.publishVersion(publishInput(ruleset, 'same'))),
          );
          expect(results.filter((r) => r.created).length).toBe(1);
          expect(new Set(results.map((r) => r.version))).toEqual(new Set([1]));
        },
        SLOW,
      );
    });

    describe('channels', () => {
      it('runs a change\'s guard under the lock with the state as it is; a guard that throws writes nothing', async () => {
        const ruleset = unique('chan_guard');
        await store.publishVersion(publishInput(ruleset, 'one'));
        await store.publishVersion(publishInput(ruleset, 'two'));
        await store.moveChannel(ruleset, 'production', 1, 'ana');
        await store.setChannelParams(ruleset, 'production', { limit: 5 }, 'ana');
        const seen: unknown[] = [];
        const moved = await store.moveChannel(ruleset, 'production', 2, 'ana', undefined, (current, next) => seen.push([current?.version, current?.params, next]));
        expect(seen).toEqual([[1, { limit: 5 }, { version: 2, params: { limit: 5 } }]]);
        const audits = (await store.listAuditEvents({ ruleset })).items.length;
        class Refused extends Error {}
        for (const attempt of [
          () => store.patchChannelParams(ruleset, 'production', { limit: 6 }, 'bob', undefined, (current) => { if (current?.version === 2) throw new Refused('moved'); }),
          () => store.setChannelParams(ruleset, 'production', {}, 'bob', undefined, () => { throw new Refused('no'); }),
          () => store.moveChannel(ruleset, 'production', 1, 'bob', undefined, (_current, next) => { if (next.params['limit'] === 5) throw new Refused('params'); }),
        ]) {
          await expect(attempt()).rejects.toBeInstanceOf(Refused);
        }
        expect(await store.getChannel(ruleset, 'production')).toEqual(moved);
        expect((await store.listAuditEvents({ ruleset })).items.length).toBe(audits);
      });

      it('moves, sets params and rolls back as new revisions with audit events', async () => {
        const ruleset = unique('chan');
        for (const source of ['one', 'two']) await store.publishVersion(publishInput(ruleset, source));
        expect(await store.getChannel(ruleset, 'production')).toBeNull();

        const r1 = await store.moveChannel(ruleset, 'production', 1, 'ana', 'first release');
        expect(r1).toMatchObject({ revision: 1, version: 1, params: {}, author: 'ana', reason: 'first release' });
        const r2 = await store.setChannelParams(ruleset, 'production', { max_value: 10, mode: 'B' }, 'bob');
        expect(r2).toMatchObject({ revision: 2, version: 1, params: { max_value: 10, mode: 'B' } });
        const r3 = await store.moveChannel(ruleset, 'production', 2, 'ana');
        expect(r3).toMatchObject({ revision: 3, version: 2, params: { max_value: 10, mode: 'B' } });
        const r4 = await store.setChannelParams(ruleset, 'production', { max_value: 20 }, 'bob');
        expect(r4).toMatchObject({ revision: 4, version: 2, params: { max_value: 20 } });

        const r5 = await store.rollbackChannel(ruleset, 'production', 2, 'carol');
        expect(r5).toMatchObject({ revision: 5, version: 1, params: { max_value: 10, mode: 'B' }, author: 'carol' });
        expect(r5.reason).toContain('revision 2');
        expect(await store.getChannel(ruleset, 'production')).toEqual(r5);

        const history = await store.channelHistory(ruleset, 'production');
        expect(history.map((h) => [h.revision, h.version])).toEqual([
          [5, 1],
          [4, 2],
          [3, 2],
          [2, 1],
          [1, 1],
        ]);

        const audits = (await store.listAuditEvents({ ruleset })).items;
        expect(audits.map((a) => a.action)).toEqual([
          'channel.rollback',
          'channel.params',
          'channel.move',
          'channel.params',
          'channel.move',
          'version.publish',
          'version.publish',
        ]);
        expect(audits[0]).toMatchObject({
          actor: 'carol',
          channel: 'production',
          detail: {
            old: { revision: 4, version: 2, params: { max_value: 20 } },
            new: { revision: 5, version: 1, params: { max_value: 10, mode: 'B' } },
          },
        });
        expect(audits[4]?.detail.old).toBeNull();

        await store.moveChannel(ruleset, 'staging', 2, 'ana');
        expect((await store.listChannels(ruleset)).map((c) => [c.channel, c.revision, c.version])).toEqual([
          ['production', 5, 1],
          ['staging', 1, 2],
        ]);
      });

      it('patches params atomically, removing keys set to null', async () => {
        const ruleset = unique('chan_patch');
        await store.publishVersion(publishInput(ruleset, 'one'));
        await store.moveChannel(ruleset, 'production', 1, 'ana');
        await store.setChannelParams(ruleset, 'production', { keep: 1, drop: 2 }, 'ana');
        await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.patchChannelParams(ruleset, 'production', { [`k${i}`]: i }, 'ana')),
        );
        const patched = await store.patchChannelParams(ruleset, 'production', { drop: null, keep: 3 }, 'bob');
        expect(patched.revision).toBe(11);
        expect(patched.params).toEqual({ keep: 3, k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7 });
        await expect(store.patchChannelParams(ruleset, 'staging', { a: 1 }, 'ana')).rejects.toMatchObject({
          kind: 'channel',
        });
      });

      it('refuses unknown versions, channels and revisions without writing anything', async () => {
        const ruleset = unique('chan_err');
        await store.publishVersion(publishInput(ruleset, 'one'));
        await expect(store.moveChannel(ruleset, 'production', 2, 'ana')).rejects.toMatchObject({ kind: 'version' });
        await expect(store.moveChannel(unique('missing'), 'production', 1, 'ana')).rejects.toMatchObject({
          kind: 'ruleset',
        });
        await expect(store.setChannelParams(ruleset, 'production', { a: 1 }, 'ana')).rejects.toBeInstanceOf(NotFoundError);
        await store.moveChannel(ruleset, 'production', 1, 'ana');
        await expect(store.rollbackChannel(ruleset, 'production', 7, 'ana')).rejects.toMatchObject({ kind: 'revision' });
        expect((await store.channelHistory(ruleset, 'production')).length).toBe(1);
        const actions = (await store.listAuditEvents({ ruleset })).items.map((a) => a.action);
        expect(actions).toEqual(['channel.move', 'version.publish']);
      });
    });

    describe('decision log', () => {
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

      it(
        'keeps one chain when batches are appended concurrently',
        async () => {
          const ruleset = unique('chain_concurrent');
          const writers = harness.openPeer ? [store, await peer()] : [store];
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

    describe('audit', () => {
      it('records custom events and pages them newest first', async () => {
        const ruleset = unique('audit');
        for (const n of [1, 2, 3]) {
          await store.recordAudit({ actor: 'ops', action: 'custom.step', ruleset, detail: { new: { n } } });
        }
        const first = await store.listAuditEvents({ ruleset, limit: 2 });
        expect(first.items.map((e) => e.detail.new)).toEqual([{ n: 3 }, { n: 2 }]);
        const second = await store.listAuditEvents({ ruleset, limit: 2, cursor: first.nextCursor ?? '' });
        expect(second.items.map((e) => e.detail.new)).toEqual([{ n: 1 }]);
        expect(second.nextCursor).toBeNull();
      });
    });

    describe('api keys', () => {
      it('stores only the hash, finds active keys and revokes them', async () => {
        expect(await store.hasAnyAdminKey()).toBe(false);
        const reader = await store.createApiKey({ name: 'reader', scopes: ['read', 'evaluate'] });
        expect(await store.hasAnyAdminKey()).toBe(false);
        const admin = await store.createApiKey({ name: 'root', scopes: ['admin'], actor: 'setup' });
        expect(admin.key).toMatch(/^vd_[A-Za-z0-9_-]{40,}$/);
        expect(admin.key).not.toBe(reader.key);
        expect(await store.hasAnyAdminKey()).toBe(true);

        const stored = await store.unsafeQuery('select * from api_keys where id = $1', [admin.id]);
        expect(stored[0]?.['hash']).toBe(sha256Hex(admin.key));
        expect(JSON.stringify(await store.unsafeQuery('select * from api_keys'))).not.toContain(admin.key);

        expect(await store.findApiKey(reader.key)).toEqual({ id: reader.id, name: 'reader', scopes: ['read', 'evaluate'] });
        expect(await store.findApiKey(`${admin.key}x`)).toBeNull();
        expect(await store.findApiKey('not a key')).toBeNull();

        expect(await store.revokeApiKey(admin.id, 'setup')).toBe(true);
        expect(await store.revokeApiKey(admin.id)).toBe(false);
        expect(await store.findApiKey(admin.key)).toBeNull();
        expect(await store.hasAnyAdminKey()).toBe(false);
        const listed = await store.listApiKeys();
        expect(listed.find((k) => k.id === admin.id)?.revokedAt).toBeInstanceOf(Date);
        expect(listed.find((k) => k.id === reader.id)?.revokedAt).toBeNull();

        const actions = (await store.listAuditEvents({ limit: 1000 })).items
          .filter((e) => e.action.startsWith('api_key.'))
          .map((e) => e.action);
        expect(actions).toEqual(['api_key.revoke', 'api_key.create', 'api_key.create']);
        // @ts-expect-error unknown scopes are refused at runtime too
        await expect(store.createApiKey({ name: 'x', scopes: ['root'] })).rejects.toThrow(/scope/);
      });
    });

    describe('change notifications', () => {
      it('notifies listeners after commits, in order, and not after unsubscribing', async () => {
        const listener = harness.openPeer ? await peer() : store;
        const recorder = eventRecorder();
        const unsubscribe = await listener.listen(recorder.onChange);
        const control = eventRecorder();
        const unsubscribeControl = await listener.listen(control.onChange);

        const ruleset = unique('notify');
        await store.publishVersion(publishInput(ruleset, 'a'));
        await expect(store.publishVersion(publishInput(ruleset, 'b', { expectedParent: 7 }))).rejects.toBeInstanceOf(
          StaleParentError,
        );
        await store.moveChannel(ruleset, 'production', 1, 'ana');
        await store.setChannelParams(ruleset, 'production', { a: 1 }, 'ana');
        await recorder.next((e) => e.ruleset === ruleset && e.kind === 'params');
        expect(recorder.events.filter((e) => e.ruleset === ruleset)).toEqual([
          { kind: 'version', ruleset, version: 1 },
          { kind: 'channel', ruleset, channel: 'production', version: 1, revision: 1 },
          { kind: 'params', ruleset, channel: 'production', version: 1, revision: 2 },
        ]);

        await unsubscribe();
        await store.publishVersion(publishInput(ruleset, 'c'));
        await control.next((e) => e.ruleset === ruleset && e.kind === 'version' && e.version === 2);
        expect(recorder.events.filter((e) => e.ruleset === ruleset).length).toBe(3);
        await unsubscribeControl();
      }, SLOW);
    });
  });
}
