// Issue 21 at the process level: real `verdict serve` processes (the CLI, configured by the
// environment) killed with SIGKILL under load on PGlite and on PostgreSQL, killed while PostgreSQL
// cannot be reached (a TCP proxy on loopback that this test cuts), and sent two SIGTERMs 1 ms
// apart. After a restart every decision a client got a 200 for is in the log, once, and
// `verdict audit verify` passes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresUnreachableReason } from '@verdict/store';
import { createDatabase, uniqueName } from './harness.ts';
import { call, delay, exitCode, runCli as runCliIn, startServerProcess as startServerProcessIn, until, type Answer, type CliProcess, type Env, type ServerProcess } from './process-harness.ts';
import { input, policy } from './policies.ts';

const TEST_TIMEOUT = 150_000;
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
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const freshDatabase = async (): Promise<string> => createDatabase().then((db) => (cleanups.push(db.drop), db.url));

function describePostgres(title: string, body: () => void): void {
  if (pgReason === null && pgUrl) describe(`${title} [postgres]`, body);
  else if (pgRequired) describe(`${title} [postgres]`, () => it('needs a reachable PostgreSQL (VERDICT_REQUIRE_POSTGRES=1)', () => { throw new Error(pgReason ?? 'DATABASE_URL is not set'); }));
  else describe.skip(`${title} [postgres] (${pgReason ?? 'no DATABASE_URL'})`, () => it('skipped', () => {}));
}

/** Evaluates from `loops` concurrent loops until `stop()`; keeps every 200's decision_id. */
function evaluateContinuously(url: string, key: string, name: string, loops: number) {
  const answered: string[] = [];
  const statuses: Record<number, number> = {};
  let stopped = false;
  let failures = 0;
  const loop = async (n: number) => {
    for (let i = 0; !stopped; i++) {
      try {
        const res = await call(url, key, 'POST', `/v1/rulesets/${name}/evaluate`, { input: input(((n * 997 + i) % 200) + 1) });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 200) answered.push(res.body.decision_id as string);
      } catch {
        failures++; // refused or cut off by the kill
        await delay(5);
      }
    }
  };
  const done = Promise.all(Array.from({ length: loops }, (_, n) => loop(n)));
  return { answered, statuses, failures: () => failures, stop: () => ((stopped = true), done) };
}

