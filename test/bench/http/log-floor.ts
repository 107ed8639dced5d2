/**
 * The floor of the decision log (not part of `pnpm bench`): what writing one decision row costs
 * the database alone, outside any server. Real `marketplace.admission` decisions (the HTTP
 * bench's inputs, about half with violations) are appended to a fresh store with
 * `appendDecisions` in batches of several sizes, and the CPU time of the process per row is
 * reported (user + system, all threads: PGlite on a worker thread is counted too).
 *
 * Usage: node --import tsx test/bench/http/log-floor.ts [pglite|pglite-thread|postgres] [rows]
 * (`postgres` needs DATABASE_URL; it reports this process's CPU only, not the backend's.)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compile, redact, sensitivePaths } from '@verdict/engine';
import { openStore, type DecisionInput, type Json } from '@verdict/store';
import { SAMPLE_INPUTS } from './inputs.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const [driver = 'pglite', rowsArg = '20000'] = process.argv.slice(2);
const total = Number(rowsArg);

const compiled = compile(readFileSync(join(ROOT, 'rulesets/marketplace/admission.policy'), 'utf8')).ruleset!;
const sensitive = sensitivePaths(compiled.inputSchema);

/** A log row as the evaluate route builds it. */
function decisionRow(i: number): DecisionInput {
  const input = SAMPLE_INPUTS[i % SAMPLE_INPUTS.length]!;
  const result = compiled.evaluate(input, {});
  if (!result.ok) throw new Error(result.error.message);
  return {
    id: randomUUID(),
    ruleset: 'marketplace.admission',
    version: 1,
    channel: 'production',
    decision: result.decision,
    violations: result.violations.map((v) => ({ rule: v.rule, severity: v.severity, message: v.message })),
    outputs: result.outputs,
    durationUs: 3,
    input: redact(input, sensitive) as Json,
    createdAt: new Date(),
  };
}

const work = mkdtempSync(join(tmpdir(), 'verdict-log-floor-'));
const store =
  driver === 'postgres'
    ? await openStore({ url: process.env['DATABASE_URL']! })
    : await openStore({ dataDir: join(work, 'data'), ...(driver === 'pglite-thread' ? { thread: true } : {}) });
try {
  const violating = Array.from({ length: SAMPLE_INPUTS.length }, (_, i) => decisionRow(i).violations.length);
  process.stdout.write(`decision log floor on ${driver}: ${total.toLocaleString('en-US')} rows per batch size; violations per decision over the inputs: ${violating.join(' ')}\n`);
  await store.appendDecisions(Array.from({ length: 2000 }, (_, i) => decisionRow(i))); // warm-up
  for (const batch of [1, 10, 50, 200, 1000]) {
    const rows = Array.from({ length: batch === 1 ? total / 10 : total }, (_, i) => decisionRow(i));
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < rows.length; i += batch) await store.appendDecisions(rows.slice(i, i + batch));
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - started;
    const perRow = (us: number) => (us / rows.length).toFixed(1).padStart(6);
    process.stdout.write(`  batches of ${String(batch).padStart(4)}: CPU ${perRow(used.user + used.system)} µs/row (user ${perRow(used.user)}, system ${perRow(used.system)}), wall ${perRow(wall * 1000)} µs/row\n`);
  }
} finally {
  await store.close();
  rmSync(work, { recursive: true, force: true });
}
