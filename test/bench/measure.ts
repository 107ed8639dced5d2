/** Timing helpers shared by the benchmark suites. */

export interface BenchResult {
  name: string;
  /** Median wall time of one run, in milliseconds. */
  medianMs: number;
  p99Ms: number;
  /** Median CPU time of this process per run (user + system; includes GC threads), in milliseconds. */
  cpuMs: number;
  goalMs?: number;
  note?: string;
}

export function measure(name: string, run: () => unknown, options: { iterations: number; warmup?: number; goalMs?: number; note?: string }): BenchResult {
  for (let i = 0; i < (options.warmup ?? 2); i++) run();
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const result: BenchResult = {
    name,
    medianMs: samples[Math.floor(samples.length / 2)]!,
    p99Ms: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))]!,
    cpuMs: cpu[Math.floor(cpu.length / 2)]!,
  };
  if (options.goalMs !== undefined) result.goalMs = options.goalMs;
  if (options.note !== undefined) result.note = options.note;
  return result;
}

export function formatResults(title: string, results: BenchResult[]): string {
  const rows = results.map((r) => {
    const goal = r.goalMs === undefined ? '' : `${r.medianMs <= r.goalMs ? 'meets' : 'MISSES'} goal ${r.goalMs} ms`;
    return `  ${r.name.padEnd(34)} median ${r.medianMs.toFixed(2).padStart(9)} ms   p99 ${r.p99Ms.toFixed(2).padStart(9)} ms   cpu ${Number.isNaN(r.cpuMs) ? "       -" : r.cpuMs.toFixed(1).padStart(8)} ms   ${goal}${r.note ? `  (${r.note})` : ''}`;
  });
  return `${title}\n${rows.join('\n')}\n`;
}

/** Throughput of one engine on one scenario: median time per decision over several samples. */
export interface ThroughputResult {
  name: string;
  /** Median nanoseconds per operation. */
  nsPerOp: number;
  opsPerSec: number;
  /** Fastest and slowest sample, ns/op: how noisy the figure is. */
  minNs: number;
  maxNs: number;
  samples: number;
  note?: string;
}

/** One contender of a comparison: `pass` runs it once over `ops` inputs. */
export interface Timed {
  name: string;
  ops: number;
  pass: () => unknown;
  note?: string;
}

export interface ThroughputOptions {
  /** Rounds; in each, every contender takes one sample. The median sample is reported. */
  rounds?: number;
  /** A sample runs whole passes for at least this long. */
  minSampleMs?: number;
  /** Untimed passes before sampling, at least this long (lets the JIT settle). */
  warmupMs?: number;
  /** A contender whose samples would take longer than this in all takes part in fewer rounds (at least 3). */
  budgetMs?: number;
}

/** Results are written here so the JIT cannot drop the calls as dead code. */
export let sink: unknown;

/** A pass over `inputs` with a synchronous call. */
export function syncPass<I>(inputs: readonly I[], run: (input: I) => unknown): () => void {
  return () => {
    for (const input of inputs) sink = run(input);
  };
}

/** A pass over `inputs` with an async call, each awaited before the next, or `inFlight` at once. */
export function asyncPass<I>(inputs: readonly I[], run: (input: I) => Promise<unknown>, inFlight = 1): () => Promise<void> {
  if (inFlight === 1) {
    return async () => {
      for (const input of inputs) sink = await run(input);
    };
  }
  return async () => {
    for (let i = 0; i < inputs.length; i += inFlight) sink = await Promise.all(inputs.slice(i, i + inFlight).map(run));
  };
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * Times contenders side by side. Samples are interleaved (round 1 samples
 * every contender, then round 2, ...) so that load from other processes on
 * a shared machine spreads over all of them instead of skewing one.
 */
export async function compareThroughput(entries: Timed[], options: ThroughputOptions = {}): Promise<ThroughputResult[]> {
  const rounds = options.rounds ?? 7;
  const plans: Array<{ reps: number; samples: number }> = [];
  for (const entry of entries) {
    let start = now();
    let passes = 0;
    do {
      await entry.pass();
      passes++;
    } while (now() - start < (options.warmupMs ?? 150));
    const passMs = (now() - start) / passes;
    const reps = Math.max(1, Math.ceil((options.minSampleMs ?? 40) / passMs));
    plans.push({ reps, samples: Math.max(3, Math.min(rounds, Math.floor((options.budgetMs ?? 3000) / (reps * passMs)))) });
  }
  const samples: number[][] = entries.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [k, entry] of entries.entries()) {
      const plan = plans[k]!;
      if (round >= plan.samples) continue;
      const start = now();
      for (let r = 0; r < plan.reps; r++) await entry.pass();
      samples[k]!.push(((now() - start) * 1e6) / (plan.reps * entry.ops));
    }
  }
  return entries.map((entry, k) => {
    const sorted = samples[k]!.sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const result: ThroughputResult = { name: entry.name, nsPerOp: median, opsPerSec: 1e9 / median, minNs: sorted[0]!, maxNs: sorted[sorted.length - 1]!, samples: sorted.length };
    if (entry.note !== undefined) result.note = entry.note;
    return result;
  });
}

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} µs`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

function ratio(x: number): string {
  return x >= 10 ? `${x.toFixed(0)}×` : `${x.toFixed(1)}×`;
}

/** "Verdict N× faster" (or slower) than another engine, from median times. */
export function verdictVersus(verdictNs: number, otherNs: number): string {
  return otherNs >= verdictNs ? `Verdict ${ratio(otherNs / verdictNs)} faster` : `Verdict ${ratio(verdictNs / otherNs)} slower`;
}

/**
 * A table of throughput results with each row's cost relative to the
 * `baseline` row (hand-written JS) and Verdict's speed relative to each row.
 */
export function formatThroughput(title: string, results: ThroughputResult[], names: { baseline: string; verdict: string }): string {
  const baseline = results.find((r) => r.name === names.baseline);
  const verdict = results.find((r) => r.name === names.verdict);
  const width = Math.max(34, ...results.map((r) => r.name.length + 2));
  const header = `  ${'engine'.padEnd(width)}${'ns/op'.padStart(10)}${'ops/s'.padStart(12)}${'spread (n)'.padStart(24)}${'× JS'.padStart(9)}   vs Verdict`;
  const rows = results.map((r) => {
    const spread = `${formatNs(r.minNs)}–${formatNs(r.maxNs)} (${r.samples})`;
    const vsJs = baseline ? ratio(r.nsPerOp / baseline.nsPerOp) : '';
    const vsVerdict = verdict && r !== verdict ? verdictVersus(verdict.nsPerOp, r.nsPerOp) : '';
    return `  ${r.name.padEnd(width)}${formatNs(r.nsPerOp).padStart(10)}${Math.round(r.opsPerSec).toLocaleString('en-US').padStart(12)}${spread.padStart(24)}${vsJs.padStart(9)}   ${vsVerdict}${r.note ? `  (${r.note})` : ''}`;
  });
  return `${title}\n${header}\n${rows.join('\n')}\n`;
}
