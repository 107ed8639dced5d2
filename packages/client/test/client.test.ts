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

beforeAll(async () => {
  store = await openStore({ memory: true });
  const config = { ...configFromEnv({}), adminKey: ADMIN };
  const created = await createServices(config, { store, logger: pino({ level: 'silent' }) });
  services = created.services;
  await store.createApiKey({ name: 'admin', scopes: ['admin'], key: ADMIN });
  const { app } = createApp(services);
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
});
