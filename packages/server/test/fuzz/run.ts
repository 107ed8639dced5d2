/**
 * Runs generated requests against a running server over HTTP/1.1 keep-alive connections and counts
 * what matters: answers by status, every 5xx, every connection that was dropped instead of answered,
 * and the process's memory (RSS) before, at its peak, and after.
 */
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Store } from '@verdict/store';
import type { RunningServer } from '../../src/serve.ts';
import { input, policy } from '../policies.ts';
import { generatedRequests } from './generate.ts';
import type { FuzzContext, FuzzRequest, Json } from './requests.ts';

export interface FuzzReport {
  requests: number;
  statuses: Record<string, number>;
  /** Answers with a 5xx status (at most 20 kept). */
  serverErrors: Array<{ label: string; path: string; status: number; body: string; request: string }>;
  serverErrorCount: number;
  /** Requests that got no answer: the connection was reset or closed (at most 20 kept). */
  dropped: Array<{ label: string; path: string; error: string }>;
  droppedCount: number;
  /** The slowest answers (at most 10, slowest first): where a request waited, and what else was in flight. */
  slowest: Array<{ label: string; path: string; status: number; ms: number; startedAtMs: number }>;
  rss: { beforeMb: number; peakMb: number; afterMb: number };
  /** The longest the process's event loop was held up (ms): the server's thread, so every answer in flight waited that long. */
  eventLoopStallMaxMs: number;
  seconds: number;
}

/** Publishes a ruleset onto `production` and makes a key per scope (and spare keys the fuzzer may revoke). */
export async function prepareFuzz(server: RunningServer, store: Store, adminKey: string, ruleset: string): Promise<FuzzContext> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` };
  const source = policy(ruleset);
  const published = await fetch(`${server.url}/v1/rulesets/${ruleset}/versions`, { method: 'POST', headers, body: JSON.stringify({ source }) });
  if (published.status !== 201 && published.status !== 200) throw new Error(`publish: ${published.status}`);
  const moved = await fetch(`${server.url}/v1/rulesets/${ruleset}/channels/production`, { method: 'PUT', headers, body: JSON.stringify({ version: 1 }) });
  if (moved.status !== 200) throw new Error(`move: ${moved.status}`);
  const keys: Record<string, string> = { admin: adminKey };
  for (const scope of ['evaluate', 'read', 'publish'] as const) keys[scope] = (await store.createApiKey({ name: `fuzz-${scope}`, scopes: [scope], actor: 'fuzz' })).key;
  const spareKeyIds: string[] = [];
  for (let i = 0; i < 5; i++) spareKeyIds.push((await store.createApiKey({ name: `fuzz-spare-${i}`, scopes: ['read'], actor: 'fuzz' })).id);
  return { keys, ruleset, source, input: input(5) as Json, spareKeyIds };
}

/** `count` requests generated from the server's own OpenAPI document (deterministic for a seed), on a worker thread. */
export async function generateRequests(server: RunningServer, ctx: FuzzContext, count: number, seed: number): Promise<AsyncIterable<FuzzRequest>> {
  const openapi = (await (await fetch(`${server.url}/openapi.json`)).json()) as Record<string, unknown>;
  return generatedRequests(openapi, ctx, { total: count, seed });
}

export async function runFuzz(server: RunningServer, requests: Iterable<FuzzRequest> | AsyncIterable<FuzzRequest>, options: { concurrency?: number; total?: number } = {}): Promise<FuzzReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 4 });
  const report: FuzzReport = { requests: 0, statuses: {}, serverErrors: [], serverErrorCount: 0, dropped: [], droppedCount: 0, slowest: [], rss: { beforeMb: mb(process.memoryUsage().rss), peakMb: 0, afterMb: 0 }, eventLoopStallMaxMs: 0, seconds: 0 };
  const stalls = monitorEventLoopDelay({ resolution: 20 });
  stalls.enable();
  const started = performance.now();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250).unref();
  // an async iterator queues concurrent next() calls, so each request is taken once
  const iterator: Iterator<FuzzRequest> | AsyncIterator<FuzzRequest> = Symbol.asyncIterator in requests ? requests[Symbol.asyncIterator]() : requests[Symbol.iterator]();
  const worker = async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) await send(server, agent, next.value, report, started);
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  } finally {
    clearInterval(sampler);
    stalls.disable();
    agent.destroy();
  }
  report.eventLoopStallMaxMs = Math.round(stalls.max / 1e6);
  report.seconds = Math.round((performance.now() - started) / 100) / 10;
  report.rss.peakMb = mb(Math.max(peak, process.memoryUsage().rss));
  report.rss.afterMb = mb(process.memoryUsage().rss);
  return report;
}

/** Keeps the 10 slowest answers, slowest first. */
function noteTime(report: FuzzReport, entry: FuzzReport['slowest'][number]): void {
  const slowest = report.slowest;
  if (slowest.length === 10 && entry.ms <= slowest[9]!.ms) return;
  slowest.push(entry);
  slowest.sort((a, b) => b.ms - a.ms);
  if (slowest.length > 10) slowest.pop();
}

function send(server: RunningServer, agent: Agent, r: FuzzRequest, report: FuzzReport, runStarted: number): Promise<void> {
  return new Promise((done) => {
    report.requests++;
    const sentAt = performance.now();
    const body = r.body === null ? null : Buffer.from(r.body, 'utf8');
    const headers: Record<string, string | number> = { ...r.headers };
    if (body !== null) headers['content-length'] = body.length;
    let finished = false;
    const finish = () => {
      if (!finished) {
        finished = true;
        done();
      }
    };
    const req = request(`${server.url}${r.path}`, { method: r.method, agent, headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (/^text\/event-stream/.test(res.headers['content-type'] ?? '')) {
        // an event stream stays open: its answer is its status; then it is closed
        report.statuses[status] = (report.statuses[status] ?? 0) + 1;
        finished = true;
        req.destroy();
        done();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.length < 4 && chunks.push(c));
      res.on('end', () => {
        report.statuses[status] = (report.statuses[status] ?? 0) + 1;
        noteTime(report, { label: r.label, path: r.path.slice(0, 200), status, ms: Math.round(performance.now() - sentAt), startedAtMs: Math.round(sentAt - runStarted) });
        if (status >= 500) {
          report.serverErrorCount++;
          if (report.serverErrors.length < 20) report.serverErrors.push({ label: r.label, path: r.path.slice(0, 200), status, body: Buffer.concat(chunks).toString('utf8').slice(0, 300), request: (r.body ?? '').slice(0, 300) });
        }
        finish();
      });
      res.on('error', (error) => dropped(error));
    });
    const dropped = (error: Error) => {
      if (finished) return;
      report.droppedCount++;
      if (report.dropped.length < 20) report.dropped.push({ label: r.label, path: r.path.slice(0, 200), error: error.message });
      finish();
    };
    req.on('error', dropped);
    // an answer that never comes is a failure too, not a hung run
    req.setTimeout(60_000, () => req.destroy(new Error('no answer within 60 s')));
    req.end(body ?? undefined);
  });
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}
