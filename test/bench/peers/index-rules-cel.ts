/** The rule-index scenario in cel-js: one parsed expression per rule, all evaluated per decision (no index). */
import { parse } from '@marcbachmann/cel-js';
import { normalized, type Contender } from './decision.ts';
import type { CodeInput } from './index-rules.ts';

export function codeRulesCel(rules: number): Contender<CodeInput, string[]> {
  const compiled = Array.from({ length: rules }, (_, i) => ({ id: `r${i}`, check: parse(`code == "C${i}" && amount > ${i}`) }));
  return {
    name: 'cel-js',
    evaluate: (input) => {
      const fired: string[] = [];
      for (const rule of compiled) if (rule.check(input) === true) fired.push(rule.id);
      return fired;
    },
    normalize: (raw) => normalized(raw.length > 0 ? 'deny' : 'allow', raw),
    note: 'N expressions, parsed once',
  };
}
