// Bodies that JSON.parse accepts but the server must not take whole: a repeated key, a `__proto__`
// key, nesting deeper than MAX_BODY_DEPTH. Each is a 400 naming the path, on every route that reads
// JSON; never a 500 (the harness fails any 5xx).
import { beforeAll, expect, it } from 'vitest';
import { MAX_BODY_DEPTH } from '../src/json.ts';
import { forEachDriver, SLOW, uniqueName } from './harness.ts';
import { input, policy } from './policies.ts';

/** `{"a":{"a":...<leaf>...}}`, `depth` objects deep. */
function nested(depth: number, leaf = '0'): string {
  return `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

forEachDriver('hostile bodies', (ctx) => {
  const name = uniqueName('hostile');
  const paramsPath = () => `/v1/rulesets/${name}/channels/production/params`;
  const send = (method: string, path: string, body: string, key = 'admin') => ctx.t.request(method, path, { key, body, headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    await ctx.t.deploy(name, policy(name));
  }, SLOW);

  it('PATCH params: a repeated key, a __proto__ key and deep nesting are 400 with the path; nothing changes', async () => {
    const cases: Array<[string, string]> = [
      [`{"params":{"__proto__":0,"limit":5},"params":{"a":${nested(5000)}}}`, 'body/params/__proto__'],
      [`{"params":{"limit":5},"params":{"mode":"lax"}}`, 'body/params'],
      [`{"params":{"limit":5,"li\\u006dit":6}}`, 'body/params/limit'],
      // an object with many keys (kept in a set past the first sixteen), repeated at either end
      [`{"params":{${Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`).join(',')},"k39":1}}`, 'body/params/k39'],
      [`{"params":{${Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`).join(',')},"k0":1}}`, 'body/params/k0'],
      [`{"params":{"__proto__":{"limit":1}}}`, 'body/params/__proto__'],
      [`{"params":{"mode":[1,{"__proto__":1}]}}`, 'body/params/mode/1/__proto__'],
      [`{"params":{"limit":${nested(3000)}}}`, `body/params/limit${'/a'.repeat(MAX_BODY_DEPTH - 2)}`],
      [`{"params":{"limit":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`, `body/params/limit${'/0'.repeat(MAX_BODY_DEPTH - 2)}`],
    ];
    for (const [body, path] of cases) {
      const res = await send('PATCH', paramsPath(), body, 'publish');
      expect(res.status, body.slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('invalid_json');
      expect(res.body.error.details, body.slice(0, 80)).toEqual([{ path, message: expect.any(String) }]);
    }
    // constructor and prototype are ordinary keys: here, undeclared params (422 naming them)
    const ctor = await send('PATCH', paramsPath(), '{"params":{"constructor":{"prototype":{"limit":1}}}}', 'publish');
    expect(ctor.status).toBe(422);
    expect(ctor.body.error.details).toEqual([{ path: 'constructor', message: expect.stringContaining('unknown param') }]);
    const state = await ctx.t.request('GET', paramsPath(), { key: 'read' });
    expect(state.body).toMatchObject({ revision: 1, overrides: {}, values: { limit: 100, mode: 'strict' } });
    // nesting within the limit is an ordinary (here: invalid) value
    const within = await send('PATCH', paramsPath(), `{"params":{"limit":${nested(MAX_BODY_DEPTH - 3)}}}`, 'publish');
    expect(within.status).toBe(422);
    expect(within.body.error.code).toBe('invalid_params');
  });

  it('every route reading JSON refuses them the same way', async () => {
    const routes: Array<[string, string, string]> = [
      ['POST', `/v1/rulesets/${name}/evaluate`, `{"input":{"amount":1,"amount":2}}`],
      ['POST', `/v1/rulesets/${name}/evaluate/batch`, `{"inputs":[${nested(400)}]}`],
      ['POST', `/v1/rulesets/${name}/versions`, `{"source":"x","source":"y"}`],
      ['POST', `/v1/rulesets/${name}/impact`, `{"version":1,"inputs":[{"__proto__":{}}]}`],
      ['PUT', `/v1/rulesets/${name}/channels/staging`, `{"version":1,"version":1}`],
      ['POST', '/v1/check', `{"source":"a","__proto__":1}`],
      ['POST', '/v1/keys', `{"name":"k","scopes":["read"],"scopes":["admin"]}`],
    ];
    for (const [method, path, body] of routes) {
      const res = await send(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error.code, `${method} ${path}`).toBe('invalid_json');
      expect(res.body.error.details[0].path, `${method} ${path}`).toMatch(/^body\//);
    }
  });

  it('an evaluation input nested 3,000 deep in a ruleset with a sensitive field is a 400; one within the limit is evaluated and logged redacted', async () => {
    const deep = await send('POST', `/v1/rulesets/${name}/evaluate`, `{"input":{"amount":1,"country":"FR","secret":"s3cret","tags":${nested(3000, '"x"')}}}`, 'evaluate');
    expect(deep.status).toBe(400);
    expect(deep.body.error.code).toBe('invalid_json');
    // tags must be a list of strings: 422 from the ruleset's schema, not a crash
    const typed = await send('POST', `/v1/rulesets/${name}/evaluate`, `{"input":{"amount":1,"country":"FR","secret":"s3cret","tags":${'['.repeat(250)}"x"${']'.repeat(250)}}}`, 'evaluate');
    expect(typed.status).toBe(422);
    const fine = await ctx.t.evaluate(name, { input: { ...input(1, 'FR', 'nested-secret'), tags: ['a'] } });
    expect(fine.status).toBe(200);
    await ctx.t.services.log.flush();
    const logged = await ctx.store.queryDecisions({ ruleset: name, limit: 10 });
    const row = logged.items.find((d) => d.id === fine.body.decision_id);
    expect(row?.input).toEqual({ amount: 1, country: 'FR', secret: '[redacted]', tags: ['a'] });
  });

  it('a channel move to the version it is on makes no revision and no audit event', async () => {
    const channel = `/v1/rulesets/${name}/channels/canary`;
    const first = await ctx.t.request('PUT', channel, { key: 'publish', json: { version: 1 } });
    expect(first.body.revision).toBe(1);
    const again = await ctx.t.request('PUT', channel, { key: 'publish', json: { version: 1, reason: 'again' } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ revision: 1, version: 1 });
    const history = await ctx.t.request('GET', `${channel}/history`, { key: 'read' });
    expect(history.body.items).toHaveLength(1);
    const audit = await ctx.t.request('GET', `/v1/audit?ruleset=${name}&action=channel.move`);
    expect(audit.body.items.filter((e: { channel: string }) => e.channel === 'canary')).toHaveLength(1);
    // resetting params that are already the defaults makes none either
    const reset = await ctx.t.request('POST', `${channel}/params/reset`, { key: 'publish' });
    expect(reset.body.revision).toBe(1);
  });
});
