/**
 * Engine benchmarks: Verdict against hand-written JS and real peer engines,
 * side by side in one run. Before anything is timed, every engine must return
 * the same decision (outcome and fired rules, and outputs where compared) as
 * hand-written JS on every sample input; the run aborts otherwise.
 *
 *   A. marketplace.admission: Verdict, JS (rule ids only, and the full decision), json-rules-engine,
 *      Cedar (wasm), GoRules Zen, cel-js
 *   B. rule index: N = 10 .. 10,000 rules `code == "C<i>" && amount > i`: Verdict, JS (a Map), cel-js,
 *      json-rules-engine, Zen and Cedar (up to 1,000 rules)
 *   C. insurance.auto_quote: premium from factor tables + decision
 */
import os from 'node:os';
import v8 from 'node:v8';
import { asyncPass, compareThroughput, formatNs, formatThroughput, syncPass, type Timed } from './measure.ts';
import type { Contender } from './peers/decision.ts';
import { canonicalJson, sameDecision } from './peers/decision.ts';
import { admissionInputs } from './peers/admission-inputs.ts';
import { admissionJs } from './peers/admission-js.ts';
import { admissionFullByHand } from './peers/admission-js-full.ts';
import { admissionProblems, admissionValidatedByHand } from './peers/admission-js-validated.ts';
import { admissionCel } from './peers/admission-cel.ts';
import { admissionRulesEngine } from './peers/admission-rules-engine.ts';
import { admissionZen } from './peers/admission-zen.ts';
import { codeInputs, codeRulesJs, indexedRuleset, type CodeInput } from './peers/index-rules.ts';
import { codeRulesEngine } from './peers/index-rules-engine.ts';
import { codeRulesCel } from './peers/index-rules-cel.ts';
import { codeRulesZen } from './peers/index-rules-zen.ts';
import { quoteInputs } from './peers/auto-quote-inputs.ts';
import { quoteJs } from './peers/auto-quote-js.ts';
import { compileOrThrow, rulesetSource, verdictContender } from './peers/verdict.ts';

// Issue 3 saw Cedar's wasm abort about one Node 20 process in 7 with inlined
// JS-to-wasm calls; the flag is set before its module loads (hence the dynamic imports).
v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');
const { admissionCedar } = await import('./peers/admission-cedar.ts');
const { codeRulesCedar } = await import('./peers/index-rules-cedar.ts');

const NAMES = { baseline: 'hand-written JS', verdict: 'Verdict' };
/** Inputs checked for agreement, and the (smaller) pool cycled through while timing. */
const CHECKED = 10_000;
const TIMED = 1_000;

type AnyContender<I> = Contender<I, unknown>;

/** Every contender must agree with the first (hand-written JS) on every input. */
async function assertAgreement<I>(scenario: string, contenders: Array<AnyContender<I>>, inputs: readonly I[]): Promise<void> {
  const [reference, ...others] = contenders;
  if (!reference) return;
  for (const input of inputs) {
    const expected = reference.normalize(await reference.evaluate(input));
    for (const other of others) {
      const actual = other.normalize(await other.evaluate(input));
      if (!sameDecision(expected, actual)) {
        throw new Error(`${scenario}: ${other.name} disagrees with ${reference.name} on ${JSON.stringify(input)}\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`);
      }
    }
  }
}

/** How a contender is timed: one sync call per input, or async calls awaited one by one (and `inFlight` at once). */
function timed<I>(contender: AnyContender<I>, inputs: readonly I[], inFlight: number[] = [1]): Timed[] {
  const note = contender.note === undefined ? {} : { note: contender.note };
  if (!contender.async) return [{ name: contender.name, ops: inputs.length, pass: syncPass(inputs, contender.evaluate), ...note }];
  const run = contender.evaluate as (input: I) => Promise<unknown>;
  return inFlight.map((width) => ({ name: width === 1 ? `${contender.name} (awaited)` : `${contender.name} (${width} in flight)`, ops: inputs.length, pass: asyncPass(inputs, run, width), ...note }));
}

