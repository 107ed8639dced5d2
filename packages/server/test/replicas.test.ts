// Two server instances (each with its own registry, decision log and LISTEN
// connection) on one PostgreSQL database: a change made through one is used by
// the other within a second.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore, type Store } from '@verdict/store';
import type { ServerEvent } from '../src/events.ts';
import { buildApp, forEachDriver, SLOW, type TestApp, uniqueName } from './harness.ts';
import { input, policy } from './policies.ts';

const BOUND_MS = 1000;

/** Evaluates on `t` until `done` holds for the decision, for at most BOUND_MS; returns the elapsed time or null. */
async function within(t: TestApp, name: string, amount: number, done: (d: Record<string, unknown>) => boolean): Promise<number | null> {
  const started = performance.now();
  for (;;) {
    const res = await t.evaluate(name, { input: input(amount) });
    if (res.status === 200 && done(res.body as Record<string, unknown>)) return performance.now() - started;
    if (performance.now() - started > BOUND_MS) return null;
    await new Promise((r) => setTimeout(r, 10));
  }
}

forEachDriver(
  'replicas',
  (ctx) => {
    let b: TestApp;
    let storeB: Store;
    const seenOnB: ServerEvent[] = [];

    beforeAll(async () => {
      storeB = await openStore({ url: ctx.databaseUrl! });
      b = await buildApp(storeB, {}, ctx.t.keys);
      // an in-process stream of everything B announces, read as it is written
      const stream = b.services.events.open('replicas-test', { ruleset: null, types: null });
      if (typeof stream === 'string') throw new Error(`no stream: ${stream}`);
      stream.attach({
        buffered: () => 0,
        allowed: async () => true,
        write: (text) => {
          for (const frame of text.split('\n\n').filter((f) => f.startsWith('id: '))) {
            const type = /^event: (.*)$/m.exec(frame)![1] as ServerEvent['type'];
            seenOnB.push({ type, data: JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) as Record<string, unknown> });
          }
        },
        end: () => {},
      });
      expect((await b.request('GET', '/readyz', { key: null })).body.database).toBe('postgres');
    }, SLOW);

    afterAll(async () => {
      await b?.close();
      await storeB?.close();
    }, SLOW);

    it('uses a publish and channel move made on A for an evaluation on B within 1 s', async () => {
      const a = ctx.t;
      const name = uniqueName('rep');
      await a.deploy(name, policy(name, { limit: 100 }));
      // B reads (and caches) the channel
      expect((await b.evaluate(name, { input: input(75) })).body).toMatchObject({ decision: 'allow', version: 1 });
      await a.publish(name, policy(name, { limit: 50 }));
      await a.move(name, 'production', 2);
      const elapsed = await within(b, name, 75, (d) => d['version'] === 2 && d['decision'] === 'deny');
      expect(elapsed, 'B did not use version 2 within 1 s').not.toBeNull();
      // B announced A's move on its own event stream (from the notification)
      const movedOnB = () => seenOnB.filter((e) => e.type === 'channel_moved' && e.data['ruleset'] === name);
      // streams are written every FLUSH_INTERVAL_MS
      for (let i = 0; i < 50 && movedOnB().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      const moved = movedOnB();
      expect(moved.map((e) => e.data['version'])).toEqual([1, 2]);
    });

    it('uses a param patch made on A for an evaluation on B within 1 s, and a rollback', async () => {
      const a = ctx.t;
      const name = uniqueName('repp');
      await a.deploy(name, policy(name, { limit: 100 }));
      expect((await b.evaluate(name, { input: input(20) })).body.decision).toBe('allow');
      const patched = await a.request('PATCH', `/v1/rulesets/${name}/channels/production/params`, { key: 'publish', json: { params: { limit: 10 } } });
      expect(patched.status).toBe(200);
      expect(await within(b, name, 20, (d) => d['decision'] === 'deny'), 'B did not use limit 10 within 1 s').not.toBeNull();
      expect((await b.request('GET', `/v1/rulesets/${name}/channels/production/params`, { key: 'read' })).body.values.limit).toBe(10);

      const rolled = await a.request('POST', `/v1/rulesets/${name}/channels/production/rollback`, { key: 'publish', json: { revision: 1 } });
      expect(rolled.status).toBe(200);
      expect(await within(b, name, 20, (d) => d['decision'] === 'allow'), 'B did not see the rollback within 1 s').not.toBeNull();
    });

    it('patches on B after a move on A validate against the new version', async () => {
      const a = ctx.t;
      const name = uniqueName('repv');
      await a.deploy(name, policy(name));
      expect((await b.request('GET', `/v1/rulesets/${name}/channels/production/params`, { key: 'read' })).status).toBe(200);
      await a.publish(name, policy(name, { extra: 'param cap: number = 5\n' }));
      await a.move(name, 'production', 2);
      let status = 0;
      const started = performance.now();
      while (performance.now() - started < BOUND_MS) {
        status = (await b.request('PATCH', `/v1/rulesets/${name}/channels/production/params`, { key: 'publish', json: { params: { cap: 6 } } })).status;
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(status).toBe(200);
    });

    it(
      'keeps one valid hash chain when both write the decision log',
      async () => {
        const name = uniqueName('repl');
        await ctx.t.deploy(name, policy(name));
        const evaluations = [];
        for (let i = 0; i < 40; i++) evaluations.push((i % 2 === 0 ? ctx.t : b).evaluate(name, { input: input(i + 1) }));
        const ids = (await Promise.all(evaluations)).map((r) => r.body.decision_id as string);
        await Promise.all([ctx.t.services.log.flush(), b.services.log.flush()]);
        const logged = await ctx.store.queryDecisions({ ruleset: name, limit: 1000 });
        expect(logged.items.map((d) => d.id).sort()).toEqual([...ids].sort());
        expect(await ctx.store.verifyChain()).toMatchObject({ ok: true });
      },
      SLOW,
    );
  },
  { postgresOnly: true },
);
