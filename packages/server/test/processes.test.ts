// Issue 5 at the process level: real `verdict serve` processes, started the way a user starts them
// (the CLI, configured by environment). Two replicas on one PostgreSQL use each other's changes
// within 1 s; a graceful restart (SIGTERM / SIGINT) under load loses no answered decision.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresUnreachableReason } from '@verdict/store';
import { createDatabase, uniqueName } from './harness.ts';
import { call, delay, exitCode, runCli as runCliIn, startServerProcess as startServerProcessIn, stopOrKill, type Answer, type CliProcess, type Env, type ServerProcess } from './process-harness.ts';
import { input, policy } from './policies.ts';

const TEST_TIMEOUT = 120_000;
const BOUND_MS = 1000;
const pgUrl = process.env['DATABASE_URL'];
const pgRequired = process.env['VERDICT_REQUIRE_POSTGRES'] === '1';
const pgReason = await postgresUnreachableReason(pgUrl);


const processes: CliProcess[] = [];
const runCli = (name: string, args: string[], env: Env): CliProcess => runCliIn(name, args, env, processes);
const startServerProcess = (name: string, env: Env): Promise<ServerProcess> => startServerProcessIn(name, env, processes);
const cleanups: (() => unknown)[] = [];

beforeEach(({ onTestFailed }) => {
  processes.length = 0;
  onTestFailed(() => {
    for (const p of processes) console.error(`----- output of ${p.name} (exit ${p.child.exitCode ?? p.child.signalCode}) -----\n${p.output().slice(-20_000)}`);
  });
});

