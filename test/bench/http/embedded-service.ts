/**
 * Child process: a service that embeds Verdict (`@verdict/client`'s `connect`), following
 * `marketplace.admission` on production of a running server and shipping its decisions back
 * to that server's log. Argument: JSON `{ url, key, durationSec, profile? }`. Evaluates in a closed loop
 * over the sample inputs, timing every 16th decision, then ships what is queued (up to 30 s)
 * and prints one JSON line: decisions per second, p50/p99 per decision, and shipping counts.
 */
import { connect } from '@verdict/client';
import { SAMPLE_INPUTS } from './inputs.ts';
import { startSampling } from './sampling.ts';

export interface EmbeddedResult {
  decisions: number;
  rate: number;
  p50Us: number;
  p99Us: number;
  shipped: number;
  dropped: number;
  unshipped: number;
  shipSeconds: number;
}

/** `profile`: sample the CPU during the timed loop and write the profile there (see profile.ts). */
const { url, key, durationSec, profile } = JSON.parse(process.argv[2] ?? '{}') as { url: string; key: string; durationSec: number; profile?: string };
const verdict = connect({ url, key });
const admission = verdict.ruleset('marketplace.admission');
await admission.ready(20_000);

const inputs = SAMPLE_INPUTS;
const sampled: number[] = [];
let decisions = 0;
const stopSampling = profile === undefined ? null : await startSampling();
const started = performance.now();
const end = started + durationSec * 1000;
while (performance.now() < end) {
  // a burst of 1,024 decisions, then a turn of the event loop so the shipper can send
  for (let i = 0; i < 1024; i++, decisions++) {
    const input = inputs[decisions % inputs.length]!;
    if ((decisions & 15) === 0) {
      const t = process.hrtime.bigint();
      admission.evaluate(input);
      sampled.push(Number(process.hrtime.bigint() - t) / 1000);
    } else {
      admission.evaluate(input);
    }
  }
  await new Promise((resolve) => setImmediate(resolve));
}
const seconds = (performance.now() - started) / 1000;
await stopSampling?.(profile!);
sampled.sort((a, b) => a - b);
const at = (q: number) => sampled[Math.min(sampled.length - 1, Math.floor(q * sampled.length))] ?? 0;
const shipStarted = performance.now();
const { unshipped } = await verdict.close(30_000);
const stats = verdict.shipping();
const result: EmbeddedResult = { decisions, rate: decisions / seconds, p50Us: at(0.5), p99Us: at(0.99), shipped: stats.shipped, dropped: stats.dropped, unshipped, shipSeconds: (performance.now() - shipStarted) / 1000 };
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
