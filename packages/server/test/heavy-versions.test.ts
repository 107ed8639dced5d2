// A heavy version (its source over VERDICT_INLINE_COMPILE_MAX_KB) is compiled and evaluated in the work
// pool; what a client gets must not tell: the same inputs against the same stored version, served by a
// server that compiles it inline and by one that holds it heavy (the limit at 0), give the same answers,
// the same decision-log rows and the same params answers.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, forEachDriver, SLOW, uniqueName, type TestApp, type TestResponse } from './harness.ts';

/** Both servers: a small step limit and batch budget, so an evaluation and a batch run out of steps. */
const SHARED = { maxSteps: 5_000, batchMaxSteps: 20_000 };

const source = (name: string) => `ruleset ${name}

input {
  amount: number where value > 0
  country: string
  secret: string sensitive
  ys: list<number>
}

decision deny > warn > allow

param limit: number = 100 where value > 0
param mode: "strict" | "lax" = "strict"

output doubled: number = amount * 2

rule too_large {
  severity high
  deny when amount > limit
  because "amount {amount} exceeds {limit}"
}

rule restricted {
  severity critical
  deny when country in ["KP", "IR"]
  because "country {country} is restricted"
}

rule lax_mode {
  severity low
  warn when mode == "lax"
  because "lax mode"
}

rule deep {
  severity low
  warn when ys.all(a, ys.all(b, ys.all(c, a + b + c >= 0)))
  because "every sum is positive"
}
`;

const small = { amount: 50, country: 'FR', secret: 'hunter2', ys: [1, 2] };
const large = { amount: 500, country: 'IR', secret: 'hunter2', ys: [3] };
/** 20^3 iterations: past the 5,000 steps of one evaluation. */
const deep = { amount: 5, country: 'FR', secret: 's', ys: Array.from({ length: 20 }, (_, i) => i) };
/** About 1,000 steps each: a batch of them spends its 20,000. */
const costly = { amount: 5, country: 'FR', secret: 's', ys: Array.from({ length: 9 }, (_, i) => i) };
const invalid = { amount: -1, country: 3, secret: 's', ys: [] };

/** An answer without what differs between two evaluations of the same thing (ids, timings). */
function comparable(res: TestResponse): unknown {
  return { status: res.status, body: JSON.parse(res.text, (key, value: unknown) => (key === 'decision_id' || key === 'duration_us' || key === 'request_id' ? undefined : value)) };
}

/** The ids of the decisions an answer made (one, or a batch's). */
function decisionIds(res: TestResponse): string[] {
  if (res.status !== 200) return [];
  if (Array.isArray(res.body.results)) return res.body.results.filter((r: { decision_id?: string }) => r.decision_id !== undefined).map((r: { decision_id: string }) => r.decision_id);
  return [res.body.decision_id as string];
}