async function admission(write: (text: string) => void): Promise<void> {
  const ruleset = compileOrThrow(rulesetSource('marketplace/admission.policy'));
  const verdict = verdictContender(ruleset);
  const full = admissionFullByHand(ruleset);
  const validated = admissionValidatedByHand(ruleset);
  const contenders = [admissionJs, full, validated, verdict, admissionCel, admissionRulesEngine, admissionZen, admissionCedar] as Array<AnyContender<unknown>>;
  const inputs = admissionInputs(CHECKED);
  await assertAgreement('marketplace.admission', contenders, inputs);
  // the full hand-written decision must equal Verdict's field for field (messages, reads, score)
  for (const input of inputs) {
    const result = ruleset.evaluate(input);
    const { ok: _ok, ...decision } = result.ok ? result : { ok: false };
    if (canonicalJson(decision) !== canonicalJson(full.evaluate(input))) throw new Error(`marketplace.admission: ${full.name} differs from Verdict on ${JSON.stringify(input)}`);
  }
  // and the hand-written validation must refuse what Verdict refuses, with the same paths
  for (const broken of brokenAdmissionInputs(inputs.slice(0, 200))) {
    const result = ruleset.evaluate(broken);
    const paths = result.ok ? [] : result.error.details.map((d) => d.path).sort();
    const byHand = admissionProblems(broken).map((p) => p.path).sort();
    if (paths.length === 0 || paths.join('\n') !== byHand.join('\n')) throw new Error(`marketplace.admission: ${validated.name} validates ${JSON.stringify(broken)} as [${byHand}], Verdict as [${paths}]`);
  }
  const pool = inputs.slice(0, TIMED);
  const denied = pool.filter((i) => admissionJs.evaluate(i).decision === 'deny').length;
  const results = await compareThroughput(contenders.flatMap((c) => timed(c, pool, [1, 64])));
  write(formatThroughput(`engine A: marketplace.admission, ${TIMED} inputs (${denied} denied), all ${contenders.length} contenders agree on ${CHECKED.toLocaleString('en-US')} inputs`, results, NAMES));
  const js = results.find((r) => r.name === NAMES.baseline)!;
  const v = results.find((r) => r.name === NAMES.verdict)!;
  const fullJs = results.find((r) => r.name === full.name)!;
  const validatedJs = results.find((r) => r.name === validated.name)!;
  const closest = results.filter((r) => !r.name.startsWith(NAMES.baseline) && r !== v).sort((a, b) => a.nsPerOp - b.nsPerOp)[0]!;
  const margin = closest.nsPerOp / v.nsPerOp;
  const closestPeer = (r: { nsPerOp: number }) => closest.nsPerOp / r.nsPerOp;
  write(`  goals: within 3× of JS: ${(v.nsPerOp / js.nsPerOp).toFixed(1)}× (${v.nsPerOp <= 3 * js.nsPerOp ? 'meets' : 'MISSES'}; ${(v.nsPerOp / fullJs.nsPerOp).toFixed(1)}× the full-decision JS); ≥10× faster than every peer: ${closest.name} is ${margin >= 1 ? `${margin.toFixed(1)}× slower` : `${(1 / margin).toFixed(1)}× faster`} (${margin >= 10 ? 'meets' : 'MISSES'})\n`);
  // What the same work costs when written by hand: whether the goal is within reach of any engine that gives this decision.
  write(`  the same work by hand (${validated.name}): ${(validatedJs.nsPerOp / js.nsPerOp).toFixed(1)}× the rule-ids JS, ${closestPeer(validatedJs).toFixed(1)}× faster than ${closest.name}; Verdict is ${(v.nsPerOp / validatedJs.nsPerOp).toFixed(2)}× its time\n\n`);
}

/**
 * Inputs that break the admission schema in one or several ways (wrong types, unknown fields,
 * a value outside an enumeration, a missing field), made from valid ones.
 */
function brokenAdmissionInputs(valid: Array<{ service: object }>): unknown[] {
  const breaks: Array<(s: Record<string, unknown>) => void> = [
    (s) => (s['tier'] = 'platinum'),
    (s) => (s['data_residency'] = ['US', 7]),
    (s) => (s['tls_version'] = '1.2'),
    (s) => (s['sla'] = { availability: 99.9, penalty: 1 }),
    (s) => delete s['endpoint'],
    (s) => ((s['owner'] = 'x'), (s['id'] = 42)),
  ];
  return valid.map((input, i) => {
    const service = structuredClone(input.service) as Record<string, unknown>;
    breaks[i % breaks.length]!(service);
    return i % 17 === 0 ? { service, extra: true } : { service };
  });
}

