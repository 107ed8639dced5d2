/**
 * `pnpm bench instructions` (opt-in: not part of a plain `pnpm bench`):
 * instructions per `marketplace.admission` decision, counted by valgrind's
 * callgrind. Unlike wall-clock time, the count does not depend on what else
 * the machine is doing: one build, one input set and one Node binary give the
 * same figure within a few instructions. That makes it the measure for
 * small engine changes on a shared, noisy machine. It is not time: IPC
 * differs between kinds of work, so ratios to other engines stay a
 * `pnpm bench engine` question.
 *
 * Method: `instructions-loop.ts` is bundled with esbuild and run under
 * callgrind with `node --predictable --single-threaded` (no concurrent
 * compiler or GC threads, deterministic heuristics) for 30,000 and then 90,000
 * decisions; the difference divided by 60,000 is the steady-state cost,
 * start-up and compilation cancelling out. Two runs at a time, one per core.
 */
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { REQUIRE_BANNER } from './http/build.ts';

const SHORT = 30_000;
const LONG = 90_000;

/** What is counted: the argument `instructions-loop.ts` takes. */
const MODES: Array<{ mode: string; label: string }> = [
  { mode: 'verdict-mix', label: 'Verdict, the bench mix (32% denied)' },
  { mode: 'verdict-allowed', label: 'Verdict, allowed inputs only' },
  { mode: 'verdict-denied', label: 'Verdict, denied inputs only' },
  { mode: 'quick-check-allowed', label: 'the generated quick check alone' },
  { mode: 'js-mix', label: 'hand-written JS (rule ids), the mix' },
  { mode: 'js-full-mix', label: 'hand-written JS (full decision), the mix' },
  { mode: 'js-validated-mix', label: 'hand-written JS (full decision, validated), the mix' },
  { mode: 'loop-mix', label: 'the loop alone (included in every row)' },
];

function instructions(bundle: string, mode: string, decisions: number): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--predictable', '--single-threaded', bundle, mode, String(decisions)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const collected = /Collected\s*:\s*(\d+)/.exec(err);
      if (code !== 0 || !collected) fail(new Error(`callgrind (${mode}, ${decisions}) failed with ${code}: ${err.slice(-500)}`));
      else done(Number(collected[1]));
    });
  });
}

async function perDecision(bundle: string, mode: string): Promise<number> {
  const [short, long] = [await instructions(bundle, mode, SHORT), await instructions(bundle, mode, LONG)];
  return (long - short) / (LONG - SHORT);
}

export async function instructionBenchmarks(write: (text: string) => void): Promise<void> {
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    write('\ninstructions: valgrind is not installed (apt-get install -y valgrind); skipped\n');
    return;
  }
  // beside the peers, so the loop's relative `rulesets` path resolves as it does from source
  const bundle = join(resolve(import.meta.dirname, 'peers'), `instructions-loop.${process.pid}.tmp.mjs`);
  await build({
    entryPoints: [join(import.meta.dirname, 'instructions-loop.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    banner: { js: REQUIRE_BANNER },
  });
  try {
    write(`\ninstructions per marketplace.admission decision (callgrind, node --predictable --single-threaded, (${LONG.toLocaleString('en-US')} − ${SHORT.toLocaleString('en-US')} decisions) / ${(LONG - SHORT).toLocaleString('en-US')})\n`);
    // two at a time: callgrind runs one core's worth each
    for (let i = 0; i < MODES.length; i += 2) {
      const pair = MODES.slice(i, i + 2);
      const counts = await Promise.all(pair.map((m) => perDecision(bundle, m.mode)));
      pair.forEach((m, k) => write(`  ${m.label.padEnd(44)} ${Math.round(counts[k]!).toLocaleString('en-US').padStart(8)}\n`));
    }
  } finally {
    rmSync(bundle, { force: true });
  }
}
