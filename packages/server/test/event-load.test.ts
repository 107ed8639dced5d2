// 1,000 event streams that never read, open while evaluations arrive at a steady rate: every
// evaluation is answered and its p99 latency stays within 20% of the same load without streams.
// (Before, every decision was written to every stream on the evaluation's path.)
//
// Latency on a shared machine is noisy, and noise only ever adds: a round is a baseline window and
// a window with the streams open, and the test passes on the first of up to three rounds whose p99
// holds, failing only when every round is slower. Every evaluation of every round must be answered.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/serve.ts';
import { forEachDriver, SLOW, silentLogger, testConfig, uniqueName } from './harness.ts';
import { input, policy } from './policies.ts';

const STREAMS = 1000;
const RATE_PER_SECOND = 100;
const WINDOW_MS = 2000;
const ROUNDS = 3;
/**
 * Within 20% of the baseline's p99, or 2 ms over it: a p99 of 3-5 ms moves by a millisecond with
 * the scheduler alone when other test files run beside this one (2 cores), so 20% of it is below
 * what can be measured here; a stall from the streams (the defect: 27-166 ms) is far above both.
 */
const allowedP99 = (baseline: number) => Math.max(baseline * 1.2, baseline + 2);

interface Window {
  sent: number;
  answered: number;
  failures: string[];
  p99: number;
}

/** Evaluations at a steady rate for WINDOW_MS; the latency of each from send to the end of its answer. */
async function steadyLoad(server: RunningServer, key: string, name: string, agent: Agent): Promise<Window> {
  const body = JSON.stringify({ input: input(5) });
  const latencies: number[] = [];
  let answered = 0;
  const failures: string[] = [];
  const one = () =>
    new Promise<void>((done) => {
      const started = performance.now();
      const req = request(
        `${server.url}/v1/rulesets/${name}/evaluate`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) answered++;
            else failures.push(String(res.statusCode));
            latencies.push(performance.now() - started);
            done();
          });
        },
      );
      req.on('error', (error) => {
        failures.push(error.message);
        done();
      });
      req.end(body);
    });
  const pending: Array<Promise<void>> = [];
  const total = Math.round((RATE_PER_SECOND * WINDOW_MS) / 1000);
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    // sent on schedule whatever the answers do (an open-loop load)
    const due = start + (i * 1000) / RATE_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(one());
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return { sent: total, answered, failures: [...new Set(failures)], p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? Infinity };
}

/** Opens `count` event streams that read nothing after their request; resolves once the server holds them all. */
async function idleStreams(server: RunningServer, key: string, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(`GET /v1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${key}\r\n\r\n`);
    socket.pause(); // never read: what the server writes piles up in the socket buffers
    sockets.push(socket);
  }
  for (let i = 0; i < 500 && server.services.events.size < count; i++) await new Promise((r) => setTimeout(r, 20));
  expect(server.services.events.size).toBe(count);
  await new Promise((r) => setTimeout(r, 500)); // their answers' headers and `ready` events are written
  return sockets;
}

forEachDriver('event streams under load', (ctx) => {
  it(
    `${STREAMS} idle streams: every evaluation answered, p99 within 20% of the same load without them`,
    async () => {
      const adminKey = `vd_load_${randomBytes(12).toString('hex')}`;
      const server = await startServer(testConfig({ port: 0, adminKey, eventStreamsPerKey: STREAMS, eventStreams: STREAMS }), { store: ctx.store, handleSignals: false, logger: silentLogger() });
      const agent = new Agent({ keepAlive: true, maxSockets: 32 });
      const name = uniqueName('load');
      try {
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` };
        expect((await fetch(`${server.url}/v1/rulesets/${name}/versions`, { method: 'POST', headers, body: JSON.stringify({ source: policy(name) }) })).status).toBe(201);
        expect((await fetch(`${server.url}/v1/rulesets/${name}/channels/production`, { method: 'PUT', headers, body: JSON.stringify({ version: 1 }) })).status).toBe(200);
        await steadyLoad(server, adminKey, name, agent); // warm-up
        const rounds: Array<{ without: Window; with: Window }> = [];
        for (let round = 0; round < ROUNDS; round++) {
          const without = await steadyLoad(server, adminKey, name, agent);
          const sockets = await idleStreams(server, adminKey, STREAMS);
          const withStreams = await steadyLoad(server, adminKey, name, agent);
          // the streams were open throughout, and got the decisions (none was dropped: 1 MiB each)
          expect(server.services.events.size).toBe(STREAMS);
          for (const s of sockets) s.destroy();
          for (let i = 0; i < 250 && server.services.events.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
          rounds.push({ without, with: withStreams });
          for (const w of [without, withStreams]) expect(w.answered, JSON.stringify(rounds)).toBe(w.sent);
          if (withStreams.p99 <= allowedP99(without.p99)) break;
        }
        const last = rounds.at(-1)!;
        console.info(`event streams under load [${ctx.driver}]: p99 ${rounds.map((r) => `${r.without.p99.toFixed(1)} ms -> ${r.with.p99.toFixed(1)} ms`).join('; ')}`);
        expect(last.with.p99, JSON.stringify(rounds)).toBeLessThanOrEqual(allowedP99(last.without.p99));
      } finally {
        agent.destroy();
        await server.close();
      }
    },
    SLOW,
  );
});
