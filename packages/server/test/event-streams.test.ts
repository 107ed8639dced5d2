// Event streams: limits on open streams (per key and in total), filters by ruleset and event type,
// and a bounded buffer that drops a reader too slow for its traffic with a final `dropped` event.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FLUSH_INTERVAL_MS } from '../src/events.ts';
import { buildApp, forEachDriver, SLOW, uniqueName, type TestApp } from './harness.ts';
import { input, policy } from './policies.ts';

interface Sse {
  event: string;
  data: Record<string, unknown>;
}

/** Reads every event of `response` until it ends or `until` holds (then cancels). */
async function readAll(response: Response, until: (events: Sse[]) => boolean = () => false): Promise<Sse[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: Sse[] = [];
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

forEachDriver('event streams', (ctx) => {
  let t: TestApp;
  const name = uniqueName('streams');
  const other = uniqueName('streams_other');

  beforeAll(async () => {
    t = await buildApp(ctx.store, { eventStreamsPerKey: 2, eventStreams: 3, eventBuffer: 4096 }, ctx.t.keys);
    await t.deploy(name, policy(name));
    await t.deploy(other, policy(other));
  }, SLOW);
  afterAll(async () => {
    await t?.close();
  }, SLOW);

  it('refuses a stream past the per-key and the total limit (429 too_many_streams); a closed stream frees its place', async () => {
    const controllers: AbortController[] = [];
    const open = async (key: string) => {
      const controller = new AbortController();
      controllers.push(controller);
      return t.raw('GET', '/v1/events', { key }, controller.signal);
    };
    try {
      expect((await open('read')).status).toBe(200);
      expect((await open('read')).status).toBe(200);
      const perKey = await open('read');
      expect(perKey.status).toBe(429);
      expect(perKey.headers.get('retry-after')).toBe('5');
      expect(await perKey.json()).toMatchObject({ error: { code: 'too_many_streams', message: expect.stringContaining('this API key') } });
      expect((await open('admin')).status).toBe(200);
      const total = await open('admin');
      expect(total.status).toBe(429);
      expect(await total.json()).toMatchObject({ error: { code: 'too_many_streams', message: expect.stringContaining('the server') } });
      expect(t.services.events.size).toBe(3);
      controllers[0]!.abort();
      for (let i = 0; i < 50 && t.services.events.size > 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect((await open('read')).status).toBe(200);
    } finally {
      for (const c of controllers) c.abort();
      for (let i = 0; i < 50 && t.services.events.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    }
    expect(t.services.events.size).toBe(0);
  });

  it('delivers only what a stream asked for: its ruleset, its event types', async () => {
    const controller = new AbortController();
    const response = await t.raw('GET', `/v1/events?ruleset=${encodeURIComponent(name)}&types=channel_moved,version_published`, { key: 'read' }, controller.signal);
    expect(response.status).toBe(200);
    await t.evaluate(name, { input: input(500) }); // a decision: not asked for
    await t.publish(other, policy(other, { limit: 3 })); // another ruleset
    await t.move(other, 'production', 2);
    await t.publish(name, policy(name, { limit: 4 }));
    await t.move(name, 'production', 2);
    const events = await readAll(response, (es) => es.some((e) => e.event === 'channel_moved'));
    controller.abort();
    expect(events.map((e) => e.event)).toEqual(['ready', 'version_published', 'channel_moved']);
    expect(events[0]!.data).toEqual({ ruleset: name, types: ['channel_moved', 'version_published'] });
    for (const e of events.slice(1)) expect(e.data['ruleset']).toBe(name);

    const bad = await t.request('GET', '/v1/events?types=policy_validation_completed,nope', { key: 'read' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('query/types');
  });

  it('drops a reader too slow for its traffic with a final dropped event; evaluation does not wait for it', async () => {
    const controller = new AbortController();
    const response = await t.raw('GET', `/v1/events?ruleset=${encodeURIComponent(name)}`, { key: 'read' }, controller.signal);
    const droppedBefore = t.services.events.dropped;
    // nothing reads the stream while 100 decisions (far more than 4 KB of events) are made
    for (let i = 0; i < 100; i++) {
      expect((await t.evaluate(name, { input: input(i + 1) })).status).toBe(200);
      if (i === 4) await new Promise((r) => setTimeout(r, FLUSH_INTERVAL_MS + 150)); // the first five are written to the stream
    }
    // found too slow when the next flush would write to it
    for (let i = 0; i < 100 && t.services.events.dropped === droppedBefore; i++) await new Promise((r) => setTimeout(r, 20));
    expect(t.services.events.dropped).toBe(droppedBefore + 1);
    expect(t.services.events.size).toBe(0);
    const events = await readAll(response);
    controller.abort();
    expect(events.at(-1)).toMatchObject({ event: 'dropped', data: { reason: 'slow_reader', buffered_bytes: expect.any(Number) } });
    const delivered = events.filter((e) => e.event === 'policy_validation_completed');
    expect(delivered.length).toBeGreaterThanOrEqual(5);
    expect(delivered.length).toBeLessThan(100);
  });

  it('HEAD opens no stream', async () => {
    const response = await t.raw('HEAD', '/v1/events', { key: 'read' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await response.text()).toBe('');
    expect(t.services.events.size).toBe(0);
  });
});
