/**
 * Quick comparison (not part of `pnpm bench`): the Verdict server with the decision log on its
 * embedded database, PGlite on the server's thread vs on a worker thread (VERDICT_PGLITE_THREAD),
 * at fixed rates, from TypeScript sources. Server on core 0, load on core 1 (taskset).
 * Usage: node --import tsx test/bench/http/pglite-thread-compare.ts [rate ...]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { SAMPLE_INPUTS, verdictBody } from './inputs.ts';
import type { LoadResult } from './load.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const KEY = 'vk_bench_admin_0123456789abcdef';
const rates = process.argv.slice(2).map(Number);
const pin = spawnSync('taskset', ['--version']).status === 0;
const pinned = (core: number, args: string[]): [string, string[]] => (pin ? ['taskset', ['-c', String(core), process.execPath, ...args]] : [process.execPath, args]);

async function server(dir: string, rulesetsDir: string, pgliteThread: boolean): Promise<{ child: ChildProcess; url: string }> {
  const [cmd, args] = pinned(0, ['--import', 'tsx', join(import.meta.dirname, 'verdict-server.ts'), JSON.stringify({ dataDir: dir, rulesetsDir, adminKey: KEY, pgliteThread })]);
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('{"url"') && done((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => fail(new Error(`server exited ${code}`)));
  });
  return { child, url };
}

function fixed(url: string, overallRate: number, durationSec: number): Promise<LoadResult> {
  const spec = { url: `${url}/v1/rulesets/marketplace.admission/evaluate`, headers: { authorization: `Bearer ${KEY}` }, bodies: SAMPLE_INPUTS.map(verdictBody), connections: 50, durationSec, overallRate };
  const [cmd, args] = pinned(1, ['--import', 'tsx', join(import.meta.dirname, 'fixed-rate.ts'), JSON.stringify(spec)]);
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? done(JSON.parse(out.trim().split('\n').pop()!) as LoadResult) : fail(new Error(out))));
  });
}

const work = mkdtempSync(join(tmpdir(), 'verdict-pgthread-bench-'));
try {
  const rulesetsDir = join(work, 'rulesets');
  mkdirSync(rulesetsDir);
  copyFileSync(join(ROOT, 'rulesets/marketplace/admission.policy'), join(rulesetsDir, 'admission.policy'));
  for (const thread of [false, true]) {
    const s = await server(join(work, thread ? 'thread' : 'inline'), rulesetsDir, thread);
    try {
      await fixed(s.url, 1000, 3); // warm-up
      for (const rate of rates) {
        const r = await fixed(s.url, rate, 8);
        const ms = (n: number) => `${n.toFixed(2)} ms`;
        process.stdout.write(`${thread ? 'worker thread' : 'server thread'} at ${rate}/s: ${Math.round(r.rps)} req/s answered, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max ?? 0)}\n`);
      }
    } finally {
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.once('exit', r));
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
