// Evaluation (single, batch, by version or channel, explain), the decision log and
// violations it writes, the event stream, and the impact of a candidate on logged traffic.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { expectErrorShape, forEachDriver, type TestApp, uniqueName } from './harness.ts';
import { brokenPolicy, input, policy } from './policies.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

forEachDriver('evaluation', (ctx) => {
  it('returns the decision shape with its identity fields', async () => {
    const name = uniqueName('eval');
    await ctx.t.deploy(name, policy(name));
    const res = await ctx.t.evaluate(name, { input: input(150, 'IR') });
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.decision_id).toMatch(UUID);
    expect(d).toMatchObject({ ruleset: name, version: 1, channel: 'production', decision: 'deny', compliant: false, outputs: { doubled: 300 }, errors: [], trace: null });
    expect(d.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(typeof d.duration_us).toBe('number');
    expect(d.duration_us).toBeGreaterThanOrEqual(0);
    // the score is the share of rule weight that passed: 1 when compliant
    expect(d.score).toBeGreaterThanOrEqual(0);
    expect(d.score).toBeLessThan(1);
    expect(d.violations.map((v: { rule: string }) => v.rule).sort()).toEqual(['restricted', 'too_large']);
    const restricted = d.violations.find((v: { rule: string }) => v.rule === 'restricted');
    expect(restricted).toMatchObject({ outcome: 'deny', severity: 'critical', message: 'country IR is restricted', suggestion: null });
    const versionHash = (await ctx.t.request('GET', `/v1/rulesets/${name}/versions/1`, { key: 'read' })).body.hash;
    expect(d.hash).toBe(versionHash);

    const ok = await ctx.t.evaluate(name, { input: input(5) });
    expect(ok.body).toMatchObject({ decision: 'allow', compliant: true, violations: [], score: 1 });
    expect(ok.body.decision_id).not.toBe(d.decision_id);
  });

  it('evaluates by version (defaults) and by channel (its params)', async () => {
    const name = uniqueName('sel');
    await ctx.t.deploy(name, policy(name, { limit: 100 }));
    await ctx.t.publish(name, policy(name, { limit: 10 }));
    const v2 = await ctx.t.evaluate(name, { input: input(50), version: 2 });
    expect(v2.body).toMatchObject({ version: 2, channel: null, decision: 'deny' });
    const prod = await ctx.t.evaluate(name, { input: input(50), channel: 'production' });
    expect(prod.body).toMatchObject({ version: 1, channel: 'production', decision: 'allow' });
    const byDefault = await ctx.t.evaluate(name, { input: input(50) });
    expect(byDefault.body).toMatchObject({ version: 1, channel: 'production' });
  });

  it('includes a trace when asked to explain', async () => {
    const name = uniqueName('explain');
    await ctx.t.deploy(name, policy(name));
    const res = await ctx.t.evaluate(name, { input: input(150), explain: true });
    const trace = res.body.trace as { rules: Array<{ rule: string; result: string; values: Array<{ expr: string; value: unknown }> }> };
    expect(trace.rules.map((r) => r.rule)).toEqual(['too_large', 'restricted', 'lax_mode']);
    const tooLarge = trace.rules.find((r) => r.rule === 'too_large')!;
    expect(tooLarge.result).toBe('fired');
    expect(tooLarge.values).toContainEqual(expect.objectContaining({ expr: 'amount', value: 150 }));
    expect(trace.rules.find((r) => r.rule === 'restricted')!.result).toBe('passed');
  });

  it('evaluates a batch: each item its own decision or its own error, in order', async () => {
    const name = uniqueName('batch');
    await ctx.t.deploy(name, policy(name));
    const res = await ctx.t.request('POST', `/v1/rulesets/${name}/evaluate/batch`, {
      key: 'evaluate',
      json: { inputs: [input(5), { amount: -1, country: 'FR' }, input(500, 'KP'), 'not an object', input(1)] },
    });
    expect(res.status).toBe(200);
    const results = res.body.results as Array<Record<string, unknown>>;
    expect(results).toHaveLength(5);
    expect(results[0]).toMatchObject({ decision: 'allow', ruleset: name, version: 1 });
    expect(results[1]).toMatchObject({ index: 1, error: { code: 'invalid_input' } });
    expect(JSON.stringify(results[1])).toContain('secret');
    expect(results[2]).toMatchObject({ decision: 'deny' });
    expect(results[3]).toMatchObject({ index: 3, error: { code: 'invalid_input' } });
    expect(results[4]).toMatchObject({ decision: 'allow' });
    const ids = [results[0], results[2], results[4]].map((r) => r!['decision_id']);
    expect(new Set(ids).size).toBe(3);
    const empty = await ctx.t.request('POST', `/v1/rulesets/${name}/evaluate/batch`, { key: 'evaluate', json: { inputs: [] } });
    expect(empty.body.results).toEqual([]);
  });
});

