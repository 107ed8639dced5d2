// The fuzzer's request generator (test/fuzz/generate.ts): the same requests as fast-check's
// sample for a seed, generated on a worker thread so the server under test is never held up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedRequests } from './fuzz/generate.ts';
import { operationsOf, requestArbitrary, type FuzzContext, type FuzzRequest } from './fuzz/requests.ts';

const openapi = {
  paths: {
    '/v1/things/{name}': {
      post: {
        parameters: [{ name: 'name', in: 'path', schema: { type: 'string' } }],
        requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['a'], properties: { a: { type: 'string' }, b: { type: 'array', items: { type: 'integer' } } } } } } },
      },
      get: { parameters: [{ name: 'name', in: 'path' }, { name: 'limit', in: 'query', schema: { type: 'string', pattern: '^[0-9]+$' } }] },
    },
  },
};
const ctx: FuzzContext = { keys: { admin: 'vd_admin_key_0123456789' }, ruleset: 'r', source: 'ruleset r', input: { amount: 1 }, spareKeyIds: [] };

async function all(requests: AsyncIterable<FuzzRequest>): Promise<FuzzRequest[]> {
  const out: FuzzRequest[] = [];
  for await (const request of requests) out.push(request);
  return out;
}

describe('fuzz request generator', () => {
  it('yields the requests of fc.sample chunk by chunk (seed + offset), so a seed repeats a run', async () => {
    const arbitrary = requestArbitrary(operationsOf(openapi), ctx);
    const expected = [...fc.sample(arbitrary, { numRuns: 70, seed: 42 }), ...fc.sample(arbitrary, { numRuns: 50, seed: 42 + 70 })];
    const got = await all(generatedRequests(openapi, ctx, { total: 120, seed: 42, chunk: 70 }));
    expect(got).toEqual(expected);
  });

  it('generates on another thread: this thread keeps turning while a chunk is made', async () => {
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setTimeout(tick, 1);
    };
    setTimeout(tick, 1);
    const iterator = generatedRequests(openapi, ctx, { total: 300, seed: 7, chunk: 300 })[Symbol.asyncIterator]();
    const turnsBefore = turns;
    const first = await iterator.next();
    ticking = false;
    await iterator.return(undefined);
    expect(first.done).toBe(false);
    // generated synchronously on this thread, no timer could have fired before the first request
    expect(turns).toBeGreaterThan(turnsBefore);
  });
});
