/**
 * Child process: one autocannon run (pinned to its own core by the parent).
 * Argument: a JSON `LoadSpec`. Prints one JSON `LoadResult` line.
 */
import { createRequire } from 'node:module';

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  /** Request bodies, rotated in order on each connection. */
  bodies: string[];
  connections: number;
  durationSec: number;
  /** Requests per second over all connections; absent = as fast as possible. */
  overallRate?: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** Only from the fixed-rate generator (`fixed-rate.ts`). */
  p999?: number;
  max?: number;
  total: number;
  non2xx: number;
  errors: number;
  /** Fixed-rate only: requests still unanswered 10 s after the last was sent (the server fell behind). */
  unanswered?: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

// autocannon ships no type declarations; this is the part used here
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const options: Record<string, unknown> = {
  url: spec.url,
  connections: spec.connections,
  duration: spec.durationSec,
  requests: spec.bodies.map((body) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...spec.headers }, body })),
};
if (spec.overallRate !== undefined) options['overallRate'] = spec.overallRate;
const r = await autocannon(options);
const result: LoadResult = { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts };
process.stdout.write(`${JSON.stringify(result)}\n`);
