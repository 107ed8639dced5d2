// The embedded evaluator against a real server over HTTP (PGlite in memory): it fails closed
// before its first sync, decides as the server does, follows moves and param changes through
// the event stream, resumes after the server restarts, keeps its last good version on disk,
// and ships its decisions to the log once each, with sensitive values hidden.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, startServer, type RunningServer } from '@verdict/server';
import { openStore, type Store } from '@verdict/store';
import { connect, createClient, VerdictApiError, type EmbeddedConnection, type EmbeddedProblem, type VerdictClient } from '../src/index.ts';

const ADMIN = 'embedded-test-admin-key-0123456789';

const policy = (name: string, extra = '') => `ruleset ${name}
input {
  amount: number where value >= 0
  card: string sensitive
}
decision deny > allow
param limit: number = 100 where value > 0
rule over_limit {
  severity high
  deny when amount > limit
  because "amount {amount} on card {card} is over {limit}"
}
${extra}`;

let store: Store;
let server: RunningServer;
let admin: VerdictClient;
let port = 0;
const connections: EmbeddedConnection[] = [];

async function start(): Promise<void> {
  server = await startServer({ ...configFromEnv({}), port, host: '127.0.0.1', adminKey: ADMIN, logLevel: 'silent', shutdownDelayMs: 0 }, { store, handleSignals: false, logger: pino({ level: 'silent' }) });
  port = server.port;
}

function open(options: Partial<Parameters<typeof connect>[0]> = {}): EmbeddedConnection {
  const connection = connect({ url: `http://127.0.0.1:${port}`, key: ADMIN, pollIntervalMs: 60_000, ...options });
  connections.push(connection);
  return connection;
}