async function allPages(t: TestApp, path: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await t.request('GET', `${path}${cursor === null ? '' : `${sep}cursor=${encodeURIComponent(cursor)}`}`, { key: 'read' });
    expect(res.status, res.text).toBe(200);
    items.push(...(res.body.items as Array<Record<string, unknown>>));
    cursor = res.body.next_cursor as string | null;
    expect(++pages).toBeLessThan(100);
  } while (cursor !== null);
  return items;
}

forEachDriver('decision log', (ctx) => {
  it('logs every decision with the sensitive fields redacted, filters and pages it, and keeps the chain valid', async () => {
    const name = uniqueName('log');
    await ctx.t.deploy(name, policy(name));
    const sent = [input(5, 'FR', 's1'), input(500, 'FR', 's2'), input(5, 'IR', 's3'), input(500, 'KP', 's4'), input(7, 'DE', 's5')];
    const ids: string[] = [];
    for (const i of sent) ids.push((await ctx.t.evaluate(name, { input: i })).body.decision_id as string);
    const batch = await ctx.t.request('POST', `/v1/rulesets/${name}/evaluate/batch`, { key: 'evaluate', json: { inputs: [input(1, 'FR', 's6'), { bad: true }] } });
    ids.push(batch.body.results[0].decision_id as string);

    const all = await allPages(ctx.t, `/v1/decisions?ruleset=${name}&limit=2`);
    expect(all.map((d) => d['decision_id']).sort()).toEqual([...ids].sort());
    // newest first, no duplicates across pages
    const seqs = all.map((d) => d['seq'] as number);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const d of all) {
      const logged = d['input'] as Record<string, unknown>;
      expect(logged['secret']).toBe('[redacted]');
      expect(typeof logged['amount']).toBe('number');
      expect(d).toMatchObject({ ruleset: name, version: 1, channel: 'production' });
    }
    expect(JSON.stringify(all)).not.toMatch(/"s[1-6]"/);

    const denies = await allPages(ctx.t, `/v1/decisions?ruleset=${name}&decision=deny`);
    expect(denies.map((d) => d['decision_id']).sort()).toEqual([ids[1], ids[2], ids[3]].sort());
    const restricted = await allPages(ctx.t, `/v1/decisions?ruleset=${name}&rule=restricted`);
    expect(restricted.map((d) => d['decision_id']).sort()).toEqual([ids[2], ids[3]].sort());
    for (const d of restricted) expect(d['violated_rules']).toContain('restricted');
    const allows = await allPages(ctx.t, `/v1/decisions?ruleset=${name}&decision=allow&channel=production`);
    expect(allows).toHaveLength(3);
    const none = await allPages(ctx.t, `/v1/decisions?ruleset=${name}&channel=staging`);
    expect(none).toHaveLength(0);
    const future = await allPages(ctx.t, `/v1/decisions?ruleset=${name}&since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    expect(future).toHaveLength(0);

    expect(await ctx.store.verifyChain()).toMatchObject({ ok: true });
  });

  it('redacts sensitive fields nested in objects and in every list item', async () => {
    const name = uniqueName('nested');
    const source = `ruleset ${name}

input {
  service: { id: string, token: string sensitive }
  accounts: list<{ id: string, pin: string sensitive }>
}

decision deny > allow

rule many_accounts {
  severity low
  deny when size(accounts) > 1
  because "too many accounts"
}
`;
    await ctx.t.deploy(name, source);
    const sent = { service: { id: 'svc', token: 'tok-123' }, accounts: [{ id: 'a', pin: '1111' }, { id: 'b', pin: '2222' }] };
    const res = await ctx.t.evaluate(name, { input: sent });
    expect(res.body.decision).toBe('deny');
    const logged = (await allPages(ctx.t, `/v1/decisions?ruleset=${name}`))[0]!;
    expect(logged['input']).toEqual({ service: { id: 'svc', token: '[redacted]' }, accounts: [{ id: 'a', pin: '[redacted]' }, { id: 'b', pin: '[redacted]' }] });
    expect(sent.service.token).toBe('tok-123'); // the caller's input is not changed
    const recent = await ctx.store.recentInputs(name, 'production', 10);
    expect(JSON.stringify(recent)).not.toMatch(/tok-123|1111|2222/);
  });

  it('keeps sensitive values out of logged outputs and violation messages, not out of the response', async () => {
    const name = uniqueName('leak');
    const source = `ruleset ${name}

input {
  ssn: string sensitive
  pin: number sensitive
  amount: number
}

decision deny > allow

output echoed: string = ssn
output labelled: string = "ssn " + ssn
output pin_copy: number = pin
output amount_copy: number = amount

rule has_ssn {
  severity high
  deny when ssn != ""
  because "ssn {ssn} present, pin {pin}, amount {amount}"
}
`;
    await ctx.t.deploy(name, source);
    // pin 4 and amount 14: a sensitive number hides only whole tokens, so "14" stays
    const res = await ctx.t.evaluate(name, { input: { ssn: '123-45-6789', pin: 4, amount: 14 } });
    expect(res.body.outputs).toEqual({ echoed: '123-45-6789', labelled: 'ssn 123-45-6789', pin_copy: 4, amount_copy: 14 });
    expect(res.body.violations[0].message).toBe('ssn 123-45-6789 present, pin 4, amount 14');

    const logged = (await allPages(ctx.t, `/v1/decisions?ruleset=${name}`))[0]!;
    expect(logged['input']).toEqual({ ssn: '[redacted]', pin: '[redacted]', amount: 14 });
    expect(logged['outputs']).toEqual({ echoed: '[redacted]', labelled: '[redacted]', pin_copy: '[redacted]', amount_copy: 14 });
    const violations = await allPages(ctx.t, `/v1/violations?ruleset=${name}`);
    expect(violations.map((v) => v['message'])).toEqual(['ssn [redacted] present, pin [redacted], amount 14']);
    expect(JSON.stringify([logged, violations])).not.toContain('6789');
    expect(await ctx.store.verifyChain()).toMatchObject({ ok: true });
  });

  it('writes in batches, drains on close, and still writes a row appended after close', async () => {
    const { DecisionLog } = await import('../src/decision-log.ts');
    const { Metrics } = await import('../src/metrics.ts');
    const log = new DecisionLog(ctx.store, new Metrics(), { intervalMs: 60_000, batchSize: 3 });
    const name = uniqueName('batching');
    const row = (i: number) => ({ id: randomUUID(), ruleset: name, version: 1, channel: null, decision: 'allow', violations: [], durationUs: i });
    const rows = Array.from({ length: 5 }, (_, i) => row(i));
    for (const r of rows) log.append(r);
    await log.close();
    expect(log.depth).toBe(0);
    const late = row(99);
    log.append(late);
    // a row appended after close is written at the next turn, not after the (60 s) interval
    await new Promise((done) => setTimeout(done, 0));
    await log.flush(); // waits for that write
    expect(log.depth).toBe(0);
    const stored = await ctx.store.queryDecisions({ ruleset: name, limit: 100 });
    expect(stored.items.map((d) => d.id).sort()).toEqual([...rows, late].map((r) => r.id).sort());
  });

  it('sets aside the decisions the database refuses as data and writes the rest in order; keeps every row when the database is down', async () => {
    const { DecisionLog } = await import('../src/decision-log.ts');
    const { Metrics } = await import('../src/metrics.ts');
    const rejected: Array<{ id: string; error: unknown }> = [];
    const metrics = new Metrics();
    const log = new DecisionLog(ctx.store, metrics, { intervalMs: 60_000, batchSize: 1000, onReject: (row, error) => rejected.push({ id: row.id, error }) });
    const name = uniqueName('poison');
    // a duration past the int column's range: PostgreSQL refuses the row (SQLSTATE 22003)
    const row = (i: number) => ({ id: randomUUID(), ruleset: name, version: 1, channel: null, decision: 'allow', violations: [], durationUs: i === 2 || i === 5 ? 1e12 : i });
    const rows = Array.from({ length: 7 }, (_, i) => row(i));
    for (const r of rows) log.append(r);
    await log.flush();
    expect(log.depth).toBe(0);
    expect(rejected.map((r) => r.id)).toEqual([rows[2]!.id, rows[5]!.id]);
    expect(String((rejected[0]!.error as { cause?: { code?: string } }).cause?.code ?? (rejected[0]!.error as { code?: string }).code)).toBe('22003');
    const stored = await ctx.store.queryDecisions({ ruleset: name, limit: 100 });
    expect(stored.items.map((d) => d.id).reverse()).toEqual(rows.filter((_, i) => i !== 2 && i !== 5).map((r) => r.id));
    expect(await metrics.registry.getSingleMetricAsString('verdict_decision_log_rejected_total')).toMatch(/ 2$/m);
    expect(await ctx.store.verifyChain()).toMatchObject({ ok: true });

    // not a data error: nothing is set aside, every row waits for the next attempt
    const down = { appendDecisions: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) } as unknown as typeof ctx.store;
    const errors: unknown[] = [];
    const waiting = new DecisionLog(down, new Metrics(), { intervalMs: 60_000, initialBackoffMs: 20, onError: (e) => errors.push(e), onReject: () => expect.fail('a transient failure must not set rows aside') });
    for (const r of rows) waiting.append(r);
    await waiting.flush();
    expect(waiting.depth).toBe(7);
    expect(waiting.pending().map((r) => r.id)).toEqual(rows.map((r) => r.id));
    expect(errors).toHaveLength(1);
    await waiting.close(300); // retries with backoff until its timeout, gives up, and leaves no timer behind
    expect(waiting.depth).toBe(7);
    expect(errors.length, 'retried during close').toBeGreaterThan(1);
  });

  it('queries violations by rule, severity and decision', async () => {
    const name = uniqueName('viol');
    await ctx.t.deploy(name, policy(name));
    const both = (await ctx.t.evaluate(name, { input: input(500, 'IR') })).body.decision_id as string;
    const large = (await ctx.t.evaluate(name, { input: input(500) })).body.decision_id as string;
    await ctx.t.evaluate(name, { input: input(5) });

    const all = await allPages(ctx.t, `/v1/violations?ruleset=${name}&limit=1`);
    expect(all).toHaveLength(3);
    const critical = await allPages(ctx.t, `/v1/violations?ruleset=${name}&severity=critical`);
    expect(critical).toEqual([expect.objectContaining({ decision_id: both, rule: 'restricted', severity: 'critical', message: 'country IR is restricted', resolved: false })]);
    const tooLarge = await allPages(ctx.t, `/v1/violations?ruleset=${name}&rule=too_large`);
    expect(tooLarge.map((v) => v['decision_id']).sort()).toEqual([both, large].sort());
    const ofOne = await allPages(ctx.t, `/v1/violations?decision_id=${both}`);
    expect(ofOne.map((v) => v['rule']).sort()).toEqual(['restricted', 'too_large']);
    const resolved = await allPages(ctx.t, `/v1/violations?ruleset=${name}&resolved=true`);
    expect(resolved).toHaveLength(0);
  });

  it('keeps only a hash of the input, or nothing, when configured', async () => {
    const name = uniqueName('hashonly');
    await ctx.t.deploy(name, policy(name));
    const { createApp } = await import('../src/app.ts');
    for (const logInputs of ['hash', 'none'] as const) {
      const app = createApp({ ...ctx.t.services, config: { ...ctx.t.services.config, logInputs } }).app;
      const res = await app.request(`/v1/rulesets/${name}/evaluate`, { method: 'POST', body: JSON.stringify({ input: input(5) }), headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.t.keys.evaluate}` } });
      const id = ((await res.json()) as { decision_id: string }).decision_id;
      const logged = (await allPages(ctx.t, `/v1/decisions?ruleset=${name}`)).find((d) => d['decision_id'] === id)!;
      expect(logged['input']).toBeNull();
      if (logInputs === 'hash') expect(logged['input_hash']).toMatch(/^sha256:[0-9a-f]{64}$/);
      else expect(logged['input_hash']).toBeNull();
    }
  });
});

