/**
 * Where a request's CPU goes (not part of `pnpm bench`): the bundled Verdict server on core 0
 * under autocannon on core 1, sampled (every 100 µs) during a timed load after a warm-up, and
 * the samples grouped by what they were doing: Node's HTTP layer, Hono, auth, body parsing and
 * validation, the engine, building the log row, the journal, the hash chain, PGlite, GC...
 * Each sampled frame is mapped through the bundle's source map to its source file; a frame with
 * no source of its own (a built-in such as JSON.stringify or a Node library function such as
 * `createHash`) is charged to the nearest caller that has one.
 *
 * Usage:
 *   node --import tsx test/bench/http/profile.ts server [--inline] [--seconds 8] [--keep DIR]
 *   node --import tsx test/bench/http/profile.ts embedded [--seconds 8] [--keep DIR]
 *   node --import tsx test/bench/http/profile.ts analyse FILE.cpuprofile [UNITS] [UNIT-NAME]
 * The server runs PGlite on its worker thread (the default), which is not sampled: its CPU shows as
 * "other threads". `--inline` runs PGlite on the server's thread (VERDICT_PGLITE_THREAD=0). `--keep DIR` keeps the `.cpuprofile` files there (they open
 * in Chrome DevTools or speedscope).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bundleServer } from './build.ts';
import { cpuSeconds } from './cpu.ts';
import type { EmbeddedResult } from './embedded-service.ts';
import { SAMPLE_INPUTS, verdictBody } from './inputs.ts';
import type { LoadResult } from './load.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const KEY = 'vk_bench_admin_0123456789abcdef';
const HAS_TASKSET = spawnSync('taskset', ['--version']).status === 0;
const pinned = (core: number, args: string[]): [string, string[]] => (HAS_TASKSET ? ['taskset', ['-c', String(core), process.execPath, ...args]] : [process.execPath, args]);

// ---- the profile and its categories

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** What a source file (or URL) does, first match wins; matched against the path relative to the repository. */
const CATEGORIES: Array<[RegExp, string]> = [
  [/^\(garbage collector\)$/, 'GC'],
  [/^\(idle\)$/, 'idle'],
  [/^\(program\)$/, 'V8 and native code (no JS frame)'],
  [/^wasm:|@electric-sql\/pglite\b|@electric-sql\+pglite@/, 'PGlite (SQL, in WebAssembly)'],
  [/drizzle-orm/, 'drizzle-orm (query building, results)'],
  [/postgres@|\/postgres\/src|node_modules\/postgres\//, 'postgres driver (socket protocol)'],
  [/packages\/store\/src\/(decisions|hash)\.ts/, 'log: hash chain + row JSON (store)'],
  [/packages\/store\/src\//, 'store (other)'],
  [/packages\/server\/src\/journal\.ts/, 'log: journal write'],
  [/packages\/server\/src\/decision-log\.ts/, 'log: queue, batching'],
  [/packages\/server\/src\/routes\/evaluate\.ts/, 'evaluate route (ids, answer, log row)'],
  [/packages\/server\/src\/routes\/shipped\.ts/, 'shipped decisions route'],
  [/packages\/engine\/src\/redact/, 'redaction'],
  [/packages\/engine\/|packages\/language\/|\bf\d+$|\bh\d+$|\bm\d+$|quickCheck/, 'engine (evaluate)'],
  [/packages\/server\/src\/(auth|rate-limit)\.ts/, 'auth + rate limit'],
  [/packages\/server\/src\/(body|json)\.ts|node_modules\/ajv|ajv@/, 'body read + JSON parse + validation'],
  [/packages\/server\/src\/api\.ts/, 'route wrapper (validation, text checks)'],
  [/packages\/server\/src\/(metrics\.ts)|prom-client/, 'metrics'],
  [/packages\/server\/src\/tracing\.ts|@opentelemetry/, 'tracing (no-op API)'],
  [/packages\/server\/src\/deadline\.ts/, 'request deadlines'],
  [/packages\/server\/src\/app\.ts/, 'app middleware (request id, metrics, logs)'],
  [/packages\/server\/src\//, 'server (other)'],
  [/@hono\/node-server|hono-node-server/, 'Hono node adapter (Request/Response objects)'],
  [/node_modules\/hono\/|hono@/, 'Hono (routing, context, c.json)'],
  [/pino|sonic-boom/, 'pino'],
  [/^node:(_http|net|internal\/(http|streams|stream_base|js_stream|net)|stream)|^node:internal\/dns|_http_/, 'Node HTTP (parse, sockets, write)'],
  [/packages\/client\/src\/embedded\/follower\.ts/, 'embedded: decision + shipment record'],
  [/packages\/client\/src\/embedded\/shipper\.ts/, 'embedded: shipping queue'],
  [/packages\/client\/src\//, 'embedded: HTTP client (batches)'],
  [/node_modules\/undici|node:internal\/deps\/undici/, 'fetch (undici)'],
  [/test\/bench\//, 'bench loop'],
];

/** Frames charged to their caller: built-ins without a source, and Node's own library code (crypto, buffers, timers...). */
const chargedToCaller = (where: string) => where === '' || (where.startsWith('node:') && !/^node:(_http|net|internal\/(http|streams|stream_base|js_stream|net|deps\/undici)|stream)/.test(where));

export interface Breakdown {
  /** Sampled busy time (not idle) of the thread, in seconds. */
  busySeconds: number;
  categories: Array<{ name: string; seconds: number }>;
  /** Where time went by function (source file: function), charged as the categories are. */
  functions: Array<{ name: string; seconds: number }>;
}

export function analyse(profilePath: string, bundles: string[]): Breakdown {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const maps = new Map<string, SourceMap>();
  for (const bundle of bundles) {
    const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0];
    maps.set(`file://${bundle}`, new SourceMap(map));
  }
  const parent = new Map<number, ProfileNode>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node);
  }
  /** A frame's source (a repository-relative path, a Node URL, or a marker such as `(idle)`). */
  const sourceOf = (frame: CallFrame): string => {
    if (frame.url === '' && frame.functionName.startsWith('(')) return frame.functionName;
    const map = maps.get(frame.url);
    if (map !== undefined) {
      const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
      const original = entry.originalSource;
      if (original !== undefined) return relative(ROOT, original.startsWith('file:') ? fileURLToPath(original) : resolve(join(bundles[0]!, '..'), original));
    }
    if (frame.url.startsWith('file:')) return relative(ROOT, fileURLToPath(frame.url.replace(/\?.*$/, '')));
    return frame.url;
  };
  const charged = new Map<number, { category: string; fn: string }>();
  const chargeOf = (node: ProfileNode): { category: string; fn: string } => {
    const known = charged.get(node.id);
    if (known !== undefined) return known;
    let result: { category: string; fn: string };
    const source = sourceOf(node.callFrame);
    const up = parent.get(node.id);
    if (chargedToCaller(source) && up !== undefined && up.callFrame.functionName !== '(root)') result = chargeOf(up);
    else {
      const key = source === '' ? node.callFrame.functionName || '(anonymous)' : source;
      const match = CATEGORIES.find(([pattern]) => pattern.test(key) || pattern.test(node.callFrame.functionName));
      const category = match?.[1] ?? (source.startsWith('node:') ? 'Node (other)' : `other: ${key}`);
      result = { category, fn: `${source || '(native)'}: ${node.callFrame.functionName || '(anonymous)'}` };
    }
    charged.set(node.id, result);
    return result;
  };
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    // a sample stands for the time until the next one
    const micros = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const node = byId.get(profile.samples[i]!)!;
    const { category, fn } = chargeOf(node);
    if (category === 'idle') continue;
    busy += micros;
    categories.set(category, (categories.get(category) ?? 0) + micros);
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
  }
  const sorted = (m: Map<string, number>) => [...m].map(([name, us]) => ({ name, seconds: us / 1e6 })).sort((a, b) => b.seconds - a.seconds);
  return { busySeconds: busy / 1e6, categories: sorted(categories), functions: sorted(functions) };
}

export function formatBreakdown(b: Breakdown, units: number, unit: string, topFunctions = 25): string {
  const per = (s: number) => ((s * 1e6) / Math.max(1, units)).toFixed(1).padStart(7);
  const pct = (s: number) => `${((100 * s) / b.busySeconds).toFixed(1).padStart(5)}%`;
  const lines = [`sampled busy CPU ${b.busySeconds.toFixed(2)} s over ${units.toLocaleString('en-US')} ${unit}s: ${per(b.busySeconds).trim()} µs per ${unit}`, ''];
  for (const c of b.categories) lines.push(`  ${c.name.padEnd(46)} ${per(c.seconds)} µs  ${pct(c.seconds)}`);
  lines.push('', `top functions (self time, built-ins charged to their caller):`);
  for (const f of b.functions.slice(0, topFunctions)) lines.push(`  ${per(f.seconds)} µs  ${pct(f.seconds)}  ${f.name}`);
  return `${lines.join('\n')}\n`;
}

// ---- running what is profiled

async function startBundled(bundle: string, arg: object, nodeArgs: string[] = []): Promise<{ child: ChildProcess; url: string; lines: AsyncIterableIterator<string> }> {
  const [cmd, args] = pinned(0, [...nodeArgs, bundle, JSON.stringify(arg)]);
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  for (;;) {
    const next = await lines.next();
    if (next.done) throw new Error(`${bundle} exited before listening`);
    if (next.value.startsWith('{"url"')) return { child, url: (JSON.parse(next.value) as { url: string }).url, lines };
  }
}

function runOnCore1<T>(script: string, spec: unknown): Promise<T> {
  const [cmd, args] = pinned(1, ['--import', 'tsx', join(import.meta.dirname, script), JSON.stringify(spec)]);
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? done(JSON.parse(out.trim().split('\n').pop()!) as T) : fail(new Error(`${script} exited ${code}: ${out}`))));
  });
}

