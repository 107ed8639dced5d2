// The server on PGlite on a worker thread (the default; VERDICT_PGLITE_THREAD=0 turns it off): requests are answered while the
// decision log's writes run on the worker, and every decision still reaches the hash-chained log.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore, type DecisionInput, type Store } from '@verdict/store';
import { configFromEnv } from '../src/config.ts';
import { buildApp, SLOW, uniqueName, type TestApp } from './harness.ts';
import { policy } from './policies.ts';

let store: Store;
let t: TestApp;
beforeAll(async () => {
  store = await openStore({ memory: true, thread: true });
  t = await buildApp(store);
}, SLOW);
afterAll(async () => {
  await t?.close();
  await store?.close();
}, SLOW);

function decisions(ruleset: string, n: number): DecisionInput[] {
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    ruleset,
    version: 1,
    channel: 'production',
    decision: i % 3 === 0 ? 'deny' : 'allow',
    violations: i % 3 === 0 ? [{ rule: 'too_large', severity: 'high', message: `amount ${i}` }] : [],
    outputs: { doubled: i * 2 },
    durationUs: 3,
    input: { amount: i, country: 'FR', text: 'x'.repeat(200) },
  }));
}

it('is the default, and VERDICT_PGLITE_THREAD=0 puts PGlite back on the server thread', () => {
  expect(configFromEnv({}).pgliteThread).toBe(true);
  expect(configFromEnv({ VERDICT_PGLITE_THREAD: '1' }).pgliteThread).toBe(true);
  expect(configFromEnv({ VERDICT_PGLITE_THREAD: 'false' }).pgliteThread).toBe(false);
  expect(configFromEnv({ VERDICT_PGLITE_THREAD: '0' }).pgliteThread).toBe(false);
  expect(configFromEnv({}).pgliteThreadNice).toBeUndefined();
  expect(configFromEnv({ VERDICT_PGLITE_NICE: '19' }).pgliteThreadNice).toBe(19);
  expect(() => configFromEnv({ VERDICT_PGLITE_NICE: '20' })).toThrow(/VERDICT_PGLITE_NICE must be a whole number from 0 to 19/);
  expect(() => configFromEnv({ VERDICT_PGLITE_THREAD: 'yes' })).toThrow(/VERDICT_PGLITE_THREAD must be one of/);
});

it('answers evaluations while a large decision-log batch is being written, and logs them after it', async () => {
  expect(store.driver).toBe('pglite-thread');
  const name = uniqueName('busy');
  await t.deploy(name, policy(name));
  // The key and the channel's version are read from the database once, then served from memory
  // (a read waits for the single connection the batch holds).
  expect((await t.evaluate(name, { input: { amount: 5, country: 'FR', secret: 's' } })).status).toBe(200);
  const batchSize = 5000;
  let batchDone = false;
  const batch = store.appendDecisions(decisions(name, batchSize)).then((result) => {
    batchDone = true;
    return result;
  });

  // Evaluations one after another until the batch is written (bounded).
  const answeredDuringBatch: string[] = [];
  for (let i = 0; i < 200 && !batchDone; i++) {
    const res = await t.evaluate(name, { input: { amount: 500, country: 'FR', secret: 's' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decision: 'deny', outputs: { doubled: 1000 } });
    if (!batchDone) answeredDuringBatch.push(res.body.decision_id as string);
  }
  expect((await batch).appended).toBe(batchSize);
  // several requests were answered before the batch's transaction committed
  expect(answeredDuringBatch.length).toBeGreaterThanOrEqual(3);

  // the decisions answered meanwhile reach the log once the batch is written, and the chain holds
  await t.services.log.flush();
  const logged = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await store.queryDecisions({ ruleset: name, limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    for (const item of page.items) logged.add(item.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  for (const id of answeredDuringBatch) expect(logged.has(id), id).toBe(true);
  expect(logged.size).toBeGreaterThanOrEqual(batchSize + answeredDuringBatch.length);
  expect((await store.verifyChain()).ok).toBe(true);
}, SLOW);
