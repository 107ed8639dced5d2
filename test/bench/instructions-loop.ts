/**
 * The loop `instructions.ts` counts under callgrind: `<mode> <decisions>`.
 * Every result is stored where V8 cannot prove it unused, as in the timed
 * benchmark, so no engine's result object is optimised away.
 */
import { inputJsonSchema, analyze } from '@verdict/language';
import { compileQuickCheck } from '../../packages/engine/src/codegen/quick-check.ts';
import { admissionInputs } from './peers/admission-inputs.ts';
import { admissionFullByHand } from './peers/admission-js-full.ts';
import { admissionValidatedByHand } from './peers/admission-js-validated.ts';
import { admissionByHand } from './peers/admission-js.ts';
import { compileOrThrow, rulesetSource } from './peers/verdict.ts';

const [mode = 'verdict-mix', count = '30000'] = process.argv.slice(2);
const decisions = Number(count);
const source = rulesetSource('marketplace/admission.policy');
const ruleset = compileOrThrow(source);
const all = admissionInputs(1_000);
const allowed = all.filter((i) => admissionByHand(i).decision === 'allow');
const denied = all.filter((i) => admissionByHand(i).decision === 'deny');
const quickCheck = compileQuickCheck(inputJsonSchema(analyze(source).ast), {});
if (quickCheck === null) throw new Error('the admission schema has no quick check');
const full = admissionFullByHand(ruleset);
const validated = admissionValidatedByHand(ruleset);

const runs: Record<string, [unknown[], (input: never) => unknown]> = {
  'verdict-mix': [all, (i) => ruleset.evaluate(i)],
  'verdict-allowed': [allowed, (i) => ruleset.evaluate(i)],
  'verdict-denied': [denied, (i) => ruleset.evaluate(i)],
  'quick-check-allowed': [allowed, (i) => quickCheck(i)],
  'js-mix': [all, admissionByHand],
  'js-full-mix': [all, (i) => full.evaluate(i)],
  'js-validated-mix': [all, (i) => validated.evaluate(i)],
  // the loop alone, to subtract from the others
  'loop-mix': [all, (i) => i],
};
const run = runs[mode];
if (run === undefined) throw new Error(`unknown mode ${mode}; one of ${Object.keys(runs).join(', ')}`);
const [inputs, evaluate] = run;

export let sink: unknown;
/** Whole passes in a function, so V8 optimises the loop itself (module code is left to the interpreter). */
function pass(upTo: number): void {
  for (let k = 0; k < upTo; k++) sink = evaluate(inputs[k] as never);
}
for (let left = decisions; left > 0; left -= inputs.length) pass(Math.min(left, inputs.length));
