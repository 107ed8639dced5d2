import { describe, expect, it } from 'vitest';
import { Deadlines } from '../src/deadline.ts';
import { expectErrorShape, forEachDriver } from './harness.ts';

const late = () => new Error('late');
const never = () => new Promise<never>(() => {});
const after = <T>(ms: number, value: T) => new Promise<T>((done) => setTimeout(() => done(value), ms));

describe('request deadlines', () => {
  it('passes on what the work gives, value or error, and forgets it', async () => {
    const deadlines = new Deadlines(1_000, late);
    await expect(deadlines.run(() => after(5, 'ok'))).resolves.toBe('ok');
    await expect(deadlines.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(deadlines.run(() => { throw new Error('sync'); })).rejects.toThrow('sync');
    expect(deadlines.pending).toBe(0);
  });

  it('stops work past its deadline, and only that work', async () => {
    const deadlines = new Deadlines(60, late, 5);
    const started = performance.now();
    const stuck = deadlines.run(never);
    const quick = deadlines.run(() => after(10, 'quick'));
    const slowButInTime = deadlines.run(() => after(30, 'in time'));
    await expect(quick).resolves.toBe('quick');
    await expect(slowButInTime).resolves.toBe('in time');
    await expect(stuck).rejects.toThrow('late');
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(59);
    expect(deadlines.pending).toBe(0);
  });

  it('keeps deadlines apart for work started at different times', async () => {
    const deadlines = new Deadlines(50, late, 5);
    const first = deadlines.run(never);
    await after(30, null);
    const second = deadlines.run(never);
    const settled: string[] = [];
    first.catch(() => settled.push('first'));
    second.catch(() => settled.push('second'));
    await after(35, null);
    expect(settled).toEqual(['first']);
    await expect(second).rejects.toThrow('late');
    expect(settled).toEqual(['first', 'second']);
  });

  it("aborts the work's signal once its deadline passes (so a pool task still waiting is dropped), not before", async () => {
    const deadlines = new Deadlines(40, late, 5);
    const signals: AbortSignal[] = [];
    const stuck = deadlines.run((deadline) => {
      signals.push(deadline.signal);
      return never();
    });
    await deadlines.run((deadline) => {
      signals.push(deadline.signal);
      return after(5, null);
    });
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
    await expect(stuck).rejects.toThrow('late');
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    expect(signals[0]!.reason).toBeInstanceOf(Error);
  });
});

forEachDriver(
  'request timeout over HTTP',
  (ctx) => {
    it('answers a request stuck in the store with a structured 504, and the next request normally', async () => {
      const store = ctx.t.store;
      const listRulesets = store.listRulesets;
      store.listRulesets = () => never();
      let res: Response;
      try {
        res = await ctx.t.raw('GET', '/v1/rulesets');
      } finally {
        store.listRulesets = listRulesets;
      }
      expect(res.status).toBe(504);
      const body = (await res.json()) as { error: { code: string; request_id?: string } };
      expectErrorShape(body, 'GET /v1/rulesets');
      expect(body.error.code).toBe('timeout');
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect((await ctx.t.request('GET', '/v1/rulesets')).status).toBe(200);
    });
  },
  { config: { requestTimeoutMs: 100 } },
);
