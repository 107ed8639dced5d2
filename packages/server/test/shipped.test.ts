// POST /v1/decisions: decisions made by an embedded evaluator join the hash-chained log once
// each, only if a stored version could have made them, with sensitive input values redacted.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { expectErrorShape, forEachDriver, uniqueName } from './harness.ts';
import { policy } from './policies.ts';

forEachDriver('shipped decisions', (ctx) => {
  async function deployed(prefix: string): Promise<{ name: string; hash: string }> {
    const name = uniqueName(prefix);
    await ctx.t.deploy(name, policy(name));
    const hash = (await ctx.t.request('GET', `/v1/rulesets/${name}/versions/1`, { key: 'read' })).body.hash as string;
    return { name, hash };
  }

  const shipped = (name: string, hash: string, extra: Record<string, unknown> = {}) => ({
    decision_id: randomUUID(),
    ruleset: name,
    version: 1,
    hash,
    channel: 'production',
    decision: 'deny',
    violations: [{ rule: 'too_large', severity: 'high', message: 'amount 500 is over 100' }],
    outputs: { doubled: 1000 },
    duration_us: 3,
    created_at: '2026-12-01T10:00:00.000Z',
    ...extra,
  });

  it('appends decisions once each (a retry adds nothing) and the chain verifies', async () => {
    const { name, hash } = await deployed('ship');
    const batch = [shipped(name, hash), shipped(name, hash, { decision: 'allow', violations: [] })];
    const first = await ctx.t.request('POST', '/v1/decisions', { key: 'log', json: { decisions: batch } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ appended: 2, duplicates: 0 });
    const retry = await ctx.t.request('POST', '/v1/decisions', { key: 'log', json: { decisions: [...batch, shipped(name, hash)] } });
    expect(retry.body).toEqual({ appended: 1, duplicates: 2 });

    const logged = await ctx.t.request('GET', `/v1/decisions?ruleset=${name}`, { key: 'read' });
    expect(logged.body.items).toHaveLength(3);
    const first0 = logged.body.items.find((d: { decision_id: string }) => d.decision_id === batch[0]!.decision_id);
    expect(first0).toMatchObject({ version: 1, channel: 'production', decision: 'deny', violated_rules: ['too_large'], outputs: { doubled: 1000 }, created_at: '2026-12-01T10:00:00.000Z' });
    const violations = await ctx.t.request('GET', `/v1/violations?ruleset=${name}`, { key: 'read' });
    expect(violations.body.items).toHaveLength(2);
    expect((await ctx.store.verifyChain()).ok).toBe(true);
  });

  it('redacts sensitive fields of a shipped input again on arrival', async () => {
    const { name, hash } = await deployed('shipredact');
    const d = shipped(name, hash, { input: { amount: 500, country: 'FR', secret: 'TOP-SECRET' } });
    expect((await ctx.t.request('POST', '/v1/decisions', { key: 'log', json: { decisions: [d] } })).status).toBe(200);
    const logged = await ctx.t.request('GET', `/v1/decisions?ruleset=${name}`, { key: 'read' });
    expect(logged.body.items[0].input).toEqual({ amount: 500, country: 'FR', secret: '[redacted]' });
  });

  it('refuses, appending nothing, decisions no stored version could have made (422 with every path)', async () => {
    const { name, hash } = await deployed('shipbad');
    const good = shipped(name, hash);
    const bad = await ctx.t.request('POST', '/v1/decisions', {
      key: 'log',
      json: {
        decisions: [
          good,
          shipped(name, hash, { version: 7 }),
          shipped(name, `sha256:${'0'.repeat(64)}`),
          shipped(name, hash, { decision: 'maybe' }),
          shipped(name, hash, { violations: [{ rule: 'no_such_rule', severity: 'high', message: 'x' }] }),
          shipped(uniqueName('nothere'), hash),
        ],
      },
    });
    expect(bad.status).toBe(422);
    expectErrorShape(bad.body, 'shipped decisions');
    expect(bad.body.error.code).toBe('invalid_decisions');
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'body/decisions/1/version',
      'body/decisions/2/hash',
      'body/decisions/3/decision',
      'body/decisions/4/violations/0/rule',
      'body/decisions/5/version',
    ]);
    expect((await ctx.t.request('GET', `/v1/decisions?ruleset=${name}`, { key: 'read' })).body.items).toHaveLength(0);
  });

  it('checks the shape (400) and the scope: an evaluate key cannot write the log', async () => {
    const { name, hash } = await deployed('shipshape');
    const shapes = [{}, { decisions: [] }, { decisions: [{ ...shipped(name, hash), decision_id: 'not-a-uuid' }] }, { decisions: [{ ...shipped(name, hash), extra: 1 }] }];
    for (const json of shapes) {
      const res = await ctx.t.request('POST', '/v1/decisions', { key: 'log', json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expectErrorShape(res.body, 'shape');
    }
    const forbidden = await ctx.t.request('POST', '/v1/decisions', { key: 'evaluate', json: { decisions: [shipped(name, hash)] } });
    expect(forbidden.status).toBe(403);
  });
});
