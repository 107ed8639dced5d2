/** Timing helpers shared by the benchmark suites. */

export interface BenchResult {
  name: string;
  /** Median wall time of one run, in milliseconds. */
  medianMs: number;
  p99Ms: number;
  goalMs?: number;
  note?: string;
}

export function measure(name: string, run: () => unknown, options: { iterations: number; warmup?: number; goalMs?: number; note?: string }): BenchResult {
  for (let i = 0; i < (options.warmup ?? 2); i++) run();
  const samples: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const result: BenchResult = { name, medianMs: samples[Math.floor(samples.length / 2)]!, p99Ms: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))]! };
  if (options.goalMs !== undefined) result.goalMs = options.goalMs;
  if (options.note !== undefined) result.note = options.note;
  return result;
}

export function formatResults(title: string, results: BenchResult[]): string {
  const rows = results.map((r) => {
    const goal = r.goalMs === undefined ? '' : `${r.medianMs <= r.goalMs ? 'meets' : 'MISSES'} goal ${r.goalMs} ms`;
    return `  ${r.name.padEnd(34)} median ${r.medianMs.toFixed(2).padStart(9)} ms   p99 ${r.p99Ms.toFixed(2).padStart(9)} ms   ${goal}${r.note ? `  (${r.note})` : ''}`;
  });
  return `${title}\n${rows.join('\n')}\n`;
}
