// The auth matrix over every route of the route table, and the OpenAPI document / docs page that describe them.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { API_SCOPES, type ApiScope } from '@verdict/store';
import { forEachDriver, type TestApp } from './harness.ts';

const OPEN_ROUTES = ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /openapi.json', 'GET /docs'];

function concretePath(path: string): string {
  return path
    .replace('{name}', 't.auth_target')
    .replace('{channel}', 'production')
    .replace('{version}', '1')
    .replace('{id}', randomUUID());
}

/** The status of a request; streams (the event route) are cancelled once the head arrives. */
async function statusOf(t: TestApp, method: string, path: string, key: string | null): Promise<number> {
  const controller = new AbortController();
  const response = await t.raw(method.toUpperCase(), path, { key, ...(method === 'get' || method === 'delete' ? {} : { json: {} }) }, controller.signal);
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    await response.body?.cancel();
    controller.abort();
    return response.status;
  }
  const text = await response.text();
  expect(response.status, `${method} ${path}: ${text.slice(0, 200)}`).toBeLessThan(500);
  return response.status;
}

forEachDriver('auth matrix', (ctx) => {
  it('lists the routes the API promises', () => {
    const routes = ctx.t.api.list().map((r) => `${r.method.toUpperCase()} ${r.path}`);
    for (const r of [...OPEN_ROUTES, 'POST /v1/rulesets/{name}/evaluate', 'POST /v1/rulesets/{name}/versions', 'GET /v1/events', 'GET /v1/decisions', 'PATCH /v1/rulesets/{name}/channels/{channel}/params']) {
      expect(routes).toContain(r);
    }
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('answers open routes without a key', async () => {
    const open = ctx.t.api.list().filter((r) => r.scope === null);
    expect(open.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort()).toEqual([...OPEN_ROUTES].sort());
    for (const route of open) {
      const res = await ctx.t.request(route.method.toUpperCase(), route.path, { key: null });
      expect(res.status, `${route.method} ${route.path}`).toBe(200);
    }
  });

  it('refuses every scoped route without a key, with an unknown key and with a malformed header (401)', async () => {
    const scoped = ctx.t.api.list().filter((r) => r.scope !== null);
    expect(scoped.length).toBeGreaterThan(15);
    for (const route of scoped) {
      const path = concretePath(route.path);
      const method = route.method.toUpperCase();
      const none = await ctx.t.request(method, path, { key: null, ...(route.method === 'get' || route.method === 'delete' ? {} : { json: {} }) });
      expect(none.status, `${method} ${route.path} without a key`).toBe(401);
      expect(none.body.error.code).toBe('unauthorized');
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      const unknown = await ctx.t.request(method, path, { key: 'vd_not_a_real_key_0000000000', ...(route.method === 'get' || route.method === 'delete' ? {} : { json: {} }) });
      expect(unknown.status, `${method} ${route.path} with an unknown key`).toBe(401);
      const basic = await ctx.t.request(method, path, { key: null, headers: { authorization: `Basic ${ctx.t.keys.admin}` } });
      expect(basic.status, `${method} ${route.path} with a Basic header`).toBe(401);
    }
  });

  it('refuses a key lacking the route scope (403) and admits the scope and admin', async () => {
    // One key per scope holding every other non-admin scope: it lacks exactly that one.
    const lacking = new Map<ApiScope, string>();
    for (const scope of API_SCOPES) {
      const others = API_SCOPES.filter((s) => s !== scope && s !== 'admin');
      lacking.set(scope, (await ctx.store.createApiKey({ name: `lacks-${scope}`, scopes: others, actor: 'test' })).key);
    }
    const own: Record<ApiScope, string> = { admin: ctx.t.keys.admin, evaluate: ctx.t.keys.evaluate, read: ctx.t.keys.read, publish: ctx.t.keys.publish, log: ctx.t.keys.log };
    for (const route of ctx.t.api.list()) {
      if (route.scope === null) continue;
      const path = concretePath(route.path);
      const forbidden = await statusOf(ctx.t, route.method, path, lacking.get(route.scope)!);
      expect(forbidden, `${route.method} ${route.path} without scope ${route.scope}`).toBe(403);
      for (const key of [own[route.scope], ctx.t.keys.admin]) {
        const status = await statusOf(ctx.t, route.method, path, key);
        expect([401, 403], `${route.method} ${route.path} with scope ${route.scope}`).not.toContain(status);
      }
    }
  });

  it('creates, lists and revokes keys; a revoked key stops working at once on this server', async () => {
    const created = await ctx.t.request('POST', '/v1/keys', { json: { name: 'ci-reader', scopes: ['read'] } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^vd_/);
    const listed = await ctx.t.request('GET', '/v1/keys');
    const entry = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(entry).toMatchObject({ name: 'ci-reader', scopes: ['read'], revoked_at: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    expect((await ctx.t.request('GET', '/v1/rulesets', { key: created.body.key })).status).toBe(200);
    expect((await ctx.t.request('DELETE', `/v1/keys/${created.body.id}`)).status).toBe(204);
    expect((await ctx.t.request('GET', '/v1/rulesets', { key: created.body.key })).status).toBe(401);
    expect((await ctx.t.request('DELETE', `/v1/keys/${randomUUID()}`)).status).toBe(404);
  });

  it('stops a key revoked elsewhere (another replica) within a few seconds, re-checking it off the request path', async () => {
    const created = await ctx.store.createApiKey({ name: 'elsewhere', scopes: ['read'], actor: 'test' });
    expect((await ctx.t.request('GET', '/v1/rulesets', { key: created.key })).status).toBe(200);
    expect(await ctx.store.revokeApiKey(created.id, 'test')).toBe(true); // not through this app: its cache is not dropped
    const deadline = Date.now() + 6000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await ctx.t.request('GET', '/v1/rulesets', { key: created.key })).status;
    }
    expect(status).toBe(401);
  });

  it('refuses bad key requests: unknown scope, no scopes (400)', async () => {
    const bad = await ctx.t.request('POST', '/v1/keys', { json: { name: 'x', scopes: ['root'] } });
    expect(bad.status).toBe(400);
    const none = await ctx.t.request('POST', '/v1/keys', { json: { name: 'x', scopes: [] } });
    expect(none.status).toBe(400);
  });
});

forEachDriver('openapi', (ctx) => {
  it('serves an OpenAPI 3.1 document with every route of the table', async () => {
    const res = await ctx.t.request('GET', '/openapi.json', { key: null });
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, { operationId: string; security: unknown[]; 'x-verdict-scope'?: string; responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe('3.1.0');
    const routes = ctx.t.api.list();
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    const operationIds = new Set<string>();
    for (const route of routes) {
      const op = doc.paths[route.path]![route.method]!;
      expect(operationIds.has(op.operationId), op.operationId).toBe(false);
      operationIds.add(op.operationId);
      if (route.scope === null) expect(op.security).toEqual([]);
      else {
        expect(op['x-verdict-scope']).toBe(route.scope);
        expect(op.responses['401']).toBeDefined();
        expect(op.responses['403']).toBeDefined();
      }
      expect(Object.keys(op.responses).some((s) => s.startsWith('2'))).toBe(true);
    }
  });

  it('documents 503 on every route that can need the database and 504 on every /v1 route but the event stream', async () => {
    const res = await ctx.t.request('GET', '/openapi.json', { key: null });
    const doc = res.body as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>; components: { responses: Record<string, unknown> } };
    expect(doc.components.responses['Error503']).toBeDefined();
    expect(doc.components.responses['Error504']).toBeDefined();
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.values(methods).map((op) => ({ path, ...op })));
    const with503 = operations.filter((op) => op.responses['503'] !== undefined).map((op) => op.operationId);
    // every route behind a key (the key, and most of what they read, come from the database); /readyz declares its own 503
    const withKey = operations.filter((op) => op.responses['401'] !== undefined).map((op) => op.operationId);
    expect(withKey.length).toBeGreaterThan(20);
    expect(with503.sort()).toEqual([...withKey, 'ready'].sort());
    expect(doc.paths['/v1/rulesets/{name}/evaluate']!['post']!.responses['503']).toEqual({ $ref: '#/components/responses/Error503' });
    for (const op of operations) {
      const timesOut = op.path.startsWith('/v1/') && op.path !== '/v1/events';
      expect(op.responses['504'] !== undefined, `${op.operationId} 504`).toBe(timesOut);
    }
  });

  it('renders /docs as HTML listing every route', async () => {
    const res = await ctx.t.request('GET', '/docs', { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    for (const route of ctx.t.api.list()) {
      expect(res.text, route.path).toContain(`<code>${route.path}</code>`);
      expect(res.text).toContain(`>${route.method.toUpperCase()}</span> <code>${route.path}</code>`);
    }
  });

  it('answers health, readiness and metrics', async () => {
    expect((await ctx.t.request('GET', '/healthz', { key: null })).body).toEqual({ status: 'ok' });
    const ready = await ctx.t.request('GET', '/readyz', { key: null });
    expect(ready.body).toMatchObject({ status: 'ready', database: ctx.driver });
    const metrics = await ctx.t.request('GET', '/metrics', { key: null });
    expect(metrics.text).toContain('verdict_http_requests_total');
    expect(metrics.text).toContain('verdict_decision_log_queue_depth');
    // an unreachable database makes the server unready (503), not failed
    const down = new Proxy(ctx.store, { get: (target, key) => (key === 'unsafeQuery' ? () => Promise.reject(new Error('connect ECONNREFUSED db.internal:5432 (user verdict_prod)')) : Reflect.get(target, key)) });
    const { createApp } = await import('../src/app.ts');
    // readiness answers from the last probe of the database (it never waits on one)
    const { DatabaseHealth } = await import('../src/db-health.ts');
    const health = new DatabaseHealth(down, ctx.t.services.metrics);
    health.probe();
    await new Promise((done) => setTimeout(done, 20));
    const res = await createApp({ ...ctx.t.services, store: down, health }).app.request('/readyz');
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ status: 'unavailable' });
    // the driver's text (hosts, users) is for the log, not for an unauthenticated caller
    expect(body).not.toMatch(/db\.internal|verdict_prod|ECONNREFUSED/);
  });
});

describe('auth helpers', () => {
  it('admin allows every scope; others only their own', async () => {
    const { allows } = await import('../src/auth.ts');
    for (const scope of API_SCOPES) {
      expect(allows(['admin'], scope)).toBe(true);
      expect(allows([scope], scope)).toBe(true);
    }
    expect(allows(['read'], 'publish')).toBe(false);
    expect(allows(['evaluate', 'read', 'publish'], 'admin')).toBe(false);
  });

  it('a flood of unknown keys does not push known keys out of the cache (no database lookup for them)', async () => {
    const { bearerGuard } = await import('../src/auth.ts');
    const { RateLimiter } = await import('../src/rate-limit.ts');
    const lookups: string[] = [];
    const store = {
      findApiKey: async (key: string) => {
        lookups.push(key);
        return key.startsWith('good') ? { id: key, name: key, scopes: ['read'] } : null;
      },
    } as unknown as Parameters<typeof bearerGuard>[0];
    const { guard } = bearerGuard(store, new RateLimiter(1e9));
    const request = (key: string) => ({ req: { header: () => `Bearer ${key}` }, set: () => {} }) as unknown as Parameters<typeof guard>[0];
    for (let i = 0; i < 50; i++) await guard(request(`good${i}`), 'read');
    for (let i = 0; i < 20_000; i++) await guard(request(`junk${i}`), 'read').catch(() => undefined);
    lookups.length = 0;
    for (let i = 0; i < 50; i++) await guard(request(`good${i}`), 'read');
    expect(lookups).toEqual([]);
  });
});
