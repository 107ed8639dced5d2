// The server while its database is away, in one process: /readyz answers within 100 ms from the
// last probe even when the database hangs and evaluations keep coming; routes that need the
// database answer 503 with Retry-After, never 500; failed log writes back off and are logged one
// short line each, with counts and never the rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '@verdict/store';
import { createApp } from '../src/app.ts';
import { createServices } from '../src/serve.ts';
import type { Services } from '../src/services.ts';
import { createKeys, testConfig, uniqueName } from './harness.ts';
import { input, policy } from './policies.ts';

type Mode = 'up' | 'down' | 'hung';

let real: Store;
const dirs: string[] = [];
beforeAll(async () => {
  real = await openStore({ memory: true });
}, 60_000);
afterAll(async () => {
  await real.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `real`, with every call refused (down: ECONNREFUSED, as postgres-js reports it) or never answered (hung). */
function faulty(): { store: Store; mode: Mode } {
  const state = { mode: 'up' as Mode, store: undefined as unknown as Store };
  state.store = new Proxy(real, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close' || property === 'listen') return value;
      return (...args: unknown[]) => {
        if (state.mode === 'hung') return new Promise(() => {});
        if (state.mode === 'down') return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return state;
}

async function start(store: Store, lines: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-outage-'));
  dirs.push(dir);
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const config = testConfig({ logDurability: 'journal', journalDir: join(dir, 'journal') });
  const { services, unlisten } = await createServices(config, { store, logger, log: { intervalMs: 20, initialBackoffMs: 50, maxBackoffMs: 5000 }, health: { timeoutMs: 200, intervalMs: 100 } });
  const keys = await createKeys(store);
  const { app } = createApp(services);
  const call = async (method: string, path: string, json?: unknown, key = keys.admin) => {
    const res = await app.request(path, { method, headers: { authorization: `Bearer ${key}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) }, ...(json === undefined ? {} : { body: JSON.stringify(json) }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
  };
  const stop = async (s: Services) => {
    s.health.stop();
    await unlisten();
  };
  return { services, call, keys, stop: () => stop(services) };
}

/** Puts v1 on production and evaluates once the move's notification has come back, so the channel and the key are cached. */
async function deployAndWarm(server: Awaited<ReturnType<typeof start>>, name: string): Promise<void> {
  expect((await server.call('PUT', `/v1/rulesets/${name}/channels/production`, { version: 1 })).status).toBe(200);
  await new Promise((done) => setTimeout(done, 200));
  expect((await server.call('POST', `/v1/rulesets/${name}/evaluate`, { input: input(5) }, server.keys.evaluate)).status).toBe(200);
  await server.services.log.flush();
}

describe('outages', () => {
  it('/readyz answers within 100 ms while the database hangs and evaluations go on, then 503 with Retry-After', async () => {
    const db = faulty();
    const server = await start(db.store);
    const name = uniqueName('hung');
    expect((await server.call('POST', `/v1/rulesets/${name}/versions`, { source: policy(name) })).status).toBe(201);
    await deployAndWarm(server, name);
    expect((await server.call('GET', '/readyz')).status).toBe(200);

    db.mode = 'hung';
    let stopped = false;
    const statuses: number[] = [];
    const load = Promise.all(
      Array.from({ length: 4 }, async (_, n) => {
        for (let i = 0; !stopped; i++) {
          statuses.push((await server.call('POST', `/v1/rulesets/${name}/evaluate`, { input: input(((n * 31 + i) % 150) + 1) }, server.keys.evaluate)).status);
          // in process, a request without I/O is all microtasks: yield as a socket would, or no timer ever runs
          await new Promise((done) => setImmediate(done));
        }
      }),
    );
    const timings: number[] = [];
    const answers: Array<{ status: number; retryAfter: string | null }> = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const res = await server.call('GET', '/readyz');
      timings.push(performance.now() - started);
      answers.push({ status: res.status, retryAfter: res.headers.get('retry-after') });
      await new Promise((done) => setTimeout(done, 50));
    }
    stopped = true;
    await load;
    console.log(`/readyz while the database hangs: max ${Math.max(...timings).toFixed(1)} ms over ${timings.length}; ${statuses.length} evaluations meanwhile`);
    expect(Math.max(...timings)).toBeLessThan(100);
    // the probe's timeout is 200 ms: the last answers know the database is not answering
    expect(answers.slice(-5)).toEqual(Array.from({ length: 5 }, () => ({ status: 503, retryAfter: '5' })));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200), 'evaluations with a cached version answer (the journal keeps their rows)').toBe(true);
    await server.stop();
  });

  it('answers 503 database_unavailable with Retry-After (never 500) on routes that need a database that refuses connections', async () => {
    const db = faulty();
    const server = await start(db.store);
    const name = uniqueName('down');
    expect((await server.call('POST', `/v1/rulesets/${name}/versions`, { source: policy(name) })).status).toBe(201);
    db.mode = 'down';
    const paths: Array<[string, string, unknown?]> = [
      ['GET', `/v1/decisions?ruleset=${name}`],
      ['GET', '/v1/violations'],
      ['GET', `/v1/rulesets/${name}/versions`],
      ['POST', `/v1/rulesets/${name}/versions`, { source: policy(name, { limit: 7 }) }],
      ['GET', '/v1/audit'],
    ];
    for (const [method, path, json] of paths) {
      const res = await server.call(method, path, json);
      expect({ path, status: res.status, code: (res.body?.['error'] as { code?: string } | undefined)?.code, retryAfter: res.headers.get('retry-after') }).toEqual({ path, status: 503, code: 'database_unavailable', retryAfter: '5' });
    }
    db.mode = 'up';
    expect((await server.call('GET', `/v1/rulesets/${name}/versions`)).status).toBe(200);
    await server.stop();
  });

  it('logs one short line per failed log write, with counts and growing retry delays, never the decisions', async () => {
    const db = faulty();
    const lines: string[] = [];
    const server = await start(db.store, lines);
    const name = uniqueName('backoff');
    expect((await server.call('POST', `/v1/rulesets/${name}/versions`, { source: policy(name) })).status).toBe(201);
    await deployAndWarm(server, name);
    db.mode = 'down';
    for (let i = 0; i < 40; i++) {
      const res = await server.call('POST', `/v1/rulesets/${name}/evaluate`, { input: { ...input(i + 1), secret: `s3cret-${i}` } }, server.keys.evaluate);
      expect(res.status).toBe(200);
    }
    await new Promise((done) => setTimeout(done, 1200));
    const failures = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'decision log write failed; will retry');
    // 50, 100, 200, 400 ms (±20%) and the interval before the first: about 4-5 failures in 1.2 s, not one per request
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(failures.length).toBeLessThanOrEqual(7);
    expect(failures.map((f) => f['failures'])).toEqual(failures.map((_, i) => i + 1));
    // every decision answered is still pending, none lost or set aside
    expect(failures.at(-1)!['pending']).toBe(40);
    const delays = failures.map((f) => f['retry_in_ms'] as number);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]!);
    for (const line of lines.filter((l) => l.includes('decision log write failed'))) {
      expect(line.length).toBeLessThan(600);
      expect(line).not.toContain('s3cret');
    }
    db.mode = 'up';
    await server.services.log.close(5000);
    expect(lines.some((l) => l.includes('decision log writes succeed again'))).toBe(true);
    expect((await real.queryDecisions({ ruleset: name, limit: 100 })).items.length, 'the 40 and the one before the outage').toBe(41);
    await server.stop();
  });
});

