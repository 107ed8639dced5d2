import { compile } from './src/index.ts';
import { readFileSync } from 'node:fs';
import { admissionInputs } from '../../test/bench/peers/admission-inputs.ts';
const r = compile(readFileSync('../../rulesets/marketplace/admission.policy', 'utf8')).ruleset!;
const all = admissionInputs(4000);
const which = process.argv[2] ?? 'violating';
const set = all.filter((i) => { const d = r.evaluate(i); return d.ok && (d.violations.length > 0) === (which === 'violating'); }).slice(0, 1000);
const end = Date.now() + 4000; let n = 0;
while (Date.now() < end) { for (const i of set) r.evaluate(i); n += set.length; }
console.log(which, n);