async function eventually(check: () => void, withinMs = 1000): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      check();
      return Date.now() - started;
    } catch (error) {
      if (Date.now() - started > withinMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

beforeAll(async () => {
  store = await openStore({ memory: true });
  await start();
  admin = createClient({ baseUrl: server.url, key: ADMIN });
}, 120_000);

afterAll(async () => {
  for (const c of connections) await c.close(1000);
  await server.close();
  await store.close();
});

describe('embedded evaluator', () => {
  it('fails closed with not_synced before its first sync, then decides as the server does', async () => {
    const verdict = open();
    const rs = verdict.ruleset('emb.first');
    expect(() => rs.evaluate({ amount: 1, card: 'x' })).toThrow(VerdictApiError);
    try {
      rs.evaluate({ amount: 1, card: 'x' });
    } catch (error) {
      expect((error as VerdictApiError).status).toBe(503);
      expect((error as VerdictApiError).error.code).toBe('not_synced');
    }
    await expect(rs.ready(300)).rejects.toMatchObject({ status: 503, error: { code: 'not_synced' } });

    await admin.publish('emb.first', policy('emb.first'));
    await admin.moveChannel('emb.first', 'production', 1);
    await rs.ready(5000);
    const local = rs.evaluate({ amount: 500, card: '4111-1111' });
    const remote = await admin.evaluate('emb.first', { amount: 500, card: '4111-1111' });
    const identity = (d: typeof local) => ({ ruleset: d.ruleset, version: d.version, channel: d.channel, hash: d.hash, decision: d.decision, compliant: d.compliant, score: d.score, violations: d.violations, outputs: d.outputs });
    expect(identity(local)).toEqual(identity(remote));
    expect(local.decision_id).not.toBe(remote.decision_id);
    // a refused input is the API's 422 with the failing path
    expect(() => rs.evaluate({ amount: -1, card: 'x' })).toThrow(expect.objectContaining({ status: 422 }) as Error);
  });

  it('follows a param patch, a publish and a channel move within a second', async () => {
    await admin.publish('emb.follow', policy('emb.follow'));
    await admin.moveChannel('emb.follow', 'production', 1);
    const rs = open().ruleset('emb.follow');
    await rs.ready(5000);
    expect(rs.evaluate({ amount: 150, card: 'c' }).decision).toBe('deny');

    await admin.patchParams('emb.follow', 'production', { limit: 1000 });
    const paramsMs = await eventually(() => expect(rs.evaluate({ amount: 150, card: 'c' }).decision).toBe('allow'));

    await admin.publish('emb.follow', policy('emb.follow', 'rule tiny {\n  severity low\n  deny when amount < 1\n  because "too small"\n}\n'));
    expect(rs.status().version).toBe(1); // a publish alone changes nothing on the channel
    await admin.moveChannel('emb.follow', 'production', 2);
    const moveMs = await eventually(() => expect(rs.evaluate({ amount: 0.5, card: 'c' })).toMatchObject({ version: 2, decision: 'deny' }));
    expect(paramsMs).toBeLessThan(1000);
    expect(moveMs).toBeLessThan(1000);
    expect(rs.status()).toMatchObject({ ready: true, version: 2, from: 'server', lastError: null });
  });

  it('ships each decision to the log once, with the sensitive value hidden, and the chain verifies', async () => {
    await admin.publish('emb.ship', policy('emb.ship'));
    await admin.moveChannel('emb.ship', 'production', 1);
    const verdict = open({ shipping: { batchSize: 7, intervalMs: 20 } });
    const rs = verdict.ruleset('emb.ship');
    await rs.ready(5000);
    const made = Array.from({ length: 30 }, (_, i) => rs.evaluate({ amount: 90 + i, card: 'SECRET-CARD-9' }));
    await verdict.flush();
    expect(verdict.shipping()).toMatchObject({ queued: 0, shipped: 30, dropped: 0, rejected: 0 });
    const logged = [];
    for await (const d of admin.allDecisions({ ruleset: 'emb.ship' })) logged.push(d);
    expect(logged.map((d) => d.decision_id).sort()).toEqual(made.map((d) => d.decision_id).sort());
    const denied = logged.find((d) => d.decision === 'deny')!;
    expect(denied).toMatchObject({ version: 1, channel: 'production', violated_rules: ['over_limit'] });
    expect(JSON.stringify(logged)).not.toContain('SECRET-CARD-9');
    expect(denied.input_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const messages = (await admin.violations({ ruleset: 'emb.ship' })).items.map((v) => v.message);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(message).toContain('[redacted]');

    // a retry of shipments the server already took adds nothing
    const again = await admin.shipDecisions(
      made.slice(0, 3).map((d) => ({ decision_id: d.decision_id, ruleset: d.ruleset, version: d.version, hash: d.hash, channel: d.channel, decision: d.decision, violations: [], outputs: {}, duration_us: 1, created_at: new Date().toISOString() })),
    );
    expect(again).toEqual({ appended: 0, duplicates: 3 });
    expect((await store.verifyChain()).ok).toBe(true);
  });

  it('counts the decisions it drops when the queue is full and the server is away, never silently', async () => {
    await admin.publish('emb.drop', policy('emb.drop'));
    await admin.moveChannel('emb.drop', 'production', 1);
    const problems: EmbeddedProblem[] = [];
    // a snapshot on disk, then a connection that reads it and whose shipping goes nowhere
    const dir = mkdtempSync(join(tmpdir(), 'verdict-embedded-'));
    const writer = open({ cacheDir: dir });
    await writer.ruleset('emb.drop').ready(5000);
    await writer.close();
    const offline = connect({ url: 'http://127.0.0.1:9', key: ADMIN, cacheDir: dir, shipping: { maxQueue: 5, intervalMs: 10 }, onProblem: (p) => problems.push(p) });
    connections.push(offline);
    const rs = offline.ruleset('emb.drop');
    await rs.ready(2000);
    for (let i = 0; i < 12; i++) rs.evaluate({ amount: i, card: 'c' });
    expect(offline.shipping()).toMatchObject({ queued: 5, dropped: 7 });
    await eventually(() => expect(problems.some((p) => p.kind === 'dropped' && p.decisions === 7)).toBe(true));
    const left = await offline.close(100);
    expect(left.unshipped).toBe(5);
    rmSync(dir, { recursive: true, force: true });
  });

  it('decides from its on-disk snapshot when restarted without the server, and resumes after the server restarts', async () => {
    await admin.publish('emb.restart', policy('emb.restart'));
    await admin.moveChannel('emb.restart', 'production', 1);
    await admin.patchParams('emb.restart', 'production', { limit: 50 });
    const dir = mkdtempSync(join(tmpdir(), 'verdict-embedded-'));
    try {
      const first = open({ cacheDir: dir });
      const rs = first.ruleset('emb.restart');
      await rs.ready(5000);
      await eventually(() => expect(rs.status().revision).not.toBeNull());
      expect(rs.evaluate({ amount: 60, card: 'c' }).decision).toBe('deny');
      await first.close();

      await server.close();
      // the service restarts while the server is down: the snapshot decides, with its params
      const restarted = open({ cacheDir: dir });
      const again = restarted.ruleset('emb.restart');
      await again.ready(2000);
      expect(again.status()).toMatchObject({ from: 'cache', version: 1 });
      expect(again.evaluate({ amount: 60, card: 'c' })).toMatchObject({ decision: 'deny', version: 1, channel: 'production' });

      // the server comes back on the same port; the stream reconnects and the change made meanwhile arrives
      await start();
      await eventually(() => expect(again.status().from).toBe('server'), 8000);
      await admin.patchParams('emb.restart', 'production', { limit: 500 });
      await eventually(() => expect(again.evaluate({ amount: 60, card: 'c' }).decision).toBe('allow'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
