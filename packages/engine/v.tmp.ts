import { compile } from './src/index.ts';
import { readFileSync } from 'node:fs';
import { admissionInputs } from '../../test/bench/peers/admission-inputs.ts';
import { admissionFullByHand } from '../../test/bench/peers/admission-js-full.ts';
const r = compile(readFileSync('../../rulesets/marketplace/admission.policy', 'utf8')).ruleset!;
const js = admissionFullByHand(r);
const all = admissionInputs(4000);
const ok = all.filter((i) => { const d = r.evaluate(i); return d.ok && d.violations.length === 0; }).slice(0, 1000);
const bad = all.filter((i) => { const d = r.evaluate(i); return d.ok && d.violations.length > 0; }).slice(0, 1000);
const best: Record<string, number> = {};
for (let k = 0; k < 15; k++) for (const [n, set, f] of [['verdict compliant', ok, (i: unknown) => r.evaluate(i)], ['verdict violating', bad, (i: unknown) => r.evaluate(i)], ['js compliant', ok, (i: never) => js.evaluate(i)], ['js violating', bad, (i: never) => js.evaluate(i)]] as const) {
  const t = process.hrtime.bigint();
  for (let j = 0; j < 100; j++) for (const i of set) (f as (x: unknown) => unknown)(i);
  best[n] = Math.min(best[n] ?? Infinity, Number(process.hrtime.bigint() - t) / (100 * set.length));
}
console.log(best);