/** Decision ids in the log, each with how often it appears. */
async function loggedDecisionIds(url: string, key: string, name: string): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const page: Answer = await call(url, key, 'GET', `/v1/decisions?ruleset=${encodeURIComponent(name)}&limit=1000${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    for (const item of page.body.items as { decision_id: string }[]) ids.set(item.decision_id, (ids.get(item.decision_id) ?? 0) + 1);
    cursor = page.body.next_cursor as string | null;
  } while (cursor !== null);
  return ids;
}

/** A TCP proxy on loopback to PostgreSQL; `cut` drops every connection and refuses new ones until `restore`. */
async function postgresProxy(target: URL): Promise<{ url: (database: string) => string; cut: () => Promise<void>; restore: () => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let port = 0;
  let server: Server;
  const listen = () =>
    new Promise<void>((ready) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        sockets.add(client).add(upstream);
        const drop = () => (client.destroy(), upstream.destroy(), sockets.delete(client), sockets.delete(upstream));
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as { port: number }).port;
        ready();
      });
    });
  await listen();
  const stopListening = () => new Promise<void>((done) => server.close(() => done()));
  return {
    url: (database) => {
      const url = new URL(target.toString());
      url.hostname = '127.0.0.1';
      url.port = String(port);
      url.pathname = `/${database}`;
      return url.toString();
    },
    cut: async () => {
      const closed = stopListening();
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await closed;
    },
    restore: listen,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await stopListening();
    },
  };
}

/** Restarts on `env`, and checks every answered decision is logged exactly once and the chain verifies. */
async function expectAllAnsweredLogged(env: Env, key: string, name: string, answered: string[], restartSays?: RegExp): Promise<void> {
  const second = await startServerProcess('restarted server', env);
  if (restartSays !== undefined) expect(second.output()).toMatch(restartSays);
  const logged = await until('the replayed journal is written', 30_000, async () => {
    const ids = await loggedDecisionIds(second.url, key, name);
    return answered.every((id) => ids.has(id)) ? ids : undefined;
  }).catch(async () => loggedDecisionIds(second.url, key, name));
  const missing = answered.filter((id) => !logged.has(id));
  expect(missing, `${missing.length} of ${answered.length} decisions answered 200 are not in the decision log`).toEqual([]);
  expect([...logged.values()].filter((n) => n > 1), 'no decision logged twice').toEqual([]);
  second.child.kill('SIGTERM');
  expect(await exitCode(second), 'exit code of the restarted server').toBe(0);
  const audit = runCli('verdict audit verify', ['audit', 'verify'], env);
  expect(await exitCode(audit), audit.output()).toBe(0);
  expect(audit.output()).toMatch(/decision log intact: \d+ rows? verified/);
}

async function serveUnderLoad(env: Env, label: string) {
  const name = uniqueName(label);
  const rulesets = tempDir('verdict-rulesets-');
  writeFileSync(join(rulesets, 'crash.policy'), policy(name));
  const key = `vd_crash_${randomBytes(12).toString('hex')}`;
  const full = { ...env, VERDICT_ADMIN_KEY: key, VERDICT_RULESETS: rulesets };
  const server = await startServerProcess('first server', full);
  const load = evaluateContinuously(server.url, key, name, 8);
  void server.exited.then(() => load.stop());
  return { name, key, env: full, server, load };
}

async function expectKillUnderLoadLosesNothing(storeEnv: Env): Promise<void> {
  const { name, key, env, server, load } = await serveUnderLoad(storeEnv, 'kill9');
  await delay(1500); // the load's duration, not an assertion
  const answeredAtKill = load.answered.length;
  server.child.kill('SIGKILL');
  await server.exited;
  await load.stop();
  console.log(`kill -9: ${load.answered.length} answered (${answeredAtKill} when the signal was sent), statuses ${JSON.stringify(load.statuses)}`);
  expect(answeredAtKill).toBeGreaterThan(0);
  expect(Object.keys(load.statuses).filter((s) => Number(s) >= 500), 'no 5xx answers').toEqual([]);
  // written every 5 s (VERDICT_LOG_FLUSH_MS): the killed process had rows only its journal held
  await expectAllAnsweredLogged(env, key, name, load.answered, /replaying rows an earlier process did not write/);
}

describe('kill -9 under load [pglite]', () => {
  it('every decision answered 200 is in the log after a restart, once, and the chain is intact', async () => {
    await expectKillUnderLoadLosesNothing({ VERDICT_DATA_DIR: tempDir('verdict-data-'), VERDICT_LOG_FLUSH_MS: '5000' });
  }, TEST_TIMEOUT);
});

describePostgres('kill -9 under load', () => {
  it('every decision answered 200 is in the log after a restart, once, and the chain is intact', async () => {
    await expectKillUnderLoadLosesNothing({ DATABASE_URL: await freshDatabase(), VERDICT_DATA_DIR: tempDir('verdict-data-'), VERDICT_LOG_FLUSH_MS: '5000' });
  }, TEST_TIMEOUT);

  it('killed while PostgreSQL cannot be reached: every decision answered during the outage is logged after a restart', async () => {
    const database = new URL(await freshDatabase());
    const proxy = await postgresProxy(database);
    cleanups.push(proxy.close);
    const storeEnv = { DATABASE_URL: proxy.url(database.pathname.slice(1)), VERDICT_DATA_DIR: tempDir('verdict-data-') };
    const { name, key, env, server, load } = await serveUnderLoad(storeEnv, 'outage');
    // the channel and the key are cached once decisions are answered: evaluation needs no database from there
    await until('decisions answered before the outage', 30_000, () => (load.answered.length >= 20 ? true : undefined));
    const beforeOutage = load.answered.length;
    await proxy.cut();
    await delay(2500); // the outage, under load
    const duringOutage = load.answered.length - beforeOutage;
    const ready = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(5000) });
    server.child.kill('SIGKILL');
    await server.exited;
    await load.stop();
    console.log(`outage: ${beforeOutage} answered before it, ${duringOutage} during it (then kill -9); /readyz said ${ready.status}; statuses ${JSON.stringify(load.statuses)}`);
    expect(duringOutage, 'decisions answered while the database was away').toBeGreaterThan(0);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).not.toBeNull();
    expect(Object.keys(load.statuses).filter((s) => Number(s) >= 500), 'no 5xx answers').toEqual([]);
    expect(server.output()).toMatch(/decision log write failed; will retry/);
    await proxy.restore();
    await expectAllAnsweredLogged(env, key, name, load.answered, /replaying rows an earlier process did not write/);
  }, TEST_TIMEOUT);
});

describePostgres('signals during a drain that cannot finish', () => {
  it('a second signal keeps draining; a third exits at once with the unwritten decisions journalled, written on the next start', async () => {
    const database = new URL(await freshDatabase());
    const proxy = await postgresProxy(database);
    cleanups.push(proxy.close);
    // mode none: nothing is journalled while running, so what the next start writes was journalled at the exit
    const storeEnv = { DATABASE_URL: proxy.url(database.pathname.slice(1)), VERDICT_DATA_DIR: tempDir('verdict-data-'), VERDICT_LOG_DURABILITY: 'none' };
    const { name, key, env, server, load } = await serveUnderLoad(storeEnv, 'signals');
    await until('decisions answered', 30_000, () => (load.answered.length >= 20 ? true : undefined));
    await proxy.cut();
    await delay(300); // answered while the database is away: only in memory
    server.child.kill('SIGTERM');
    await delay(300);
    server.child.kill('SIGTERM');
    expect(await exitCode(server, 1500), 'still draining after the second signal').toBe('timeout');
    server.child.kill('SIGTERM');
    const code = await exitCode(server, 5000);
    await load.stop();
    console.log(`three signals: ${load.answered.length} answered, statuses ${JSON.stringify(load.statuses)}`);
    expect(code, 'exit code after the third signal').toBe(1);
    expect(server.output()).toMatch(/signal received again: still draining/);
    expect(server.output()).toMatch(/stopped by a third signal; they are in the journal/);
    expect(Object.keys(load.statuses).filter((s) => Number(s) >= 500), 'no 5xx answers').toEqual([]);
    await proxy.restore();
    await expectAllAnsweredLogged(env, key, name, load.answered, /replaying rows an earlier process did not write/);
  }, TEST_TIMEOUT);
});

describe('two SIGTERMs 1 ms apart [pglite]', () => {
  it('the second does not cut the drain short: exit 0, every answered decision logged, the chain intact', async () => {
    const { name, key, env, server, load } = await serveUnderLoad({ VERDICT_DATA_DIR: tempDir('verdict-data-'), VERDICT_LOG_DURABILITY: 'none' }, 'twosig');
    await delay(1500);
    server.child.kill('SIGTERM');
    await delay(1);
    server.child.kill('SIGTERM');
    const code = await exitCode(server);
    await load.stop();
    console.log(`two SIGTERMs: ${load.answered.length} answered, statuses ${JSON.stringify(load.statuses)}`);
    expect(code, 'exit code after two SIGTERMs').toBe(0);
    // (1 ms apart the kernel may deliver them as one: a pending signal is not queued twice)
    expect(server.output()).not.toMatch(/journalled|stopped without a full drain/);
    expect(Object.keys(load.statuses).filter((s) => Number(s) >= 500), 'no 5xx answers').toEqual([]);
    await expectAllAnsweredLogged(env, key, name, load.answered);
  }, TEST_TIMEOUT);
});
