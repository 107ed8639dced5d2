// Answers stay proportionate to their requests where the caller chooses the work: a batch, an
// explained evaluation, an impact replay. Past the bound the answer is 422 `response_too_large`
// and nothing is logged; `max_response_bytes` asks for more, within the server's limit.
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { RESPONSE_FLOOR_BYTES } from '../src/proportion.ts';
import { forEachDriver, SLOW, uniqueName } from './harness.ts';
import { input, policy } from './policies.ts';

forEachDriver('proportionate answers', (ctx) => {
  const name = uniqueName('prop');
  const logged = async () => {
    await ctx.t.services.log.flush();
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await ctx.store.queryDecisions({ ruleset: name, limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
      count += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return count;
  };

  beforeAll(async () => {
    await ctx.t.deploy(name, policy(name));
  }, SLOW);

  it('a batch whose answer passes the bound is 422 response_too_large and logs nothing; max_response_bytes asks for more', async () => {
    // ratio 2: a request may receive max(1 MiB, 2 × its size)
    const strict = createApp({ ...ctx.t.services, config: { ...ctx.t.services.config, responseRatio: 2 } }).app;
    const post = (body: unknown) =>
      strict.request(`/v1/rulesets/${name}/evaluate/batch`, { method: 'POST', headers: { authorization: `Bearer ${ctx.t.keys.evaluate}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const inputs = Array.from({ length: 1500 }, (_, i) => input(i + 1));
    const before = await logged();
    const refused = await post({ inputs, explain: true });
    expect(refused.status).toBe(422);
    const error = ((await refused.json()) as { error: { code: string; message: string; details: Array<{ path: string; limit: number }> } }).error;
    expect(error.code).toBe('response_too_large');
    expect(error.details[0]).toMatchObject({ path: 'body/max_response_bytes', limit: RESPONSE_FLOOR_BYTES });
    expect(await logged()).toBe(before);

    const asked = await post({ inputs, explain: true, max_response_bytes: 32 * 1024 * 1024 });
    expect(asked.status).toBe(200);
    const text = await asked.text();
    expect(text.length).toBeGreaterThan(RESPONSE_FLOOR_BYTES);
    expect((JSON.parse(text) as { results: unknown[] }).results).toHaveLength(1500);
    expect(await logged()).toBe(before + 1500);

    // beyond the server's limit is not a thing a caller can ask for
    const tooMuch = await post({ inputs: [input(1)], max_response_bytes: 2 * 1024 * 1024 * 1024 });
    expect(tooMuch.status).toBe(400);
  }, SLOW);

  it('an explained evaluation and an impact replay are bounded the same way', async () => {
    const before = await logged();
    const explained = await ctx.t.evaluate(name, { input: input(500), explain: true, max_response_bytes: 200 });
    expect(explained.status).toBe(422);
    expect(explained.body.error.code).toBe('response_too_large');
    expect(await logged()).toBe(before);
    const fits = await ctx.t.evaluate(name, { input: input(500), explain: true });
    expect(fits.status).toBe(200);
    expect(fits.body.trace).not.toBeNull();

    const impact = await ctx.t.request('POST', `/v1/rulesets/${name}/impact`, { key: 'read', json: { source: policy(name, { limit: 5 }), inputs: [input(10)], max_response_bytes: 300 } });
    expect(impact.status).toBe(422);
    expect(impact.body.error.code).toBe('response_too_large');
    const whole = await ctx.t.request('POST', `/v1/rulesets/${name}/impact`, { key: 'read', json: { source: policy(name, { limit: 5 }), inputs: [input(10)] } });
    expect(whole.status).toBe(200);
  }, SLOW);
});
