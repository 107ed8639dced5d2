// The publish gate: a version whose own tests fail is refused (422 tests_failed, one detail per
// failing test), unless the request forces it with a reason, which the audit log records.
import { expect, it } from 'vitest';
import { forEachDriver, uniqueName } from './harness.ts';
import { policy } from './policies.ts';

/** The test policy with three tests: one passes, one expects the wrong decision, one the wrong score. */
function tested(name: string, limit: number): string {
  return policy(name, {
    limit,
    extra: `
test "a small amount is allowed" {
  input { amount: 5, country: "FR", secret: "s" }
  expect allow
}

test "a large amount is denied" {
  input { amount: 500, country: "FR", secret: "s" }
  expect deny by [too_large]
}

test "a large amount scores low" {
  input { amount: 500, country: "FR", secret: "s" }
  expect score 0.75
}
`,
  });
}

interface FailureDetail {
  test: string;
  line: number;
  message: string;
  failures: string[];
}

forEachDriver('publish gate', (ctx) => {
  it('refuses a version whose tests fail, naming each failing test; nothing is published', async () => {
    const name = uniqueName('gate');
    // limit 1000: the large amount is allowed, so two tests fail.
    const source = tested(name, 1000);
    const res = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { key: 'publish', json: { source } });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error.code).toBe('tests_failed');
    expect(res.body.error.message).toContain('2 tests of this version fail');
    const details = res.body.error.details as FailureDetail[];
    expect(details.map((d) => d.test)).toEqual(['a large amount is denied', 'a large amount scores low']);
    const lines = source.split('\n');
    for (const d of details) expect(lines[d.line - 1]).toBe(`test "${d.test}" {`);
    expect(details[0]!.failures).toEqual(['expected decision `deny`, got `allow` (no rule fired)', 'expected rule `too_large` to fire']);
    expect(details[0]!.message).toBe(details[0]!.failures.join('; '));
    expect(details[1]!.failures).toEqual(['expected score 0.75, got 1']);
    expect((await ctx.t.request('GET', `/v1/rulesets/${name}/versions`, { key: 'read' })).status).toBe(404);
  });

  it('publishes a version whose tests pass, with no forced mark in the audit log', async () => {
    const name = uniqueName('green');
    const ok = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { key: 'publish', json: { source: tested(name, 100).replace('expect score 0.75', 'expect score 0.6666666666666667') } });
    expect(ok.status, ok.text).toBe(201);
    const audit = await ctx.t.request('GET', `/v1/audit?ruleset=${name}&action=version.publish`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].new).not.toHaveProperty('forced');
  });

  it('publishes anyway with force and a reason, and the audit log records both and the failing tests', async () => {
    const name = uniqueName('forced');
    const source = tested(name, 1000);
    const blank = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { key: 'publish', json: { source, force: { reason: '   ' } } });
    expect([blank.status, blank.body.error.code]).toEqual([422, 'tests_failed']);
    expect(blank.body.error.message).toContain('`force.reason` must say why');
    const missing = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { key: 'publish', json: { source, force: {} } });
    expect(missing.status).toBe(400);

    const forced = await ctx.t.request('POST', `/v1/rulesets/${name}/versions`, { key: 'publish', json: { source, message: 'raise the limit', force: { reason: 'limit raised before the tests are rewritten (TICKET-7)' } } });
    expect(forced.status, forced.text).toBe(201);
    expect(forced.body).toMatchObject({ version: 1, created: true, message: 'raise the limit' });
    const audit = await ctx.t.request('GET', `/v1/audit?ruleset=${name}&action=version.publish`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actor: 'key:test-publish',
      new: { version: 1, forced: { reason: 'limit raised before the tests are rewritten (TICKET-7)', failing_tests: ['a large amount is denied', 'a large amount scores low'] } },
    });
  });
});
