/**
 * HTTP load benchmark (issue 5): autocannon on loopback against
 *   - the Verdict server evaluating `marketplace.admission` (decision log on),
 *     on its embedded database (PGlite on its worker thread, as it ships, and
 *     inline, on the server's thread) and, when `DATABASE_URL` reaches a PostgreSQL
 *     server, on a fresh database there (the log then costs the server little),
 *   - a bare Hono route computing the same decision in hand-written JS,
 *   - the Cerbos PDP with the same checks as CEL conditions,
 * in one run. Each server runs in its own process pinned to core 0 and the
 * load generator in a process pinned to core 1 (when `taskset` exists). The
 * two Node servers are bundled with esbuild first and run with plain node.
 * Before any load, all three must answer the same decision on every sample
 * input; the run aborts otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { admissionByHand } from './peers/admission-js.ts';
import { bundleServer } from './http/build.ts';
import { cerbosBinary, cerbosDecision, writeCerbosSetup } from './http/cerbos.ts';
import { cerbosBody, honoBody, SAMPLE_INPUTS, verdictBody } from './http/inputs.ts';
import { benchDatabase } from './http/postgres-db.ts';
import { CPU_READABLE, totalCpuSeconds } from './http/cpu.ts';
import type { EmbeddedResult } from './http/embedded-service.ts';
import type { LoadResult, LoadSpec } from './http/load.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CONNECTIONS = 50;
const DURATION_SEC = 8;
const WARMUP_SEC = 2;
const FIXED_RATE = 5000;
const ADMIN_KEY = 'vk_bench_admin_0123456789abcdef';
const HAS_TASKSET = spawnSync('taskset', ['--version']).status === 0;

/** `command` pinned to `core` when taskset exists. */
function pinned(core: number, command: string, args: string[]): [string, string[]] {
  return HAS_TASKSET ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

/** Starts a bundled server (`build.ts`) with plain node on core 0 and waits for its `{"url"}` line. */
async function startBundledServer(bundle: string, arg: string): Promise<{ child: ChildProcess; url: string }> {
  const [command, args] = pinned(0, process.execPath, [bundle, arg]);
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{"url"')) done((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => fail(new Error(`${bundle} exited (${code}) before listening`)));
  });
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not become ready in ${timeoutMs} ms`);
}

/**
 * Runs `http/<script>` with tsx (or, given a path ending in `.mjs`, that bundle with plain node) on
 * core 1 with `spec` as its argument; resolves with the JSON of its last stdout line.
 */
function runOnLoadCore<T>(script: string, spec: unknown, what: string): Promise<T> {
  const entry = script.endsWith('.mjs') ? [script] : ['--import', 'tsx', join(import.meta.dirname, 'http', script)];
  const [command, args] = pinned(1, process.execPath, [...entry, JSON.stringify(spec)]);
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) done(JSON.parse(line) as T);
      else fail(new Error(`${what} exited (${code}): ${out}`));
    });
  });
}

/** Runs autocannon (or, for the fixed-rate pass, `fixed-rate.ts`) in a child process on core 1. */
function load(spec: LoadSpec, generator: 'load.ts' | 'fixed-rate.ts' = 'load.ts'): Promise<LoadResult> {
  return runOnLoadCore<LoadResult>(generator, spec, 'load generator');
}

/** A target whose only process is `child`. */
const only = (child: ChildProcess) => async () => ({ server: child.pid === undefined ? [] : [child.pid], database: [] as number[] });

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: (input: (typeof SAMPLE_INPUTS)[number]) => string;
  /** A Verdict server: its process (stopped once timed) and the labels of its fixed-rate passes. */
  verdict?: { child: ChildProcess; fixedLabel: string; halfLabel: string };
  /** Run before each of its passes. */
  before?: () => Promise<void>;
  /** The processes whose CPU time an answer costs: the server and, on PostgreSQL, the backends serving it. */
  processes: () => Promise<{ server: number[]; database: number[] }>;
}

interface CpuCost {
  server: number;
  database: number;
}

/** CPU seconds of a target's processes now. */
async function cpuNow(target: Target): Promise<CpuCost> {
  const { server, database } = await target.processes();
  return { server: totalCpuSeconds(server), database: totalCpuSeconds(database) };
}

/**
 * CPU seconds a target's processes used since `before`, read once they have gone quiet: a
 * server still writing its decision log after the load stopped is charged for that too.
 */
async function cpuSince(target: Target, before: CpuCost): Promise<CpuCost> {
  let last = await cpuNow(target);
  // A server whose log writer yields to requests (PGlite on a low-priority thread) may write for a
  // while, and slowly on a busy machine: a Verdict server is waited for until its log is empty too.
  for (let waited = 0; waited < 120_000; waited += 500) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await cpuNow(target);
    const quiet = now.server + now.database - (last.server + last.database) < 0.02;
    last = now;
    if (quiet && (target.verdict === undefined || (await logDepth(target.url)) <= 0)) break;
  }
  return { server: last.server - before.server, database: last.database - before.database };
}

/** Decisions a Verdict server has not yet written to its database (its `/metrics` gauge), or -1 when unreadable. */
async function logDepth(evaluateUrl: string): Promise<number> {
  try {
    const text = await (await fetch(new URL('/metrics', evaluateUrl))).text();
    const found = /^verdict_decision_log_queue_depth (\d+)/m.exec(text);
    return found === null ? -1 : Number(found[1]);
  } catch {
    return -1;
  }
}

const micros = (seconds: number, requests: number) => (seconds * 1e6) / Math.max(1, requests);

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} req/s`;

/** Runs the bundled `http/embedded-service.ts` on core 1 against the server at `url` for the timed duration. */
function embeddedService(bundle: string, url: string): Promise<EmbeddedResult> {
  return runOnLoadCore<EmbeddedResult>(bundle, { url, key: ADMIN_KEY, durationSec: DURATION_SEC }, 'embedded service');
}

export async function httpBenchmarks(write: (text: string) => void): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'verdict-http-bench-'));
  const children: ChildProcess[] = [];
  const pg = process.env['DATABASE_URL'] ? await benchDatabase(process.env['DATABASE_URL']) : null;
  let pinnedBackends = 0;
  try {
    // Verdict: only the admission ruleset in its rulesets directory
    const rulesetsDir = join(work, 'rulesets');
    mkdirSync(rulesetsDir);
    copyFileSync(join(ROOT, 'rulesets/marketplace/admission.policy'), join(rulesetsDir, 'admission.policy'));
    // Both Node servers run as they would ship: bundled with esbuild, plain node (see http/build.ts).
    const build = join(work, 'build');
    const [verdictBundle, honoBundle] = [await bundleServer('verdict-server.ts', build), await bundleServer('hono-server.ts', build)];
    // the service embedding the evaluator too, as a service would ship it
    const embeddedBundle = await bundleServer('embedded-service.ts', build);
    const verdict = await startBundledServer(verdictBundle, JSON.stringify({ dataDir: join(work, 'data'), rulesetsDir, adminKey: ADMIN_KEY, pgliteThread: true }));
    children.push(verdict.child);
    // the other way of running the embedded database, for comparison: PGlite on the server's own thread
    const verdictInline = await startBundledServer(verdictBundle, JSON.stringify({ dataDir: join(work, 'data-inline'), rulesetsDir, adminKey: ADMIN_KEY, pgliteThread: false }));
    children.push(verdictInline.child);
    const verdictPg = pg === null ? null : await startBundledServer(verdictBundle, JSON.stringify({ dataDir: join(work, 'data-pg'), databaseUrl: pg.url, rulesetsDir, adminKey: ADMIN_KEY }));
    if (verdictPg) children.push(verdictPg.child);
    const hono = await startBundledServer(honoBundle, '');
    children.push(hono.child);

    const [httpPort, grpcPort] = [await freePort(), await freePort()];
    const cerbosConfig = writeCerbosSetup(join(work, 'cerbos'), httpPort, grpcPort);
    const [command, args] = pinned(0, cerbosBinary(), ['server', `--config=${cerbosConfig}`, '--log-level=error']);
    // its log is dropped: autocannon closing connections mid-request logs "context canceled" errors
    const cerbos = spawn(command, args, { stdio: 'ignore' });
    children.push(cerbos);
    const cerbosUrl = `http://127.0.0.1:${httpPort}`;
    await waitUntil(async () => (await fetch(`${cerbosUrl}/_cerbos/health`)).ok, 20_000, 'Cerbos');

    const targets: Target[] = [
      { name: 'Verdict server (log on, PGlite thread)', url: `${verdict.url}/v1/rulesets/marketplace.admission/evaluate`, headers: { authorization: `Bearer ${ADMIN_KEY}` }, body: verdictBody, verdict: { child: verdict.child, fixedLabel: 'Verdict at a fixed 5,000 req/s', halfLabel: 'Verdict' }, processes: only(verdict.child) },
      { name: 'bare Hono route (hand-written JS)', url: `${hono.url}/evaluate`, headers: {}, body: honoBody, processes: only(hono.child) },
      { name: 'Cerbos PDP 0.55 (CEL conditions)', url: `${cerbosUrl}/api/check/resources`, headers: {}, body: cerbosBody, processes: only(cerbos) },
    ];
    targets.push({
      name: 'Verdict server (log on, PGlite inline)',
      url: `${verdictInline.url}/v1/rulesets/marketplace.admission/evaluate`,
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      body: verdictBody,
      verdict: { child: verdictInline.child, fixedLabel: 'Verdict (PGlite inline) at 5,000 req/s', halfLabel: 'Verdict (PGlite inline)' },
      processes: only(verdictInline.child),
    });
    const onPostgres: Target | null = verdictPg && pg && {
      name: 'Verdict server (log on, PostgreSQL)',
      url: `${verdictPg.url}/v1/rulesets/marketplace.admission/evaluate`,
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      body: verdictBody,
      verdict: { child: verdictPg.child, fixedLabel: 'Verdict (PostgreSQL) at 5,000 req/s', halfLabel: 'Verdict (PostgreSQL)' },
      // the database is the server's: its backends (the pool opens more under load) share core 0
      before: async () => void (pinnedBackends = Math.max(pinnedBackends, await pg.pinBackends(0))),
      processes: async () => ({ server: [verdictPg.child.pid!], database: await pg.backendPids() }),
    };
    if (onPostgres) targets.push(onPostgres);

    // Agreement first: same decision from all three (and the same fired rules from Verdict and the bare route).
    const decisions = new Set<string>();
    for (const input of SAMPLE_INPUTS) {
      const expected = admissionByHand(input);
      decisions.add(expected.decision);
      const v = (await post(targets[0]!.url, verdictBody(input), targets[0]!.headers)) as { decision: string; violations: Array<{ rule: string }> };
      const h = (await post(targets[1]!.url, honoBody(input))) as { decision: string; violations: string[] };
      const c = cerbosDecision(await post(targets[2]!.url, cerbosBody(input)));
      for (const other of targets.slice(3)) {
        const answer = ((await post(other.url, verdictBody(input), other.headers)) as { decision: string }).decision;
        if (answer !== expected.decision) throw new Error(`${other.name} disagrees on ${input.service.id}: ${answer}, expected ${expected.decision}`);
      }
      const vRules = v.violations.map((x) => x.rule).sort().join(',');
      const want = [...expected.violations].sort().join(',');
      if (v.decision !== expected.decision || vRules !== want || h.decision !== expected.decision || h.violations.slice().sort().join(',') !== want || c !== expected.decision) {
        throw new Error(`HTTP targets disagree on ${input.service.id}: expected ${expected.decision} [${want}], Verdict ${v.decision} [${vRules}], Hono ${h.decision}, Cerbos ${c}`);
      }
    }
    if (decisions.size < 2) throw new Error('sample inputs must include both allowed and denied services');

    write(`\n## http: marketplace.admission over loopback (${CONNECTIONS} connections, ${DURATION_SEC} s each${HAS_TASKSET ? '; servers on core 0, autocannon on core 1' : '; taskset missing: not pinned'})\n`);
    write(`all three agree on ${SAMPLE_INPUTS.length} sample inputs (${[...decisions].join(' + ')}); bodies rotated per request\n`);
    const results = new Map<string, LoadResult>();
    const costs = new Map<string, CpuCost>();
    for (const target of targets) {
      const spec: LoadSpec = { url: target.url, headers: target.headers, bodies: SAMPLE_INPUTS.map(target.body), connections: CONNECTIONS, durationSec: WARMUP_SEC };
      await target.before?.();
      await load(spec); // warm-up (JIT, connection pools), not reported
      await cpuSince(target, await cpuNow(target)); // until the warm-up's decision log is written
      await target.before?.();
      const cpuBefore = await cpuNow(target);
      const r = await load({ ...spec, durationSec: DURATION_SEC });
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${target.name}: ${r.non2xx} non-2xx answers, ${r.errors} errors under load`);
      const cpu = await cpuSince(target, cpuBefore);
      results.set(target.name, r);
      costs.set(target.name, cpu);
      const perRequest = CPU_READABLE
        ? `   CPU ${Math.round(micros(cpu.server + cpu.database, r.total))} µs/request${cpu.database > 0 ? ` (server ${Math.round(micros(cpu.server, r.total))} + database ${Math.round(micros(cpu.database, r.total))})` : ''}`
        : '';
      write(`  ${target.name.padEnd(36)} ${rate(r.rps).padStart(14)}   p50 ${ms(r.p50).padStart(8)}   p99 ${ms(r.p99).padStart(8)}${perRequest}\n`);
    }
    /**
     * What a server can keep up: its closed-loop rate, or less when its CPU per request says so (a
     * server that leaves its log for later answers faster for a while than its core can sustain).
     */
    const sustained = (target: Target): number => {
      const r = results.get(target.name)!;
      const cost = costs.get(target.name)!;
      const perRequest = micros(cost.server + cost.database, r.total);
      return CPU_READABLE && perRequest > 0 && cost.database === 0 ? Math.min(r.rps, 1e6 / perRequest) : r.rps;
    };
    // The embedded evaluator in a service process on core 1, following the PGlite server's
    // production channel and shipping its decisions back to that server's log.
    const embedded = await embeddedService(embeddedBundle, verdict.url);
    const serverRate = sustained(targets[0]!);
    write(`  ${'embedded evaluator (shipping on)'.padEnd(36)} ${`${Math.round(embedded.rate).toLocaleString('en-US')} dec/s`.padStart(14)}   p50 ${(embedded.p50Us).toFixed(2)} µs   p99 ${(embedded.p99Us).toFixed(2)} µs per decision` +
      `   shipped ${embedded.shipped.toLocaleString('en-US')}, dropped (queue full, counted) ${embedded.dropped.toLocaleString('en-US')}, left unshipped ${embedded.unshipped}\n`);
    write(`  goal: embedded with shipping on >= 100x the server's HTTP rate (what it sustains): ${(embedded.rate / serverRate).toFixed(0)}x (${embedded.rate / serverRate >= 100 ? 'met' : 'MISSED'}); ` +
      `the log took ${Math.round(embedded.shipped / Math.max(0.001, embedded.shipSeconds + DURATION_SEC)).toLocaleString('en-US')} shipped decisions/s\n`);

    // Open loop at a steady 5,000/s, latency counted from when each request was due (see http/fixed-rate.ts).
    const verdicts = targets.filter((t) => t.verdict !== undefined);
    const fixed = new Map<string, LoadResult>();
    const halves = new Map<string, LoadResult>();
    const fixedPass = async (target: Target, overallRate: number, label: string): Promise<LoadResult> => {
      await target.before?.();
      const r = await load({ url: target.url, headers: target.headers, bodies: SAMPLE_INPUTS.map(verdictBody), connections: CONNECTIONS, durationSec: DURATION_SEC, overallRate }, 'fixed-rate.ts');
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`fixed-rate pass (${target.name}, ${overallRate}/s): ${r.non2xx} non-2xx answers, ${r.errors} errors`);
      // unanswered requests have no latency: the percentiles of the answered ones are then lower bounds
      const behind = r.unanswered ? `   (${r.unanswered} unanswered 10 s after the last send: fell behind; latencies are lower bounds)` : '';
      write(`  ${label.padEnd(36)} ${rate(r.rps).padStart(14)}   p50 ${ms(r.p50).padStart(8)}   p99 ${ms(r.p99).padStart(8)}   p99.9 ${ms(r.p999 ?? 0)}   max ${ms(r.max ?? 0)}${behind}\n`);
      return r;
    };
    for (const target of verdicts) {
      fixed.set(target.name, await fixedPass(target, FIXED_RATE, target.verdict!.fixedLabel));
      // The goal's rate is absolute, but this machine's speed is not (2-5x between days): the latency
      // at half of what the server just sustained shows the server unsaturated on any day.
      const half = Math.max(100, Math.round(sustained(target) / 200) * 100);
      await cpuSince(target, await cpuNow(target)); // until the log the 5,000/s pass left behind is written
      halves.set(target.name, await fixedPass(target, half, `${target.verdict!.halfLabel} at ${rate(half)} (half of what it sustains)`));
      // A server that fell behind still writes its decision log on core 0: stop it (which drains the
      // log) before the next server is timed.
      if (target !== verdicts[verdicts.length - 1]) await stop(target.verdict!.child);
    }
    if (onPostgres) write(`  (PostgreSQL backends of the bench database pinned to core 0 with the server: ${pinnedBackends}${HAS_TASKSET ? '' : '; taskset missing'})\n`);

    const h = results.get(targets[1]!.name)!;
    const c = results.get(targets[2]!.name)!;
    const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
    for (const target of verdicts) {
      const v = results.get(target.name)!;
      const f = fixed.get(target.name)!;
      const half = halves.get(target.name)!;
      const vsHono = v.rps / h.rps;
      const vsCerbos = v.rps / c.rps;
      // by CPU per request too: a server whose log lags behind its answers is not charged for it by its rate
      const cost = costs.get(target.name)!;
      const byCpu = CPU_READABLE ? micros(costs.get(targets[1]!.name)!.server, h.total) / micros(cost.server + cost.database, v.total) : null;
      write(`  goals (${target.name}): p99 ${ms(f.p99)} at ${rate(f.rps)} (< 5 ms at 5,000/s: ${mark(f.p99 < 5 && f.rps >= FIXED_RATE * 0.95 && !f.unanswered)}); ` +
        `p99 ${ms(half.p99)} at half of what it sustains (< 10 ms: ${mark(half.p99 < 10 && !half.unanswered)}); ` +
        `Verdict/bare Hono ${(vsHono * 100).toFixed(0)}%${byCpu === null ? '' : `, ${(byCpu * 100).toFixed(0)}% by CPU per request`} (the lower counts: >= 50%: ${mark(Math.min(vsHono, byCpu ?? 1) >= 0.5)}; >= 70%: ${mark(Math.min(vsHono, byCpu ?? 1) >= 0.7)}); Verdict/Cerbos ${vsCerbos.toFixed(1)}x (>= 8x: ${mark(vsCerbos >= 8)})\n`);
    }
    if (CPU_READABLE) {
      // A closed-loop server saturates its core, so a throughput ratio is a CPU budget per request.
      const bare = costs.get(targets[1]!.name)!;
      const bareUs = micros(bare.server, h.total);
      write(`  CPU budget: 70% of the bare route's rate leaves ${Math.round(1e6 / (0.7 * h.rps))} µs of core 0 per request (the bare route used ${Math.round(bareUs)}); ` +
        `8x Cerbos leaves ${Math.round(1e6 / (8 * c.rps))} µs; 5,000/s with headroom for a 5 ms p99 leaves well under ${Math.round(1e6 / FIXED_RATE)} µs\n`);
      for (const target of verdicts) {
        const cost = costs.get(target.name)!;
        const total = results.get(target.name)!.total;
        write(`    ${target.name}: ${Math.round(micros(cost.server + cost.database, total))} µs per request` +
          (cost.database > 0 ? ` (the server ${Math.round(micros(cost.server, total))}, its PostgreSQL backends ${Math.round(micros(cost.database, total))})` : ' (the server, its embedded database and decision log included)') + '\n');
      }
    }
  } finally {
    for (const child of children.reverse()) await stop(child);
    await pg?.drop();
    rmSync(work, { recursive: true, force: true });
  }
}