/** Reads server-sent events from a stream until `until` matches one (the reader is cancelled afterwards). */
async function readEvents(response: Response, until: (events: Array<{ event: string; data: Record<string, unknown> }>) => boolean): Promise<Array<{ event: string; data: Record<string, unknown> }>> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: Record<string, unknown> }> = [];
  let buffer = '';
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: ?(.*)$/m.exec(block)?.[1];
        const data = /^data: ?(.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
      }
    }
  } finally {
    await reader.cancel();
  }
  return events;
}

forEachDriver('events', (ctx) => {
  it('streams policy_validation_completed after an evaluation and channel_moved after a move, once each', async () => {
    const name = uniqueName('sse');
    await ctx.t.deploy(name, policy(name));
    await ctx.t.publish(name, policy(name, { limit: 7 }));
    const controller = new AbortController();
    const response = await ctx.t.raw('GET', `/v1/events?ruleset=${encodeURIComponent(name)}`, { key: 'read' }, controller.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const subscribersBefore = ctx.t.services.events.size;
    expect(subscribersBefore).toBeGreaterThan(0);

    const other = uniqueName('other');
    await ctx.t.deploy(other, policy(other));
    await ctx.t.evaluate(other, { input: input(5) }); // filtered out: another ruleset
    const decision = (await ctx.t.evaluate(name, { input: input(500) })).body;
    await ctx.t.move(name, 'production', 2);
    await ctx.t.request('PATCH', `/v1/rulesets/${name}/channels/production/params`, { key: 'publish', json: { params: { limit: 9 } } });
    // a final marker: once it arrives every earlier event has been delivered
    await ctx.t.publish(name, policy(name, { limit: 8 }));

    const events = await readEvents(response, (es) => es.some((e) => e.event === 'version_published' && e.data['version'] === 3));
    controller.abort();
    expect(events[0]?.event).toBe('ready');
    for (const e of events) if (e.event !== 'ready') expect(e.data['ruleset']).toBe(name);
    const completed = events.filter((e) => e.event === 'policy_validation_completed');
    expect(completed).toEqual([{ event: 'policy_validation_completed', data: expect.objectContaining({ decision_id: decision.decision_id, decision: 'deny', version: 1, channel: 'production', violations: ['too_large'] }) }]);
    const moved = events.filter((e) => e.event === 'channel_moved');
    expect(moved).toHaveLength(1);
    expect(moved[0]!.data).toMatchObject({ ruleset: name, channel: 'production', version: 2, revision: 2 });
    const params = events.filter((e) => e.event === 'params_changed');
    expect(params).toHaveLength(1);
    expect(params[0]!.data).toMatchObject({ revision: 3 });
    // the subscription ends with the stream
    for (let i = 0; i < 50 && ctx.t.services.events.size >= subscribersBefore; i++) await new Promise((r) => setTimeout(r, 20));
    expect(ctx.t.services.events.size).toBe(subscribersBefore - 1);
  });
});

forEachDriver('events and revoked keys', (ctx) => {
  it('ends the stream of a key revoked while it is open, before delivering another decision', async () => {
    const name = uniqueName('sse_revoke');
    await ctx.t.deploy(name, policy(name));
    const created = await ctx.t.request('POST', '/v1/keys', { json: { name: 'watcher', scopes: ['read'] } });
    expect(created.status).toBe(201);
    const controller = new AbortController();
    const response = await ctx.t.raw('GET', `/v1/events?ruleset=${encodeURIComponent(name)}`, { key: created.body.key }, controller.signal);
    expect(response.status).toBe(200);
    const before = (await ctx.t.evaluate(name, { input: input(500) })).body;
    expect((await ctx.t.request('DELETE', `/v1/keys/${created.body.id}`)).status).toBe(204);
    const after = (await ctx.t.evaluate(name, { input: input(600) })).body;
    const events = await readEvents(response, (es) => es.some((e) => e.event === 'revoked'));
    controller.abort();
    const delivered = events.filter((e) => e.event === 'policy_validation_completed').map((e) => e.data['decision_id']);
    expect(delivered).not.toContain(after.decision_id);
    expect(events.at(-1)).toMatchObject({ event: 'revoked' });
    expect(delivered.length <= 1 && (delivered.length === 0 || delivered[0] === before.decision_id)).toBe(true);
  });
});

forEachDriver('impact', (ctx) => {
  it('reports the exact number of logged decisions an unsaved threshold change would flip', async () => {
    const name = uniqueName('impact');
    await ctx.t.deploy(name, policy(name, { limit: 100 }));
    const amounts = [10, 40, 60, 80, 90, 99, 100, 150, 400];
    for (const amount of amounts) await ctx.t.evaluate(name, { input: input(amount) });
    // limit 100 -> 50: amounts in (50, 100] flip from allow to deny
    const flips = amounts.filter((a) => a > 50 && a <= 100).length;
    const res = await ctx.t.request('POST', `/v1/rulesets/${name}/impact`, { key: 'read', json: { source: policy(name, { limit: 50 }) } });
    expect(res.status, res.text).toBe(200);
    const impact = res.body.impact[name];
    expect(impact).toMatchObject({ evaluated: amounts.length, changed: flips, transitions: [{ from: 'allow', to: 'deny', count: flips }] });
    expect(impact.rules).toEqual([{ rule: 'too_large', nowFires: flips, noLongerFires: 0 }]);
    expect(res.body.base).toEqual({ channel: 'production', version: 1 });
    expect(JSON.stringify(res.body.rulesets)).toContain('limit');

    // extra request inputs are replayed too, and a limit bounds the logged ones
    const limited = await ctx.t.request('POST', `/v1/rulesets/${name}/impact`, { key: 'read', json: { source: policy(name, { limit: 50 }), limit: 2, inputs: [input(75)] } });
    expect(limited.body.impact[name].evaluated).toBe(3);

    // the candidate is compared under the channel's params
    await ctx.t.request('PATCH', `/v1/rulesets/${name}/channels/production/params`, { key: 'publish', json: { params: { limit: 95 } } });
    const withParams = await ctx.t.request('POST', `/v1/rulesets/${name}/impact`, { key: 'read', json: { source: policy(name, { limit: 50 }) } });
    expect(withParams.body.impact[name].changed).toBe(0);

    // nothing was published
    expect((await ctx.t.request('GET', `/v1/rulesets/${name}/versions`, { key: 'read' })).body.items).toHaveLength(1);
  });

  it('compares a published candidate version and refuses a candidate of another ruleset', async () => {
    const name = uniqueName('impactv');
    await ctx.t.deploy(name, policy(name, { limit: 100 }));
    for (const amount of [30, 70]) await ctx.t.evaluate(name, { input: input(amount) });
    await ctx.t.publish(name, policy(name, { limit: 20 }));
    const res = await ctx.t.request('POST', `/v1/rulesets/${name}/impact`, { key: 'read', json: { version: 2 } });
    expect(res.body.impact[name]).toMatchObject({ evaluated: 2, changed: 2 });
    const foreign = await ctx.t.request('POST', `/v1/rulesets/${name}/impact`, { key: 'read', json: { source: policy(uniqueName('foreign')) } });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.code).toBe('name_mismatch');
    const both = await ctx.t.request('POST', `/v1/rulesets/${name}/impact`, { key: 'read', json: { version: 2, source: policy(name) } });
    expect(both.status).toBe(400);
  });

  it("replays the channel's version with the params it evaluates with, not a stale stored override", async () => {
    const name = uniqueName('impactstale');
    await ctx.t.deploy(name, policy(name, { limit: 100 }));
    // An override its version refuses, written as an older server could have: the channel evaluates with the defaults.
    await ctx.store.setChannelParams(name, 'production', { limit: 'high' }, 'test');
    const amounts = [10, 60, 80, 150];
    for (const amount of amounts) expect((await ctx.t.evaluate(name, { input: input(amount) })).status).toBe(200);

    const res = await ctx.t.request('POST', `/v1/rulesets/${name}/impact`, { key: 'read', json: { source: policy(name, { limit: 50 }) } });
    expect(res.status, res.text).toBe(200);
    // limit 100 (the default the channel really used) -> 50 (the candidate's default: it refuses the override too)
    expect(res.body.impact[name]).toMatchObject({ evaluated: 4, changed: 2, validityChanged: 0, transitions: [{ from: 'allow', to: 'deny', count: 2 }] });
    expect(res.body.replay).toEqual({
      params: { current: { limit: 100, mode: 'strict' }, candidate: { limit: 50, mode: 'strict' } },
      candidate_defaulted: [expect.objectContaining({ path: 'limit', message: expect.any(String) })],
      invalid: { current: 0, candidate: 0 },
      // every logged input has its `secret` redacted
      redacted: 4,
      without_input: 0,
    });
  });

  it('replays the candidate with its default for an override it refuses, and counts invalid and unreplayable inputs', async () => {
    const name = uniqueName('impactparams');
    await ctx.t.deploy(name, policy(name));
    await ctx.t.request('PATCH', `/v1/rulesets/${name}/channels/production/params`, { key: 'publish', json: { params: { mode: 'lax' } } });
    expect((await ctx.t.evaluate(name, { input: input(10) })).body.decision).toBe('warn');
    expect((await ctx.t.evaluate(name, { input: input(500) })).body.decision).toBe('deny');
    // one decision logged with only the hash of its input: it cannot be replayed
    const { createApp } = await import('../src/app.ts');
    const hashOnly = createApp({ ...ctx.t.services, config: { ...ctx.t.services.config, logInputs: 'hash' } }).app;
    const hashed = await hashOnly.request(`/v1/rulesets/${name}/evaluate`, { method: 'POST', body: JSON.stringify({ input: input(20) }), headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.t.keys.evaluate}` } });
    expect(hashed.status).toBe(200);

    // the candidate renames the value `lax` to `relaxed`: the channel's override does not fit it
    const candidate = policy(name).replace('param mode: "strict" | "lax"', 'param mode: "strict" | "relaxed"').replace('warn when mode == "lax"', 'warn when mode == "relaxed"');
    const res = await ctx.t.request('POST', `/v1/rulesets/${name}/impact`, { key: 'read', json: { source: candidate, inputs: [{ amount: -1, country: 'FR', secret: 'x' }] } });
    expect(res.status, res.text).toBe(200);
    // compared, not refused: warn -> allow for amount 10 (mode is the candidate's default), deny stays deny
    expect(res.body.impact[name]).toMatchObject({ evaluated: 3, changed: 1, validityChanged: 0, transitions: [{ from: 'warn', to: 'allow', count: 1 }] });
    expect(res.body.replay).toEqual({
      params: { current: { limit: 100, mode: 'lax' }, candidate: { limit: 100, mode: 'strict' } },
      candidate_defaulted: [expect.objectContaining({ path: 'mode' })],
      invalid: { current: 1, candidate: 1 },
      redacted: 3,
      without_input: 1,
    });
    expect(res.body.base).toEqual({ channel: 'production', version: 1 });
  });
});

forEachDriver('a stored version that no longer compiles', (ctx) => {
  it('answers 503 ruleset_unavailable with the diagnostics, by channel and by version, and recovers after a fix', async () => {
    const name = uniqueName('stale');
    // Written straight to the store, as an older server (or another language version) could have.
    const stored = await ctx.store.publishVersion({ ruleset: name, source: brokenPolicy(name), hash: `sha256:${'0'.repeat(64)}`, author: 'test' });
    await ctx.store.moveChannel(name, 'production', stored.version, 'test');
    for (const body of [{ input: { a: 1 } }, { input: { a: 1 }, version: stored.version }]) {
      const res = await ctx.t.raw('POST', `/v1/rulesets/${name}/evaluate`, { key: 'evaluate', json: body });
      const answer: unknown = await res.json();
      expect(res.status, JSON.stringify(answer)).toBe(503);
      expectErrorShape(answer, 'evaluate');
      const error = (answer as { error: { code: string; details: Array<{ path: string; message: string }> } }).error;
      expect(error.code).toBe('ruleset_unavailable');
      expect(error.details.length).toBeGreaterThan(0);
      expect(error.details[0]).toMatchObject({ path: 'source', message: expect.any(String) });
    }
    // a fixed version on the channel serves again (the failed load was not cached)
    await ctx.t.deploy(name, policy(name));
    expect((await ctx.t.evaluate(name, { input: input(5) })).status).toBe(200);
  });
});