/** The peers walk every rule per decision: json-rules-engine, Zen and Cedar are skipped above this size to keep the run short. */
const RULES_ENGINE_MAX = 1_000;

async function ruleIndex(write: (text: string) => void): Promise<void> {
  const verdictAt = new Map<number, { ruleset: ReturnType<typeof compileOrThrow>; inputs: CodeInput[] }>();
  let rulesEngineAtMax = Number.NaN;
  for (const n of [10, 100, 1_000, 10_000]) {
    const started = performance.now();
    const ruleset = compileOrThrow(indexedRuleset(n));
    const compileMs = performance.now() - started;
    const contenders: Array<AnyContender<CodeInput>> = [codeRulesJs(n), verdictContender(ruleset, { note: `compiled in ${compileMs.toFixed(0)} ms` }), codeRulesCel(n)];
    if (n <= RULES_ENGINE_MAX) contenders.push(codeRulesEngine(n), codeRulesZen(n), codeRulesCedar(n));
    // Fewer inputs where a decision takes milliseconds (json-rules-engine at 1,000 rules).
    const inputs = codeInputs(n, n >= 1_000 ? 100 : TIMED);
    await assertAgreement(`rule index N=${n}`, contenders, inputs);
    // Zen's awaited calls are dominated by a thread hop; in flight is its fair throughput here
    const results = await compareThroughput(contenders.flatMap((c) => timed(c, inputs, c.name === 'GoRules Zen' ? [64] : [1])));
    const skipped = n > RULES_ENGINE_MAX ? `; json-rules-engine, Zen and Cedar skipped (they evaluate every rule; at ${RULES_ENGINE_MAX.toLocaleString('en-US')} rules json-rules-engine took ${formatNs(rulesEngineAtMax)} per decision)` : '';
    write(formatThroughput(`engine B: rule index, N = ${n.toLocaleString('en-US')} rules \`code == "C<i>" && amount > i\`, ${inputs.length} inputs${skipped}`, results, NAMES));
    if (n === 10 || n === 10_000) verdictAt.set(n, { ruleset, inputs });
    if (n === RULES_ENGINE_MAX) rulesEngineAtMax = results.find((r) => r.name.startsWith('json-rules-engine'))!.nsPerOp;
  }
  // The goal's two sizes timed again side by side, samples interleaved, so that load on a shared
  // machine in one size's minute (above, each size is timed on its own) does not skew the ratio.
  const sizes = [10, 10_000].map((n) => {
    const { ruleset, inputs } = verdictAt.get(n)!;
    return timed(verdictContender(ruleset, { note: `N = ${n.toLocaleString('en-US')}` }), inputs)[0]!;
  });
  sizes.forEach((entry, k) => (entry.name = `Verdict, N = ${k === 0 ? '10' : '10,000'}`));
  const [small, large] = await compareThroughput(sizes);
  const growth = large!.nsPerOp / small!.nsPerOp;
  write(`  goal: Verdict at N = 10,000 no more than 3× its cost at N = 10 (the two timed side by side: ${formatNs(small!.nsPerOp)} and ${formatNs(large!.nsPerOp)}): ${growth.toFixed(1)}× (${growth <= 3 ? 'meets' : 'MISSES'})\n\n`);
}

async function autoQuote(write: (text: string) => void): Promise<void> {
  const verdict = verdictContender(compileOrThrow(rulesetSource('insurance/auto_quote.policy')), { outputs: ['premium'] });
  const contenders = [quoteJs, verdict] as Array<AnyContender<unknown>>;
  const inputs = quoteInputs(CHECKED);
  await assertAgreement('insurance.auto_quote', contenders, inputs);
  const pool = inputs.slice(0, TIMED);
  const results = await compareThroughput(contenders.flatMap((c) => timed(c, pool)));
  write(formatThroughput(`engine C: insurance.auto_quote (premium from 7 tables + 7 rules), ${TIMED} inputs, agree on ${CHECKED.toLocaleString('en-US')} (decision, rules, premium)`, results, NAMES));
  write('\n');
}

export async function engineBenchmarks(write: (text: string) => void): Promise<void> {
  const started = performance.now();
  await admission(write);
  await ruleIndex(write);
  await autoQuote(write);
  write(`engine suite: ${((performance.now() - started) / 1000).toFixed(0)} s (Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)})\n`);
}