async function quiet(pid: number): Promise<void> {
  let last = cpuSeconds(pid) ?? 0;
  for (let waited = 0; waited < 15_000; waited += 500) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuSeconds(pid) ?? 0;
    if (now - last < 0.02) return;
    last = now;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  const [mode = 'server', ...rest] = process.argv.slice(2);
  if (mode === 'analyse') {
    // a profile made otherwise (`node --cpu-prof`): its frames name their files (no bundle to map)
    process.stdout.write(formatBreakdown(analyse(rest[0]!, []), Number(rest[1] ?? 1), rest[2] ?? 'unit'));
    return;
  }
  const flag = (name: string) => rest.includes(name);
  const option = (name: string) => {
    const i = rest.indexOf(name);
    return i === -1 ? undefined : rest[i + 1];
  };
  const seconds = Number(option('--seconds') ?? 8);
  const keep = option('--keep');
  const work = mkdtempSync(join(tmpdir(), 'verdict-profile-'));
  const out = keep === undefined ? work : resolve(keep);
  mkdirSync(out, { recursive: true });
  try {
    const rulesetsDir = join(work, 'rulesets');
    mkdirSync(rulesetsDir);
    copyFileSync(join(ROOT, 'rulesets/marketplace/admission.policy'), join(rulesetsDir, 'admission.policy'));
    const serverBundle = await bundleServer('verdict-server.ts', join(work, 'build'), { sourcemap: true });
    const thread = !flag('--inline');
    const profilePath = join(out, mode === 'server' ? `server${thread ? '' : '-inline'}.cpuprofile` : 'embedded.cpuprofile');
    const server = await startBundled(serverBundle, { dataDir: join(work, 'data'), rulesetsDir, adminKey: KEY, pgliteThread: thread, ...(mode === 'server' ? { profile: profilePath } : {}) });
    try {
      if (mode === 'server') {
        const spec = { url: `${server.url}/v1/rulesets/marketplace.admission/evaluate`, headers: { authorization: `Bearer ${KEY}` }, bodies: SAMPLE_INPUTS.map(verdictBody), connections: 50, durationSec: 2 };
        await runOnCore1<LoadResult>('load.ts', spec); // warm-up
        await quiet(server.child.pid!);
        const cpuBefore = cpuSeconds(server.child.pid!) ?? 0;
        server.child.kill('SIGUSR2');
        await new Promise((r) => setTimeout(r, 200));
        const r = await runOnCore1<LoadResult>('load.ts', { ...spec, durationSec: seconds });
        await quiet(server.child.pid!); // the log written after the load counts too
        server.child.kill('SIGUSR2');
        for (;;) {
          const next = await server.lines.next();
          if (next.done || next.value.startsWith('{"profiled"')) break;
        }
        const cpu = (cpuSeconds(server.child.pid!) ?? 0) - cpuBefore;
        const b = analyse(profilePath, [serverBundle]);
        process.stdout.write(`server (PGlite ${thread ? 'on its worker thread' : 'inline'}): ${Math.round(r.rps)} req/s, ${r.total} requests, p99 ${r.p99} ms; process CPU ${((cpu * 1e6) / r.total).toFixed(0)} µs/request` +
          ` (main thread sampled ${((b.busySeconds * 1e6) / r.total).toFixed(0)}, other threads ~${(((cpu - b.busySeconds) * 1e6) / r.total).toFixed(0)})\n`);
        process.stdout.write(formatBreakdown(b, r.total, 'request'));
      } else {
        const bundle = await bundleServer('embedded-service.ts', join(work, 'build'), { sourcemap: true });
        const [cmd, args] = pinned(1, [bundle, JSON.stringify({ url: server.url, key: KEY, durationSec: seconds, profile: profilePath })]);
        const r = await new Promise<EmbeddedResult>((done, fail) => {
          const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
          let text = '';
          child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
          child.once('exit', (code) => (code === 0 ? done(JSON.parse(text.trim().split('\n').pop()!) as EmbeddedResult) : fail(new Error(text))));
        });
        process.stdout.write(`embedded: ${Math.round(r.rate).toLocaleString('en-US')} dec/s, p50 ${r.p50Us.toFixed(2)} µs, p99 ${r.p99Us.toFixed(2)} µs; shipped ${r.shipped}, dropped ${r.dropped}\n`);
        process.stdout.write(formatBreakdown(analyse(profilePath, [bundle]), r.decisions, 'decision'));
      }
    } finally {
      await stopChild(server.child);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
