// Publishing versions (numbering, no-op republish, stale parents, concurrency) and
// channels (move, history, rollback) with their params (patch, reset, audit).
import { expect, it } from 'vitest';
import { forEachDriver, SLOW, uniqueName } from './harness.ts';
import { input, policy } from './policies.ts';

forEachDriver('publish', (ctx) => {
  it('numbers versions 1, 2, 3 with parents and metadata', async () => {
    const name = uniqueName('pub');
    for (const [i, limit] of [10, 20, 30].entries()) {
      const res = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { key: 'publish', json: { source: policy(name, { limit }), message: `limit ${limit}` } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ ruleset: name, version: i + 1, created: true, message: `limit ${limit}`, author: 'key:test-publish', parent_version: i === 0 ? null : i });
      expect(res.body.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    const list = await ctx.t.request('GET', `/v1/rulesets/${name}/versions`, { key: 'read' });
    expect(list.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    const two = await ctx.t.request('GET', `/v1/rulesets/${name}/versions/2`, { key: 'read' });
    expect(two.body).toMatchObject({ version: 2, source: policy(name, { limit: 20 }) });
    const rulesets = await ctx.t.request('GET', '/v1/rulesets', { key: 'read' });
    expect(rulesets.body.items).toContainEqual(expect.objectContaining({ name, latest_version: 3 }));
  });

  it('returns the existing version for an identical canonical source (200, created false)', async () => {
    const name = uniqueName('same');
    const source = policy(name);
    const first = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { json: { source } });
    expect(first.status).toBe(201);
    const again = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { json: { source, message: 'again' } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 1, created: false, hash: first.body.hash });
    // formatting-only edits (spacing, blank lines) have the same canonical form
    const reformatted = source.replace('deny when amount > limit', 'deny when   amount>limit').replace('\nrule restricted', '\n\n\nrule restricted');
    expect(reformatted).not.toBe(source);
    const spaced = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { json: { source: reformatted } });
    expect(spaced.status, spaced.text).toBe(200);
    expect(spaced.body).toMatchObject({ version: 1, created: false });
    const list = await ctx.t.request('GET', `/v1/rulesets/${name}/versions`, { key: 'read' });
    expect(list.body.items).toHaveLength(1);
  });

  it('refuses a publish on a stale base (409) and accepts the current one', async () => {
    const name = uniqueName('stale');
    await ctx.t.publish(name, policy(name, { limit: 1 }));
    await ctx.t.publish(name, policy(name, { limit: 2 }), { expected_parent: 1 });
    const stale = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { json: { source: policy(name, { limit: 3 }), expected_parent: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_parent');
    expect(stale.body.error.message).toContain('2');
    const none = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { json: { source: policy(name, { limit: 3 }), expected_parent: null } });
    expect(none.status).toBe(409);
    const ok = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { json: { source: policy(name, { limit: 3 }), expected_parent: 2 } });
    expect(ok.status).toBe(201);
    expect(ok.body.version).toBe(3);
    const fresh = uniqueName('fresh');
    const first = await ctx.t.request('POST', `/v1/rulesets/${fresh}/versions`, { json: { source: policy(fresh), expected_parent: null } });
    expect(first.status).toBe(201);
  });

  it('refuses a source naming another ruleset (422 name_mismatch)', async () => {
    const name = uniqueName('mine');
    const res = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { json: { source: policy(uniqueName('theirs')) } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('name_mismatch');
    expect((await ctx.t.request('GET', `/v1/rulesets/${name}/versions`)).status).toBe(404);
  });

  it(
    'gives 50 parallel publishes versions 1..50 with no gap or duplicate',
    async () => {
      const name = uniqueName('par');
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { key: 'publish', json: { source: policy(name, { limit: i + 1 }), message: `n${i}` } })),
      );
      for (const r of responses) expect(r.status, r.text).toBe(201);
      const versions = responses.map((r) => r.body.version as number).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const stored = await ctx.t.request('GET', `/v1/rulesets/${name}/versions`, { key: 'read' });
      expect(stored.body.items.map((v: { version: number }) => v.version)).toEqual(Array.from({ length: 50 }, (_, i) => 50 - i));
      // each version holds the source its response claimed
      for (const r of responses.slice(0, 5)) {
        const v = await ctx.t.request('GET', `/v1/rulesets/${name}/versions/${r.body.version}`, { key: 'read' });
        expect(v.body.message).toBe(r.body.message);
      }
    },
    SLOW,
  );

  it('serves a semantic diff between versions', async () => {
    const name = uniqueName('diff');
    await ctx.t.publish(name, policy(name, { limit: 10 }));
    await ctx.t.publish(name, policy(name, { limit: 20 }));
    const res = await ctx.t.request('GET', `/v1/rulesets/${name}/diff?from=1&to=2`, { key: 'read' });
    expect(res.status).toBe(200);
    expect(res.body.rulesets).toHaveLength(1);
    expect(JSON.stringify(res.body.rulesets[0])).toContain('limit');
  });
});

