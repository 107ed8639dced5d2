// The work pool drops a task whose caller gave up (its signal aborted: the request's deadline passed
// and it was answered 504) while the task still waited for a worker: it never runs later, holding up
// the tasks behind it. A task a worker has started runs on (its time limit stops it).
import { afterAll, expect, it } from 'vitest';
import { WorkAbandoned, WorkPool } from '../src/work/pool.ts';
import type { WorkRequest } from '../src/work/tasks.ts';
import { evaluateVersion, sharedSource } from '../src/work/versions.ts';

const SLOW = 60_000;

const source = `ruleset t.pool

input { ys: list<number> }

decision deny > allow

rule deep {
  severity low
  deny when ys.all(a, ys.all(b, ys.all(c, ys.all(d, a + b + c + d >= 0))))
  because "deep"
}
`;

/** An evaluation of `inputs` inputs with lists of `n` numbers (n^4 steps each, no step limit to stop it). */
function evaluation(inputs: number, n: number): Extract<WorkRequest, { kind: 'evaluate' }> {
  const ys = Array.from({ length: n }, (_, i) => i);
  return {
    kind: 'evaluate',
    key: 't.pool@1#h',
    source: sharedSource(source),
    settings: { limits: { maxSteps: 1e12 }, sizes: {} },
    inputs: Array.from({ length: inputs }, () => ({ ys })),
    params: {},
    explain: false,
    batchMaxSteps: null,
  };
}

const pool = new WorkPool({ size: 1, timeoutMs: 2_000 });
afterAll(() => pool.close());

it('drops a queued task once its signal aborts: it fails at once with WorkAbandoned and never runs', async () => {
  const first = pool.run(evaluation(1, 3));
  // far past the time limit if it ran: a timeout would count, and the task after it would wait for it
  const controller = new AbortController();
  const hostile = pool.run(evaluation(1_000, 40), controller.signal);
  const after = pool.run(evaluation(1, 2));
  controller.abort(new Error('the request timed out'));
  await expect(hostile).rejects.toBeInstanceOf(WorkAbandoned);
  expect(pool.abandoned).toBe(1);
  expect(await first).toEqual([expect.objectContaining({ result: expect.objectContaining({ ok: true, decision: 'deny' }) })]);
  const started = performance.now();
  expect(await after).toEqual([expect.objectContaining({ result: expect.objectContaining({ ok: true }) })]);
  expect(performance.now() - started).toBeLessThan(1_500);
  expect(pool.timeouts).toBe(0);
}, SLOW);

it('refuses a task whose signal aborted already, and lets one a worker started run on', async () => {
  const aborted = AbortSignal.abort();
  await expect(pool.run(evaluation(1, 2), aborted)).rejects.toBeInstanceOf(WorkAbandoned);
  expect(pool.abandoned).toBe(2);
  const controller = new AbortController();
  const running = pool.run(evaluation(1, 12), controller.signal);
  // started once the (idle, ready) worker takes it: aborting now changes nothing
  await new Promise((next) => setTimeout(next, 5));
  controller.abort();
  expect(await running).toEqual([expect.objectContaining({ result: expect.objectContaining({ ok: true, decision: 'deny' }) })]);
  expect(pool.abandoned).toBe(2);
}, SLOW);

it("keeps a worker's compiled copy per version and evaluation limits (servers sharing a thread may differ in them)", () => {
  const generous = evaluateVersion(evaluation(1, 6));
  const strict = evaluateVersion({ ...evaluation(1, 6), settings: { limits: { maxSteps: 100 }, sizes: {} } });
  expect(generous).toEqual([expect.objectContaining({ result: expect.objectContaining({ ok: true, errors: [] }) })]);
  expect(strict).toEqual([expect.objectContaining({ result: expect.objectContaining({ ok: true, errors: [expect.objectContaining({ code: 'limit_exceeded' })] }) })]);
});
