/**
 * `pnpm bench cli`: start-up of the standalone CLI (packages/cli/dist, built first), the
 * way git runs it as a `textconv` once per file version: a new node process per call.
 * `node -e 0` is the floor no command can go under on this machine.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatResults, type BenchResult } from './measure.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'packages/cli/dist/bin/verdict.js');
const policy = join(root, 'rulesets/insurance/auto_quote.policy');

// Preloaded into each child: prints its own CPU time (user + system) on exit, on file descriptor 3.
const cpuProbe = join(mkdtempSync(join(tmpdir(), 'verdict-bench-')), 'cpu.cjs');
writeFileSync(cpuProbe, "process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeSync(3, String((u.user + u.system) / 1000)); });\n");

function startUp(name: string, args: string[], runs: number, goalMs?: number, note?: string): BenchResult {
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ['--require', cpuProbe, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== 0) throw new Error(`${name} failed: ${run.stderr.toString()}`);
    if (i === 0) continue; // the first run warms the file system cache
    samples.push(ms);
    cpu.push(Number(run.output[3]?.toString()));
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const result: BenchResult = { name, medianMs: samples[Math.floor(samples.length / 2)]!, p99Ms: samples[samples.length - 1]!, cpuMs: cpu[Math.floor(cpu.length / 2)]! };
  if (goalMs !== undefined) result.goalMs = goalMs;
  result.note = `${note ? note + '; ' : ''}fastest ${samples[0]!.toFixed(0)} ms of ${runs}`;
  return result;
}

export function cliBenchmarks(runs = 31): string {
  execFileSync(process.execPath, [join(root, 'packages/cli/scripts/build.mjs')], { stdio: 'ignore' });
  return formatResults('cli: start-up of a new process (wall time; p99 column is the slowest run)', [
    startUp('node -e 0 (the floor)', ['-e', '0'], runs),
    startUp('verdict --help', [bin, '--help'], runs),
    startUp('verdict fmt --stdout (textconv)', [bin, 'fmt', '--stdout', policy], runs, 300, 'auto_quote.policy, 460 lines'),
  ]);
}