forEachDriver(
  'heavy versions',
  (ctx) => {
    const name = uniqueName('heavy');
    let heavy: TestApp;

    beforeAll(async () => {
      // the same store, a second server that holds every stored version heavy, evaluated in a real worker thread
      heavy = await buildApp(ctx.store, { ...SHARED, inlineCompileMaxBytes: 0, workThreads: 1 }, ctx.t.keys);
      await ctx.t.deploy(name, source(name));
      await ctx.t.move(name, 'staging', 1);
      const patched = await ctx.t.request('PATCH', `/v1/rulesets/${name}/channels/staging/params`, { key: 'publish', json: { params: { limit: 20, mode: 'lax' } } });
      expect(patched.status).toBe(200);
    }, SLOW);

    afterAll(async () => {
      await heavy.close();
      await heavy.services.work.close();
    });

    it('answers, logs and explains every evaluation as the same version compiled inline', async () => {
      const requests: Array<[string, Record<string, unknown>]> = [
        ['evaluate', { input: small }],
        ['evaluate', { input: large }],
        ['evaluate', { input: large, explain: true }],
        ['evaluate', { input: small, channel: 'staging', explain: true }],
        ['evaluate', { input: large, version: 1 }],
        ['evaluate', { input: invalid }],
        ['evaluate', { input: deep, explain: true }],
        ['evaluate/batch', { inputs: [small, invalid, large, deep] }],
        ['evaluate/batch', { inputs: [small, large], channel: 'staging', explain: true }],
        ['evaluate/batch', { inputs: Array.from({ length: 40 }, (_, i) => (i % 7 === 3 ? invalid : costly)) }],
      ];
      const ids: Array<[string, string]> = [];
      for (const [route, body] of requests) {
        const inline = await ctx.t.request('POST', `/v1/rulesets/${name}/${route}`, { key: 'evaluate', json: body });
        const held = await heavy.request('POST', `/v1/rulesets/${name}/${route}`, { key: 'evaluate', json: body });
        expect(comparable(held), `${route} ${JSON.stringify(body).slice(0, 120)}`).toEqual(comparable(inline));
        const a = decisionIds(inline);
        const b = decisionIds(held);
        expect(b).toHaveLength(a.length);
        a.forEach((id, i) => ids.push([id, b[i]!]));
      }
      // held heavy by one server (compiled in its worker), compiled inline by the other
      expect((await heavy.services.registry.version(name, 1)).compiled).toBeNull();
      expect((await ctx.t.services.registry.version(name, 1)).compiled).not.toBeNull();
      // the cases above did what they are there for
      const answers = await Promise.all(requests.map(([route, body]) => ctx.t.request('POST', `/v1/rulesets/${name}/${route}`, { key: 'evaluate', json: body })));
      expect(answers[5]!.status).toBe(422);
      expect(answers[6]!.body.errors).toEqual([expect.objectContaining({ rule: 'deep', code: 'limit_exceeded' })]);
      expect(answers[9]!.body.results.filter((r: { error?: { code: string } }) => r.error?.code === 'limit_exceeded').length).toBeGreaterThan(0);
      expect(answers[3]!.body.trace).not.toBeNull();

      // the decision log holds the same rows for both (the inputs redacted alike)
      await Promise.all([ctx.t.services.log.flush(), heavy.services.log.flush()]);
      const logged = await ctx.t.request('GET', `/v1/decisions?ruleset=${name}&limit=1000`, { key: 'read' });
      const rows = new Map<string, Record<string, unknown>>(logged.body.items.map((row: Record<string, unknown>) => [row['decision_id'], row]));
      const row = (id: string) => {
        const { seq: _seq, decision_id: _id, duration_us: _us, row_hash: _hash, created_at: _at, ...rest } = rows.get(id) ?? { missing: id };
        return rest;
      };
      expect(ids.length).toBeGreaterThan(10);
      for (const [a, b] of ids) expect(row(b)).toEqual(row(a));
    }, SLOW);

    it('reads, checks and changes params of a heavy version as of an inline one', async () => {
      await heavy.move(name, 'canary', 1);
      const reset = async () => expect((await ctx.t.request('POST', `/v1/rulesets/${name}/channels/canary/params/reset`, { key: 'publish', json: {} })).status).toBe(200);
      for (const params of [{ limit: -5 }, { nope: 1 }, { limit: 'x', mode: 'loose' }, { mode: 'lax' }]) {
        await reset();
        const held = await heavy.request('PATCH', `/v1/rulesets/${name}/channels/canary/params`, { key: 'publish', json: { params } });
        await reset();
        const inline = await ctx.t.request('PATCH', `/v1/rulesets/${name}/channels/canary/params`, { key: 'publish', json: { params } });
        expect({ status: held.status, body: strip(held.body) }, JSON.stringify(params)).toEqual({ status: inline.status, body: strip(inline.body) });
      }
      const read = [await heavy.request('GET', `/v1/rulesets/${name}/channels/canary/params`, { key: 'read' }), await ctx.t.request('GET', `/v1/rulesets/${name}/channels/canary/params`, { key: 'read' })];
      expect(strip(read[0]!.body)).toEqual(strip(read[1]!.body));
      expect(read[0]!.body).toMatchObject({ values: { mode: 'lax', limit: 100 } });
      const resets = [await heavy.request('POST', `/v1/rulesets/${name}/channels/canary/params/reset`, { key: 'publish', json: { names: ['mode'] } })];
      resets.push(await ctx.t.request('POST', `/v1/rulesets/${name}/channels/canary/params/reset`, { key: 'publish', json: { names: ['mode'] } }));
      expect(strip(resets[0]!.body)).toEqual(strip(resets[1]!.body));
    }, SLOW);

    it("refuses (409 channel_changed, nothing written) a heavy version's params change when the channel's overrides changed after they were checked", async () => {
      // a server whose view of the channel is stale: it reads the channel without the override another one made since
      const stale = new Proxy(ctx.store, {
        get(target, key, receiver) {
          if (key === 'getChannel') return async (...args: [string, string]) => ({ ...(await target.getChannel(...args)), params: {} });
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const behind = await buildApp(stale, { ...SHARED, inlineCompileMaxBytes: 0, workThreads: 0 }, ctx.t.keys);
      try {
        await ctx.t.move(name, 'race', 1);
        expect((await ctx.t.request('PATCH', `/v1/rulesets/${name}/channels/race/params`, { key: 'publish', json: { params: { limit: 50 } } })).status).toBe(200);
        const refused = await behind.request('PATCH', `/v1/rulesets/${name}/channels/race/params`, { key: 'publish', json: { params: { mode: 'lax' } } });
        expect(refused.status).toBe(409);
        expect(refused.body.error.code).toBe('channel_changed');
        const now = await ctx.t.request('GET', `/v1/rulesets/${name}/channels/race/params`, { key: 'read' });
        expect(now.body.overrides).toEqual({ limit: 50 });
      } finally {
        await behind.close();
      }
    }, SLOW);
  },
  { config: SHARED },
);

/** A params answer without its revision bookkeeping (the two servers make their own revisions). */
function strip(body: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(body), (key, value: unknown) => (['revision', 'updated_at', 'updated_by', 'request_id'].includes(key) ? undefined : value));
}
