/** The rule-index scenario in json-rules-engine: one rule per code, every rule evaluated per decision. */
import type { EngineResult, RuleProperties } from 'json-rules-engine';
import { rulesEngine } from './admission-rules-engine.ts';
import { normalized, type Contender } from './decision.ts';
import type { CodeInput } from './index-rules.ts';

export function codeRulesEngine(rules: number): Contender<CodeInput, Promise<EngineResult>> {
  const list: RuleProperties[] = [];
  for (let i = 0; i < rules; i++) {
    list.push({
      name: `r${i}`,
      conditions: { all: [{ fact: 'code', operator: 'equal', value: `C${i}` }, { fact: 'amount', operator: 'greaterThan', value: i }] },
      event: { type: 'deny', params: { rule: `r${i}` } },
    });
  }
  const engine = rulesEngine(list);
  return {
    name: 'json-rules-engine',
    evaluate: (input) => engine.run({ code: input.code, amount: input.amount }),
    normalize: (raw) => normalized(raw.events.length > 0 ? 'deny' : 'allow', raw.events.map((e) => String(e.params?.rule))),
    async: true,
  };
}
