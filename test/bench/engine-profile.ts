/**
 * Verdict alone in a loop, for a CPU profile of one scenario:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx test/bench/engine-profile.ts admission|index|quote [seconds] [rules (index only)]
 * then open the .cpuprofile in Chrome DevTools (or summarise it by self time).
 */
import { admissionInputs } from './peers/admission-inputs.ts';
import { quoteInputs } from './peers/auto-quote-inputs.ts';
import { codeInputs, indexedRuleset } from './peers/index-rules.ts';
import { compileOrThrow, rulesetSource } from './peers/verdict.ts';

const scenario = process.argv[2] ?? 'admission';
const seconds = Number(process.argv[3] ?? 5);
/** Rule count of the `index` scenario. */
const rules = Number(process.argv[4] ?? 1_000);

const setups: Record<string, () => { ruleset: ReturnType<typeof compileOrThrow>; inputs: unknown[] }> = {
  admission: () => ({ ruleset: compileOrThrow(rulesetSource('marketplace/admission.policy')), inputs: admissionInputs(1_000) }),
  index: () => ({ ruleset: compileOrThrow(indexedRuleset(rules)), inputs: codeInputs(rules, 1_000) }),
  quote: () => ({ ruleset: compileOrThrow(rulesetSource('insurance/auto_quote.policy')), inputs: quoteInputs(1_000) }),
};
const setup = setups[scenario];
if (!setup) throw new Error(`unknown scenario ${scenario}; one of ${Object.keys(setups).join(', ')}`);
const { ruleset, inputs } = setup();
const end = Date.now() + seconds * 1000;
let decisions = 0;
while (Date.now() < end) {
  for (const input of inputs) ruleset.evaluate(input);
  decisions += inputs.length;
}
process.stdout.write(`${scenario}: ${decisions} decisions in ${seconds} s\n`);
