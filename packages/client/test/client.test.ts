import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, createApp, createServices, type Services } from '@verdict/server';
import { openStore, type Store } from '@verdict/store';
import { createClient, VerdictApiError, type VerdictClient } from '../src/index.ts';

const source = `ruleset client.demo
input { amount: number where value >= 0 }
decision deny > allow
param limit: number = 100 where value > 0
rule over_limit {
  severity high
  deny when amount > limit
  because "amount {amount} is over {limit}"
}
`;

const ADMIN = 'client-test-admin-key-0123456789';
let store: Store;
let services: Services;
let stop: () => Promise<void>;
let client: VerdictClient;
let app: ReturnType<typeof createApp>['app'];

beforeAll(async () => {
  store = await openStore({ memory: true });
  const config = { ...configFromEnv({}), adminKey: ADMIN };
  const created = await createServices(config, { store, logger: pino({ level: 'silent' }) });
  services = created.services;
  await store.createApiKey({ name: 'admin', scopes: ['admin'], key: ADMIN });
  ({ app } = createApp(services));
  stop = async () => {
    await services.log.close();
    await created.unlisten();
    await store.close();
  };
  // The client talks to the app in-process through the fetch option.
  client = createClient({ baseUrl: 'http://verdict.test', key: ADMIN, fetch: (url, init) => Promise.resolve(app.request(url, init)) });
}, 120_000);

afterAll(async () => {
  await stop();
});

describe('@verdict/client', () => {
  it('publishes, moves a channel and evaluates with typed results', async () => {
    const published = await client.publish('client.demo', source, { message: 'first' });
    expect(published.version).toBe(1);
    await client.moveChannel('client.demo', 'production', 1);
    const decision = await client.evaluate('client.demo', { amount: 500 });
    expect(decision.decision).toBe('deny');
    expect(decision.violations[0]?.message).toBe('amount 500 is over 100');
    expect(decision.version).toBe(1);
  });

  it('changes params and sees the next decision use them', async () => {
    await client.patchParams('client.demo', 'production', { limit: 1000 });
    expect((await client.evaluate('client.demo', { amount: 500 })).decision).toBe('allow');
    const reset = await client.resetParams('client.demo', 'production');
    expect(reset.values['limit']).toBe(100);
  });

  it('returns one result per batch item, errors included', async () => {
    const results = await client.evaluateBatch('client.demo', [{ amount: 5 }, { amount: -1 }]);
    expect('decision' in results[0]! && results[0].decision).toBe('allow');
    expect('error' in results[1]! && results[1].error.code).toBe('invalid_input');
  });

  it('rejects with the structured API error', async () => {
    const failure = await client.evaluate('client.demo', { amount: 'x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(VerdictApiError);
    expect((failure as VerdictApiError).status).toBe(422);
    expect((failure as VerdictApiError).error.details.some((d) => d.path === 'amount')).toBe(true);
    const refused = await client.patchParams('client.demo', 'production', { limit: -5 }).catch((e: unknown) => e);
    expect((refused as VerdictApiError).error.code).toBe('invalid_params');
  });

  it('reads versions, diffs them, checks source and measures a candidate\'s impact on logged traffic', async () => {
    const stricter = source.replace('param limit: number = 100', 'param limit: number = 10');
    const v2 = await client.publish('client.demo', stricter, { message: 'stricter', expectedParent: 1 });
    expect(v2).toMatchObject({ version: 2, created: true, parent_version: 1 });
    expect((await client.versions('client.demo')).map((v) => v.version).sort()).toEqual([1, 2]);
    expect((await client.version('client.demo', 2)).source).toContain('= 10');
    expect(JSON.stringify(await client.diff('client.demo', 1, 2))).toContain('limit');
    expect(await client.check('ruleset client.demo\nrule r {')).toMatchObject({ ruleset: 'client.demo', errors: expect.any(Number) });
    await client.evaluate('client.demo', { amount: 50 }); // allowed at 100, denied at 10
    const impact = (await client.impact('client.demo', { version: 2 }, { limit: 50 })) as { impact: Record<string, { changed: number }> };
    expect(impact.impact['client.demo']!.changed).toBeGreaterThan(0);
  });

  it('moves, lists and rolls back channels, with their history and the audit trail', async () => {
    await client.moveChannel('client.demo', 'staging', 2, 'try the stricter one');
    expect((await client.channels('client.demo')).map((c) => c.channel).sort()).toEqual(['production', 'staging']);
    await client.moveChannel('client.demo', 'staging', 1);
    const history = await client.history('client.demo', 'staging');
    expect(history.map((h) => h.version)).toEqual([1, 2]);
    const back = await client.rollback('client.demo', 'staging', history[1]!.revision, 'back to 2');
    expect(back).toMatchObject({ version: 2, reason: 'back to 2' });
    expect((await client.channel('client.demo', 'staging')).version).toBe(2);
    const audit = await client.audit({ ruleset: 'client.demo', limit: 100 });
    expect(audit.items.length).toBeGreaterThan(3);
  });

  it('pages through the decision log and its violations', async () => {
    for (let i = 0; i < 5; i++) await client.evaluate('client.demo', { amount: 1000 + i });
    const first = await client.decisions({ ruleset: 'client.demo', decision: 'deny', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const all: string[] = [];
    for await (const d of client.allDecisions({ ruleset: 'client.demo', decision: 'deny', limit: 2 })) all.push(d.decision_id);
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(new Set(all).size).toBe(all.length);
    const violations = await client.violations({ ruleset: 'client.demo', rule: 'over_limit', decision_id: all[0]! });
    expect(violations.items).toMatchObject([{ decision_id: all[0], rule: 'over_limit' }]);
  });

  it('creates, lists and revokes API keys; a revoked key is refused', async () => {
    const created = await client.createKey('reader', ['read']);
    expect(created.key).toEqual(expect.any(String));
    expect((await client.keys()).some((k) => k.id === created.id && k.revoked_at === null)).toBe(true);
    const reader = createClient({ baseUrl: 'http://verdict.test', key: created.key, fetch: (url, init) => Promise.resolve(app.request(url, init)) });
    expect((await reader.versions('client.demo')).length).toBe(2);
    await client.revokeKey(created.id);
    expect((await client.keys()).find((k) => k.id === created.id)?.revoked_at).not.toBeNull();
    expect(((await reader.versions('client.demo').catch((e: unknown) => e)) as VerdictApiError).status).toBe(401);
  });
});