afterEach(async () => {
  await Promise.all(processes.map((p) => stopOrKill(p)));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

const newAdminKey = () => `vd_proc_${randomBytes(12).toString('hex')}`;
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const freshDatabase = async (): Promise<string> => createDatabase().then((db) => (cleanups.push(db.drop), db.url));

/** Like the harness's PostgreSQL variants: skipped without a reachable DATABASE_URL, failing instead with VERDICT_REQUIRE_POSTGRES=1. */
function describePostgres(title: string, body: () => void): void {
  if (pgReason === null && pgUrl) describe(`${title} [postgres]`, body);
  else if (pgRequired) describe(`${title} [postgres]`, () => it('needs a reachable PostgreSQL (VERDICT_REQUIRE_POSTGRES=1)', () => { throw new Error(pgReason ?? 'DATABASE_URL is not set'); }));
  else describe.skip(`${title} [postgres] (${pgReason ?? 'no DATABASE_URL'})`, () => it('skipped', () => {}));
}

/** Milliseconds from now until `probe` (polled every 25 ms) satisfies `ok`; gives up at 5x the bound (Infinity). */
async function msUntil(probe: () => Promise<Answer>, ok: (a: Answer) => boolean): Promise<number> {
  const since = performance.now();
  for (;;) {
    const answer = await probe();
    const elapsed = performance.now() - since;
    if (ok(answer)) return elapsed;
    if (elapsed > 5 * BOUND_MS) return Infinity;
    await delay(25);
  }
}

describePostgres('two server processes on one database', () => {
  it('each uses a publish, channel move and param patch made through the other within 1 s', async () => {
    const key = newAdminKey();
    const env = { DATABASE_URL: await freshDatabase(), VERDICT_ADMIN_KEY: key };
    const a = await startServerProcess('replica A', env);
    const b = await startServerProcess('replica B', env);
    const onA = (method: string, path: string, json?: unknown) => call(a.url, key, method, path, json);
    const onB = (method: string, path: string, json?: unknown) => call(b.url, key, method, path, json);
    const name = uniqueName('replica');
    const evaluate = (on: typeof onA, body: Record<string, unknown>) => on('POST', `/v1/rulesets/${name}/evaluate`, body);
    const expectWithinBound = async (change: string, made: Answer, probe: () => Promise<Answer>, ok: (a: Answer) => boolean) => {
      expect(made.status, `${change}: ${JSON.stringify(made.body)}`).toBeOneOf([200, 201]);
      const ms = await msUntil(probe, ok);
      console.log(`${change}: used by the other replica after ${ms.toFixed(0)} ms`);
      expect(ms, `${change}: the other replica used it after ${ms} ms`).toBeLessThan(BOUND_MS);
    };

    expect((await onA('POST', `/v1/rulesets/${name}/versions`, { source: policy(name, { limit: 100 }) })).status).toBe(201);
    expect((await onA('PUT', `/v1/rulesets/${name}/channels/production`, { version: 1 })).status).toBe(200);
    // B reads (and caches) the channel and its params
    expect((await evaluate(onB, { input: input(75) })).body).toMatchObject({ decision: 'allow', version: 1 });
    expect((await onB('GET', `/v1/rulesets/${name}/channels/production/params`)).body.values.limit).toBe(100);

    const published = await onA('POST', `/v1/rulesets/${name}/versions`, { source: policy(name, { limit: 50 }) });
    await expectWithinBound('publish of v2 on A', published, () => evaluate(onB, { version: 2, input: input(75) }), (r) => r.status === 200 && r.body.decision === 'deny');
    const moved = await onA('PUT', `/v1/rulesets/${name}/channels/production`, { version: 2 });
    await expectWithinBound('move of production to v2 on A', moved, () => evaluate(onB, { input: input(75) }), (r) => r.body.version === 2 && r.body.decision === 'deny');
    const patched = await onA('PATCH', `/v1/rulesets/${name}/channels/production/params`, { params: { limit: 10 } });
    await expectWithinBound('param patch limit=10 on A', patched, () => evaluate(onB, { input: input(20) }), (r) => r.body.decision === 'deny');
    expect((await onB('GET', `/v1/rulesets/${name}/channels/production/params`)).body.values.limit).toBe(10);

    const back = await onB('PATCH', `/v1/rulesets/${name}/channels/production/params`, { params: { limit: 30 } });
    await expectWithinBound('param patch limit=30 on B', back, () => evaluate(onA, { input: input(20) }), (r) => r.body.decision === 'allow');
  }, TEST_TIMEOUT);
});

/** Evaluates from `loops` concurrent loops until `stop()`; keeps every 200's decision_id. */
function evaluateContinuously(url: string, key: string, name: string, loops: number) {
  const answered: string[] = [];
  const statuses: Record<number, number> = {};
  let stopped = false;
  let inFlight = 0;
  let failures = 0;
  const loop = async (n: number) => {
    for (let i = 0; !stopped; i++) {
      inFlight++;
      try {
        const res = await call(url, key, 'POST', `/v1/rulesets/${name}/evaluate`, { input: input(((n * 997 + i) % 200) + 1) });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 200) answered.push(res.body.decision_id as string);
      } catch {
        failures++; // refused once the listener closed, or cut off when the process exited
        await delay(5);
      } finally {
        inFlight--;
      }
    }
  };
  const done = Promise.all(Array.from({ length: loops }, (_, n) => loop(n)));
  return { answered, statuses, inFlight: () => inFlight, failures: () => failures, stop: () => ((stopped = true), done) };
}

async function loggedDecisionIds(url: string, key: string, name: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: Answer = await call(url, key, 'GET', `/v1/decisions?ruleset=${encodeURIComponent(name)}&limit=1000${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    for (const item of page.body.items as { decision_id: string }[]) ids.add(item.decision_id);
    cursor = page.body.next_cursor as string | null;
  } while (cursor !== null);
  return ids;
}

async function expectGracefulRestartLosesNoDecision(signal: NodeJS.Signals, storeEnv: Env): Promise<void> {
  const name = uniqueName('restart');
  const rulesets = tempDir('verdict-rulesets-');
  writeFileSync(join(rulesets, 'restart.policy'), policy(name));
  const key = newAdminKey();
  const env = { ...storeEnv, VERDICT_ADMIN_KEY: key, VERDICT_RULESETS: rulesets };

  const first = await startServerProcess('first server', env);
  const load = evaluateContinuously(first.url, key, name, 8);
  void first.exited.then(() => load.stop());
  await delay(1500); // the load's duration, not an assertion
  const inFlightAtSignal = load.inFlight();
  const answeredAtSignal = load.answered.length;
  first.child.kill(signal);
  const code = await exitCode(first);
  await load.stop();
  console.log(`${signal}: ${load.answered.length} answered (${load.answered.length - answeredAtSignal} after the signal), statuses ${JSON.stringify(load.statuses)}, ${load.failures()} refused/cut`);
  expect(inFlightAtSignal, 'requests in flight when the signal was sent').toBeGreaterThan(0);
  expect(code, `exit code after ${signal}`).toBe(0);
  expect(answeredAtSignal).toBeGreaterThan(0);
  expect(Object.keys(load.statuses).filter((s) => Number(s) >= 500), 'no 5xx answers').toEqual([]);

  const second = await startServerProcess('restarted server', env);
  const logged = await loggedDecisionIds(second.url, key, name);
  const missing = load.answered.filter((id) => !logged.has(id));
  expect(missing, `${missing.length} of ${load.answered.length} decisions answered 200 are not in the decision log`).toEqual([]);
  second.child.kill('SIGTERM');
  expect(await exitCode(second), 'exit code of the restarted server').toBe(0);

  const audit = runCli('verdict audit verify', ['audit', 'verify'], env);
  expect(await exitCode(audit), audit.output()).toBe(0);
  expect(audit.output()).toMatch(/decision log intact: \d+ rows? verified/);
}

describe('graceful restart under load [pglite]', () => {
  it('SIGTERM: every decision answered 200 is in the log after a restart, and the chain is intact', async () => {
    await expectGracefulRestartLosesNoDecision('SIGTERM', { VERDICT_DATA_DIR: tempDir('verdict-data-') });
  }, TEST_TIMEOUT);

  it('SIGINT: every decision answered 200 is in the log after a restart, and the chain is intact', async () => {
    await expectGracefulRestartLosesNoDecision('SIGINT', { VERDICT_DATA_DIR: tempDir('verdict-data-') });
  }, TEST_TIMEOUT);
});

describePostgres('graceful restart under load', () => {
  it('SIGTERM: every decision answered 200 is in the log after a restart, and the chain is intact', async () => {
    await expectGracefulRestartLosesNoDecision('SIGTERM', { DATABASE_URL: await freshDatabase() });
  }, TEST_TIMEOUT);
});