forEachDriver('channels and params', (ctx) => {
  it('moves a channel, keeps its history and rolls back', async () => {
    const name = uniqueName('chan');
    await ctx.t.publish(name, policy(name, { limit: 100 }));
    await ctx.t.publish(name, policy(name, { limit: 50 }));
    const moved = await ctx.t.request('PUT', `/v1/rulesets/${name}/channels/production`, { key: 'publish', json: { version: 1, reason: 'first' } });
    expect(moved.body).toMatchObject({ ruleset: name, channel: 'production', revision: 1, version: 1, reason: 'first', author: 'key:test-publish' });
    expect((await ctx.t.evaluate(name, { input: input(75) })).body).toMatchObject({ decision: 'allow', version: 1, channel: 'production' });

    await ctx.t.move(name, 'production', 2);
    expect((await ctx.t.evaluate(name, { input: input(75) })).body).toMatchObject({ decision: 'deny', version: 2 });

    const history = await ctx.t.request('GET', `/v1/rulesets/${name}/channels/production/history`, { key: 'read' });
    expect(history.body.items.map((s: { revision: number; version: number }) => [s.revision, s.version])).toEqual([
      [2, 2],
      [1, 1],
    ]);

    const rolled = await ctx.t.request('POST', `/v1/rulesets/${name}/channels/production/rollback`, { key: 'publish', json: { revision: 1 } });
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ revision: 3, version: 1 });
    expect((await ctx.t.evaluate(name, { input: input(75) })).body).toMatchObject({ decision: 'allow', version: 1 });
    const after = await ctx.t.request('GET', `/v1/rulesets/${name}/channels/production/history?limit=2`, { key: 'read' });
    expect(after.body.items.map((s: { revision: number }) => s.revision)).toEqual([3, 2]);

    const channels = await ctx.t.request('GET', `/v1/rulesets/${name}/channels`, { key: 'read' });
    expect(channels.body.items).toEqual([expect.objectContaining({ channel: 'production', revision: 3, version: 1 })]);
    const one = await ctx.t.request('GET', `/v1/rulesets/${name}/channels/production`, { key: 'read' });
    expect(one.body).toMatchObject({ revision: 3, version: 1 });
  });

  it("lists a ruleset's channels: an empty list while it has none, 404 for a ruleset that does not exist", async () => {
    const name = uniqueName('nochan');
    await ctx.t.publish(name, policy(name));
    const none = await ctx.t.request('GET', `/v1/rulesets/${name}/channels`, { key: 'read' });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ items: [] });
    const ghost = uniqueName('ghost');
    const missing = await ctx.t.request('GET', `/v1/rulesets/${ghost}/channels`, { key: 'read' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', message: `ruleset \`${ghost}\` not found` });
    // as its versions answer
    expect((await ctx.t.request('GET', `/v1/rulesets/${ghost}/versions`, { key: 'read' })).status).toBe(404);
  });

  it('a params patch that changes nothing answers the current state without a revision or an audit event', async () => {
    const name = uniqueName('noop');
    await ctx.t.deploy(name, policy(name, { limit: 100 }));
    const paramsPath = `/v1/rulesets/${name}/channels/production/params`;
    const patched = await ctx.t.request('PATCH', paramsPath, { key: 'publish', json: { params: { limit: 50 } } });
    expect(patched.body).toMatchObject({ revision: 2, overrides: { limit: 50 } });

    const noops = [{ mode: null }, { limit: 50 }, { limit: 50, mode: null }];
    for (const params of noops) {
      const res = await ctx.t.request('PATCH', paramsPath, { key: 'publish', json: { params, reason: 'no change' } });
      expect(res.status, JSON.stringify(params)).toBe(200);
      expect(res.body).toMatchObject({ revision: 2, values: { limit: 50, mode: 'strict' }, overrides: { limit: 50 } });
    }
    const history = await ctx.t.request('GET', `/v1/rulesets/${name}/channels/production/history`, { key: 'read' });
    expect(history.body.items.map((s: { revision: number }) => s.revision)).toEqual([2, 1]);
    const audit = await ctx.t.request('GET', `/v1/audit?ruleset=${name}&action=channel.params`);
    expect(audit.body.items).toHaveLength(1);

    // a real change still makes a revision
    const changed = await ctx.t.request('PATCH', paramsPath, { key: 'publish', json: { params: { limit: 40, mode: null } } });
    expect(changed.body).toMatchObject({ revision: 3, overrides: { limit: 40 } });
  });

  it('keeps channels apart: staging and production evaluate different versions', async () => {
    const name = uniqueName('apart');
    await ctx.t.deploy(name, policy(name, { limit: 100 }));
    await ctx.t.deploy(name, policy(name, { limit: 10 }), 'staging');
    expect((await ctx.t.evaluate(name, { input: input(50) })).body).toMatchObject({ decision: 'allow', channel: 'production', version: 1 });
    expect((await ctx.t.evaluate(name, { input: input(50), channel: 'staging' })).body).toMatchObject({ decision: 'deny', channel: 'staging', version: 2 });
  });

  it('patches params: validated, a new revision, used by the next evaluation, audited; reset restores defaults', async () => {
    const name = uniqueName('params');
    await ctx.t.deploy(name, policy(name, { limit: 100 }));
    const paramsPath = `/v1/rulesets/${name}/channels/production/params`;
    expect((await ctx.t.evaluate(name, { input: input(75) })).body.decision).toBe('allow');

    const initial = await ctx.t.request('GET', paramsPath, { key: 'read' });
    expect(initial.body).toMatchObject({ values: { limit: 100, mode: 'strict' }, overrides: {}, revision: 1 });
    expect(initial.body.declarations.map((d: { name: string }) => d.name)).toEqual(['limit', 'mode']);

    const patched = await ctx.t.request('PATCH', paramsPath, { key: 'publish', json: { params: { limit: 50 }, reason: 'tighten' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ values: { limit: 50, mode: 'strict' }, overrides: { limit: 50 }, revision: 2 });
    const denied = await ctx.t.evaluate(name, { input: input(75) });
    expect(denied.body.decision).toBe('deny');
    expect(denied.body.violations.map((v: { rule: string }) => v.rule)).toEqual(['too_large']);
    expect(denied.body.violations[0].message).toBe('amount 75 exceeds 50');

    const lax = await ctx.t.request('PATCH', paramsPath, { key: 'publish', json: { params: { mode: 'lax' } } });
    expect(lax.body.overrides).toEqual({ limit: 50, mode: 'lax' });
    expect((await ctx.t.evaluate(name, { input: input(10) })).body.decision).toBe('warn');
    // a version pinned evaluation ignores channel params
    expect((await ctx.t.evaluate(name, { input: input(75), version: 1 })).body.decision).toBe('allow');

    const unset = await ctx.t.request('PATCH', paramsPath, { key: 'publish', json: { params: { mode: null } } });
    expect(unset.body.overrides).toEqual({ limit: 50 });
    expect((await ctx.t.evaluate(name, { input: input(10) })).body.decision).toBe('allow');

    // no body at all: reset everything
    const reset = await ctx.t.request('POST', `${paramsPath}/reset`, { key: 'publish' });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ values: { limit: 100, mode: 'strict' }, overrides: {} });
    expect((await ctx.t.evaluate(name, { input: input(75) })).body.decision).toBe('allow');
    expect((await ctx.t.request('GET', paramsPath, { key: 'read' })).body.values).toEqual({ limit: 100, mode: 'strict' });

    // a move keeps the channel's overrides
    await ctx.t.request('PATCH', paramsPath, { key: 'publish', json: { params: { limit: 60 } } });
    await ctx.t.publish(name, policy(name, { limit: 1000 }));
    await ctx.t.move(name, 'production', 2);
    expect((await ctx.t.evaluate(name, { input: input(75) })).body).toMatchObject({ decision: 'deny', version: 2 });

    const audit = await ctx.t.request('GET', `/v1/audit?ruleset=${name}&action=channel.params`);
    expect(audit.status).toBe(200);
    const events = audit.body.items as Array<{ actor: string; action: string; channel: string; old: { params: unknown; revision: number }; new: { params: unknown; revision: number } }>;
    // newest first: limit 60, reset, mode unset, mode lax, limit 50
    expect(events.map((e) => e.new.params)).toEqual([{ limit: 60 }, {}, { limit: 50 }, { limit: 50, mode: 'lax' }, { limit: 50 }]);
    expect(events.map((e) => e.old.params)).toEqual([{}, { limit: 50 }, { limit: 50, mode: 'lax' }, { limit: 50 }, {}]);
    for (const e of events) {
      expect(e).toMatchObject({ actor: 'key:test-publish', action: 'channel.params', channel: 'production' });
      expect(e.new.revision).toBe(e.old.revision + 1);
    }
    const all = await ctx.t.request('GET', `/v1/audit?ruleset=${name}`);
    const actions = all.body.items.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a === 'channel.move')).toHaveLength(2);
    expect(actions.filter((a: string) => a === 'version.publish')).toHaveLength(2);
    expect(all.body.items.find((e: { action: string }) => e.action === 'version.publish').actor).toBe('key:test-admin');
  });

  it('refuses to move a channel to a version its param overrides do not fit (422, nothing changes); rollback restores a revision whole', async () => {
    const name = uniqueName('movecheck');
    // `a` is a number in v1, a string in v2, gone in v3
    const source = (param: string) => `ruleset ${name}

input { x: number }

decision deny > allow

${param}

output x_copy: number = x
${param === '' ? '' : 'output a_value = a'}

rule big {
  severity low
  deny when x > 100
  because "big"
}
`;
    await ctx.t.deploy(name, source('param a: number = 1'));
    await ctx.t.publish(name, source('param a: string = "one"'));
    await ctx.t.publish(name, source(''));
    const channelPath = `/v1/rulesets/${name}/channels/production`;
    expect((await ctx.t.request('PATCH', `${channelPath}/params`, { key: 'publish', json: { params: { a: 5 } } })).status).toBe(200);

    const refused = await ctx.t.request('PUT', channelPath, { key: 'publish', json: { version: 2 } });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.error.code).toBe('invalid_params');
    expect(refused.body.error.message).toContain('`a`');
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: expect.stringMatching(/^a\b/), message: expect.any(String) })]);
    // nothing changed: same revision, version and overrides, and evaluation still uses them
    expect((await ctx.t.request('GET', channelPath, { key: 'read' })).body).toMatchObject({ revision: 2, version: 1, params: { a: 5 } });
    expect((await ctx.t.request('GET', `${channelPath}/history`, { key: 'read' })).body.items).toHaveLength(2);
    expect((await ctx.t.evaluate(name, { input: { x: 1 } })).body).toMatchObject({ version: 1, outputs: { a_value: 5 } });

    // a version that no longer declares the param is refused too
    const undeclared = await ctx.t.request('PUT', channelPath, { key: 'publish', json: { version: 3 } });
    expect(undeclared.status).toBe(422);
    expect(undeclared.body.error.details).toEqual([expect.objectContaining({ path: 'a' })]);

    // the way through: reset the override, move, set it again in the new type
    await ctx.t.request('POST', `${channelPath}/params/reset`, { key: 'publish', json: { names: ['a'] } });
    await ctx.t.move(name, 'production', 2);
    expect((await ctx.t.request('PATCH', `${channelPath}/params`, { key: 'publish', json: { params: { a: 'five' } } })).status).toBe(200);
    expect((await ctx.t.evaluate(name, { input: { x: 1 } })).body).toMatchObject({ version: 2, outputs: { a_value: 'five' } });

    // a rollback restores the revision's own version and overrides together (revision 2: v1, a = 5)
    const rolled = await ctx.t.request('POST', `${channelPath}/rollback`, { key: 'publish', json: { revision: 2 } });
    expect(rolled.body).toMatchObject({ version: 1, params: { a: 5 } });
    expect((await ctx.t.evaluate(name, { input: { x: 1 } })).body).toMatchObject({ version: 1, outputs: { a_value: 5 } });
  });

  it('pages the audit log with a cursor', async () => {
    const name = uniqueName('auditpage');
    await ctx.t.deploy(name, policy(name));
    for (const limit of [1, 2, 3, 4]) await ctx.t.request('PATCH', `/v1/rulesets/${name}/channels/production/params`, { key: 'publish', json: { params: { limit } } });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: number }>; next_cursor: string | null } } = await ctx.t.request('GET', `/v1/audit?ruleset=${name}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((e) => e.id));
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });
});
