// Bad input of every kind gets its own status and a structured error, never a 500
// (the harness checks the error shape and the absence of 5xx on every response).
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { forEachDriver, SLOW, uniqueName } from './harness.ts';
import { brokenPolicy, input, policy } from './policies.ts';

forEachDriver('bad input', (ctx) => {
  const name = uniqueName('bad');
  const evaluatePath = `/v1/rulesets/${name}/evaluate`;

  beforeAll(async () => {
    await ctx.t.deploy(name, policy(name));
  }, SLOW);

  it('malformed JSON is 400 invalid_json', async () => {
    for (const body of ['{"input": ', '{input: 1}', 'nope', '']) {
      const res = await ctx.t.request('POST', evaluatePath, { key: 'evaluate', body, headers: { 'content-type': 'application/json' } });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_json');
    }
  });

  it('a body that is not JSON by content type is 415', async () => {
    const json = JSON.stringify({ input: input(1) });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      const res = await ctx.t.request('POST', evaluatePath, { key: 'evaluate', body: json, headers: { 'content-type': type } });
      expect(res.status, type).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    }
    const missing = await ctx.t.raw('POST', evaluatePath, { key: 'evaluate', body: json });
    // fetch labels a string body text/plain when no type is given
    expect(missing.status).toBe(415);
    const charset = await ctx.t.request('POST', evaluatePath, { key: 'evaluate', body: json, headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(charset.status).toBe(200);
  });

  it('an input breaking the ruleset schema is 422 listing every failing path', async () => {
    const res = await ctx.t.evaluate(name, { input: { amount: -5, country: 7, tags: ['ok', 3], extra: true } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_input');
    const paths = (res.body.error.details as Array<{ path: string; message: string }>).map((d) => d.path);
    for (const path of ['amount', 'country', 'secret']) expect(paths.some((p) => p.replace(/^\/|^input[./]/, '') === path), `${path} in ${paths.join(', ')}`).toBe(true);
    expect(paths.some((p) => p.includes('tags') && p.includes('1')), `tags/1 in ${paths.join(', ')}`).toBe(true);
    expect(paths.some((p) => p.includes('extra')) || JSON.stringify(res.body.error.details).includes('extra'), `extra in ${JSON.stringify(res.body.error.details)}`).toBe(true);
    for (const d of res.body.error.details) expect(d.message).toEqual(expect.any(String));
  });

  it('a request body breaking the route schema is 400 listing every failing path', async () => {
    const res = await ctx.t.evaluate(name, { version: 0, channel: 'bad channel!', explain: 'yes', surprise: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    const details = res.body.error.details as Array<{ path: string; message: string }>;
    const text = JSON.stringify(details);
    for (const what of ['body/version', 'body/channel', 'body/explain']) expect(details.map((d) => d.path), text).toContain(what);
    expect(text).toContain('input');
    expect(text).toContain('surprise');
  });

  it('refuses both a version and a channel (400)', async () => {
    for (const path of [evaluatePath, `/v1/rulesets/${name}/evaluate/batch`]) {
      const res = await ctx.t.request('POST', path, { key: 'evaluate', json: { input: input(1), inputs: [input(1)], version: 1, channel: 'production' } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    const ok = await ctx.t.evaluate(name, { input: input(1), version: 1 });
    expect(ok.status).toBe(200);
  });

  it('bad query strings are 400', async () => {
    for (const path of ['/v1/decisions?limit=0', '/v1/decisions?limit=abc', '/v1/decisions?since=yesterday', '/v1/decisions?nope=1', '/v1/violations?severity=huge', '/v1/decisions?cursor=garbage']) {
      const res = await ctx.t.request('GET', path, { key: 'read' });
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });

  it('unknown ruleset, version and channel are 404', async () => {
    const ghost = uniqueName('ghost');
    const cases: Array<[string, string, unknown?]> = [
      ['POST', `/v1/rulesets/${ghost}/evaluate`, { input: input(1) }],
      ['POST', `/v1/rulesets/${ghost}/evaluate/batch`, { inputs: [input(1)] }],
      ['POST', evaluatePath, { input: input(1), version: 99 }],
      ['POST', evaluatePath, { input: input(1), channel: 'nowhere' }],
      ['POST', `/v1/rulesets/${name}/evaluate/batch`, { inputs: [input(1)], channel: 'nowhere' }],
      ['GET', `/v1/rulesets/${ghost}/versions`],
      ['GET', `/v1/rulesets/${ghost}/channels`],
      ['GET', `/v1/rulesets/${ghost}/versions/1`],
      ['GET', `/v1/rulesets/${name}/versions/99`],
      ['GET', `/v1/rulesets/${name}/channels/nowhere`],
      ['GET', `/v1/rulesets/${name}/channels/nowhere/history`],
      ['GET', `/v1/rulesets/${name}/channels/nowhere/params`],
      ['PATCH', `/v1/rulesets/${name}/channels/nowhere/params`, { params: { limit: 5 } }],
      ['POST', `/v1/rulesets/${name}/channels/nowhere/params/reset`, {}],
      ['PUT', `/v1/rulesets/${name}/channels/production`, { version: 99 }],
      ['PUT', `/v1/rulesets/${ghost}/channels/production`, { version: 1 }],
      ['POST', `/v1/rulesets/${name}/channels/production/rollback`, { revision: 99 }],
      ['POST', `/v1/rulesets/${name}/channels/nowhere/rollback`, { revision: 1 }],
      ['GET', `/v1/rulesets/${name}/diff?from=1&to=99`],
      ['GET', `/v1/rulesets/${ghost}/diff?from=1&to=2`],
      ['POST', `/v1/rulesets/${ghost}/impact`, { source: policy(ghost) }],
      ['POST', `/v1/rulesets/${name}/impact`, { version: 99 }],
      ['POST', `/v1/rulesets/${name}/impact`, { source: policy(name), channel: 'nowhere' }],
      ['DELETE', `/v1/keys/${randomUUID()}`],
    ];
    for (const [method, path, json] of cases) {
      const res = await ctx.t.request(method, path, json === undefined ? {} : { json });
      expect(res.status, `${method} ${path} ${res.text}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('a 404 message says once what is missing', async () => {
    const ghost = uniqueName('ghost');
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', `/v1/rulesets/${name}/channels/production/rollback`, { revision: 99 }, `channel \`production\` of \`${name}\` has no revision 99`],
      ['POST', `/v1/rulesets/${ghost}/channels/production/rollback`, { revision: 1 }, `ruleset \`${ghost}\` does not exist`],
      ['GET', `/v1/rulesets/${name}/versions/99`, undefined, `version 99 of ruleset \`${name}\` not found`],
      ['GET', `/v1/rulesets/${name}/channels/nowhere`, undefined, `channel \`nowhere\` of ruleset \`${name}\` not found`],
      ['GET', `/v1/rulesets/${ghost}/channels`, undefined, `ruleset \`${ghost}\` not found`],
    ];
    for (const [method, path, json, message] of cases) {
      const res = await ctx.t.request(method, path, json === undefined ? {} : { json });
      expect(res.status, `${method} ${path} ${res.text}`).toBe(404);
      expect(res.body.error.message, `${method} ${path}`).toBe(message);
      expect(res.body.error.message).not.toMatch(/(not found|does not exist|has no)\b.*\b(not found|does not exist)/);
    }
  });

  it('odd path values are refused without a 500', async () => {
    const cases: Array<[string, string, number[]]> = [
      ['GET', `/v1/rulesets/${name}/versions/abc`, [400]],
      ['GET', `/v1/rulesets/${name}/versions/0`, [400]],
      ['GET', `/v1/rulesets/${name}/versions/99999999999999999999`, [400, 404]],
      ['DELETE', '/v1/keys/not-a-uuid', [400, 404]],
      ['GET', `/v1/rulesets/${encodeURIComponent("x'; drop table rulesets; --")}/versions`, [400, 404]],
      ['GET', `/v1/rulesets/${name}/channels/${'c'.repeat(300)}`, [400, 404]],
    ];
    for (const [method, path, statuses] of cases) {
      const res = await ctx.t.request(method, path);
      expect(statuses, `${method} ${path} -> ${res.status} ${res.text}`).toContain(res.status);
    }
    const huge = 99999999999;
    const bodies: Array<[string, string, unknown, number[]]> = [
      ['POST', evaluatePath, { input: input(1), version: huge }, [400, 404]],
      ['PUT', `/v1/rulesets/${name}/channels/production`, { version: huge }, [400, 404]],
      ['POST', `/v1/rulesets/${name}/channels/production/rollback`, { revision: huge }, [400, 404]],
      ['POST', `/v1/rulesets/${name}/versions`, { source: policy(name), expected_parent: huge }, [400, 409]],
      ['POST', `/v1/rulesets/${name}/impact`, { version: huge }, [400, 404]],
    ];
    for (const [method, path, json, statuses] of bodies) {
      const res = await ctx.t.request(method, path, { json });
      expect(statuses, `${method} ${path} ${JSON.stringify(json)} -> ${res.status} ${res.text}`).toContain(res.status);
    }
    for (const q of ['from=1&to=99999999999999', 'from=1']) {
      const res = await ctx.t.request('GET', `/v1/rulesets/${name}/diff?${q}`, { key: 'read' });
      expect(res.status, q).toBe(400);
    }
  });

  it('strings the database cannot hold (U+0000, a lone surrogate) are 400 naming where, and change nothing', async () => {
    const history = await ctx.t.request('GET', `/v1/rulesets/${name}/channels/production/history`, { key: 'read' });
    const versions = await ctx.t.request('GET', `/v1/rulesets/${name}/versions`, { key: 'read' });
    const cases: Array<[string, string, unknown, string]> = [
      ['GET', '/v1/decisions?ruleset=%00', undefined, 'query/ruleset'],
      ['GET', '/v1/audit?action=a%00', undefined, 'query/action'],
      ['GET', `/v1/violations?rule=%00`, undefined, 'query/rule'],
      ['GET', '/v1/rulesets/a%00b/versions', undefined, 'path/name'],
      ['GET', '/v1/rulesets/x%00/channels', undefined, 'path/name'],
      ['DELETE', '/v1/keys/a%00', undefined, 'path/id'],
      ['PUT', `/v1/rulesets/${name}/channels/staging`, { version: 1, reason: 'a\u0000b' }, 'body/reason'],
      ['POST', '/v1/keys', { name: 'a\u0000b', scopes: ['read'] }, 'body/name'],
      ['POST', '/v1/keys', { name: 'a\ud800', scopes: ['read'] }, 'body/name'],
      ['PATCH', `/v1/rulesets/${name}/channels/production/params`, { params: { mode: 'strict' }, reason: '\udc00' }, 'body/reason'],
      ['PATCH', `/v1/rulesets/${name}/channels/production/params`, { params: { ['m\u0000']: 1 } }, 'body/params/m\u0000'],
      ['POST', `/v1/rulesets/${name}/versions`, { source: policy(name, { limit: 7 }), message: 'm\u0000' }, 'body/message'],
    ];
    for (const [method, path, json, where] of cases) {
      const res = await ctx.t.request(method, path, json === undefined ? {} : { json });
      expect(res.status, `${method} ${path} ${JSON.stringify(json)} -> ${res.text}`).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.map((d: { path: string }) => d.path), res.text).toContain(where);
    }
    // a time PostgreSQL cannot hold (year 0) is refused by the format, not by the database
    const yearZero = await ctx.t.request('GET', '/v1/decisions?since=0000-01-01T00:00Z', { key: 'read' });
    expect(yearZero.status).toBe(400);
    expect((await ctx.t.request('GET', `/v1/rulesets/${name}/channels/production/history`, { key: 'read' })).body).toEqual(history.body);
    expect((await ctx.t.request('GET', `/v1/rulesets/${name}/versions`, { key: 'read' })).body).toEqual(versions.body);

    // an input to evaluate may hold them: it is answered, and logged with U+FFFD in their place
    const odd = await ctx.t.evaluate(name, { input: input(1, 'F\ud800R\u0000') });
    expect(odd.status).toBe(200);
    await ctx.t.services.log.flush();
    const logged = await ctx.store.queryDecisions({ ruleset: name, limit: 5 });
    expect(logged.items.find((d) => d.id === odd.body.decision_id)?.input).toMatchObject({ country: 'F\uFFFDR\uFFFD' });
    expect(ctx.t.services.log.depth).toBe(0);
  });

  it('an oversized body is 413', async () => {
    const small = createApp({ ...ctx.t.services, config: { ...ctx.t.services.config, bodyLimitBytes: 1024 } }).app;
    const body = JSON.stringify({ input: { ...input(1), tags: Array.from({ length: 400 }, (_, i) => `tag-${i}`) } });
    expect(body.length).toBeGreaterThan(1024);
    const variants: Array<Record<string, string>> = [{ 'content-type': 'application/json' }, { 'content-type': 'application/json', 'content-length': String(body.length) }];
    for (const headers of variants) {
      const res = await small.request(evaluatePath, { method: 'POST', body, headers: { ...headers, authorization: `Bearer ${ctx.t.keys.evaluate}` } });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large', details: [] } });
    }
    const fits = await small.request(evaluatePath, { method: 'POST', body: JSON.stringify({ input: input(1) }), headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.t.keys.evaluate}` } });
    expect(fits.status).toBe(200);
  });

  it('a bad params patch is 422 naming each param, and changes nothing', async () => {
    const paramsPath = `/v1/rulesets/${name}/channels/production/params`;
    const before = await ctx.t.request('GET', paramsPath, { key: 'read' });
    const history = await ctx.t.request('GET', `/v1/rulesets/${name}/channels/production/history`, { key: 'read' });
    for (const params of [{ limit: -1 }, { limit: 'big' }, { mode: 'sloppy' }, { nope: 1 }, { limit: 50, mode: 'sloppy' }]) {
      const res = await ctx.t.request('PATCH', paramsPath, { key: 'publish', json: { params } });
      expect(res.status, JSON.stringify(params)).toBe(422);
      expect(res.body.error.code).toBe('invalid_params');
      const named = (res.body.error.details as Array<{ path: string }>).map((d) => d.path).join(' ');
      for (const key of Object.keys(params)) if (key !== 'limit' || (params as { limit: unknown }).limit !== 50) expect(named, JSON.stringify(params)).toContain(key);
    }
    const empty = await ctx.t.request('PATCH', paramsPath, { key: 'publish', json: { params: {} } });
    expect(empty.status).toBe(400);
    const unknownReset = await ctx.t.request('POST', `${paramsPath}/reset`, { key: 'publish', json: { names: ['nope'] } });
    expect(unknownReset.status).toBe(422);

    const after = await ctx.t.request('GET', paramsPath, { key: 'read' });
    expect(after.body).toEqual(before.body);
    const historyAfter = await ctx.t.request('GET', `/v1/rulesets/${name}/channels/production/history`, { key: 'read' });
    expect(historyAfter.body.items).toEqual(history.body.items);
    // and evaluation still uses the old limit (100)
    expect((await ctx.t.evaluate(name, { input: input(60) })).body.decision).toBe('allow');
  });

  it('refuses param names that are not declared, including __proto__, and channel names evaluation cannot select', async () => {
    const paramsPath = `/v1/rulesets/${name}/channels/production/params`;
    const before = await ctx.t.request('GET', paramsPath, { key: 'read' });
    for (const raw of ['{"params": {"constructor": 5}}', '{"params": {"limit": 1, "toString": "x"}}']) {
      const res = await ctx.t.request('PATCH', paramsPath, { key: 'publish', body: raw, headers: { 'content-type': 'application/json' } });
      expect(res.status, raw).toBe(422);
      expect(res.body.error.code).toBe('invalid_params');
    }
    // a `__proto__` key is refused in any body, before the route sees it
    const proto = await ctx.t.request('PATCH', paramsPath, { key: 'publish', body: '{"params": {"__proto__": {"limit": 1}}}', headers: { 'content-type': 'application/json' } });
    expect(proto.status).toBe(400);
    expect(proto.body.error).toMatchObject({ code: 'invalid_json', details: [{ path: 'body/params/__proto__' }] });
    expect((await ctx.t.request('GET', paramsPath, { key: 'read' })).body).toEqual(before.body);
    for (const channel of ['bad%20name', 'x'.repeat(65), 'a.b']) {
      const res = await ctx.t.request('PUT', `/v1/rulesets/${name}/channels/${channel}`, { key: 'publish', json: { version: 1 } });
      expect(res.status, channel).toBe(400);
    }
    expect((await ctx.t.request('GET', `/v1/rulesets/${name}/channels`, { key: 'read' })).body.items.map((c: { channel: string }) => c.channel)).toEqual(['production']);
  });

  it('rate-limits a key (429 with Retry-After) without affecting other keys', async () => {
    const limited = createApp({ ...ctx.t.services, config: { ...ctx.t.services.config, rateLimitPerSecond: 1 } }).app;
    const call = (key: string) => limited.request('/v1/rulesets', { headers: { authorization: `Bearer ${key}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(ctx.t.keys.read)).status);
    expect(statuses).toContain(429);
    const refused = await call(ctx.t.keys.read);
    if (refused.status === 429) {
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited', details: [] } });
    }
    expect((await call(ctx.t.keys.admin)).status).toBe(200);
  });

  it('deeply nested or odd JSON inputs are refused cleanly', async () => {
    const deep = `{"input": {"amount": 1, "country": "FR", "secret": "x", "tags": ${'['.repeat(20000)}${']'.repeat(20000)}}}`;
    const res = await ctx.t.request('POST', evaluatePath, { key: 'evaluate', body: deep, headers: { 'content-type': 'application/json' } });
    expect([400, 422]).toContain(res.status);
    for (const body of ['null', '[]', '"input"', '{"input": null}', '{"input": {"__proto__": {"amount": 5}, "country": "FR", "secret": "x"}}']) {
      const odd = await ctx.t.request('POST', evaluatePath, { key: 'evaluate', body, headers: { 'content-type': 'application/json' } });
      expect([400, 422], body).toContain(odd.status);
    }
  });

  it('a source that does not compile is 422 with diagnostics carrying line, column and code', async () => {
    for (const path of [`/v1/rulesets/${name}/versions`, `/v1/rulesets/${name}/impact`]) {
      const res = await ctx.t.request('POST', path, { json: { source: brokenPolicy(name) } });
      expect(res.status, path).toBe(422);
      expect(res.body.error.code).toBe('compile_failed');
      const details = res.body.error.details as Array<{ line: number; column: number; code: string; message: string }>;
      expect(details.length).toBeGreaterThan(0);
      for (const d of details) {
        expect(d.code).toMatch(/^VD\d{4}$/);
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
      }
      expect(details.some((d) => d.line === 7 || d.line === 8), JSON.stringify(details)).toBe(true);
    }
    // a type error, not only a syntax error
    const typed = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { json: { source: policy(name, { extra: 'rule bad_type {\n  severity low\n  deny when amount == "x" && nothing > 1\n  because "b"\n}\n' }) } });
    expect(typed.status).toBe(422);
    expect(typed.body.error.details.every((d: { code: string }) => /^VD[2-4]/.test(d.code)), typed.text).toBe(true);
    const versions = await ctx.t.request('GET', `/v1/rulesets/${name}/versions`, { key: 'read' });
    expect(versions.body.items).toHaveLength(1);
  });

  it('/v1/check answers diagnostics for any text, even empty or garbage', async () => {
    for (const source of ['', 'ruleset', '}}}{{{', brokenPolicy('x.y'), '\u0000\uffff']) {
      const res = await ctx.t.request('POST', '/v1/check', { key: 'read', json: { source } });
      expect(res.status, JSON.stringify(source)).toBe(200);
      expect(res.body.diagnostics.length).toBeGreaterThan(0);
    }
    const clean = await ctx.t.request('POST', '/v1/check', { key: 'read', json: { source: policy(name) } });
    expect(clean.body).toMatchObject({ ruleset: name, errors: 0 });
  });

  it('an unknown route is 404 and a wrong method is refused', async () => {
    const res = await ctx.t.request('GET', '/v1/nothing/here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.headers.get('x-request-id')).toBe(res.body.error.request_id);
    const traced = await ctx.t.request('GET', '/v1/nothing/here', { headers: { 'x-request-id': 'trace-me-42' } });
    expect(traced.body.error.request_id).toBe('trace-me-42');
    expect(traced.headers.get('x-request-id')).toBe('trace-me-42');
    const method = await ctx.t.request('DELETE', evaluatePath);
    expect([404, 405]).toContain(method.status);
  });
});
