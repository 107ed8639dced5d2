/** Language benchmarks: parse + check of a 10,000-rule ruleset and of a 1,000-line file. */
import { analyze } from '@verdict/language';
import { generatedRuleset, rulesetOfLines } from './generate.ts';
import { measure, type BenchResult } from './measure.ts';

export function languageBenchmarks(): BenchResult[] {
  const big = generatedRuleset(10_000);
  const editor = rulesetOfLines(1_000);
  for (const source of [big, editor]) {
    const errors = analyze(source).diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`generated ruleset does not check: ${errors[0]!.code} ${errors[0]!.message}`);
  }
  return [
    measure('analyze 10,000 rules', () => analyze(big), { iterations: 5, goalMs: 1000, note: `${big.split('\n').length} lines` }),
    measure('analyze 1,000 lines', () => analyze(editor), { iterations: 50, goalMs: 20, note: 'editor re-check per keystroke' }),
  ];
}
