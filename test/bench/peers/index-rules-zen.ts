/** The rule-index scenario in GoRules Zen: one decision table (hit policy `collect`) with a row per rule. */
import type { ZenEngineResponse } from '@gorules/zen-engine';
import { collectTableGraph, zenEngine, zenRules } from './admission-zen.ts';
import { normalized, type Contender } from './decision.ts';
import type { CodeInput } from './index-rules.ts';

export function codeRulesZen(rules: number): Contender<CodeInput, Promise<ZenEngineResponse>> {
  const rows: Array<[string, string]> = Array.from({ length: rules }, (_, i) => [`code == "C${i}" and amount > ${i}`, `r${i}`]);
  const decision = zenEngine.createDecision(collectTableGraph(rows));
  return {
    name: 'GoRules Zen',
    evaluate: (input) => decision.evaluate(input),
    normalize: (raw) => {
      const fired = zenRules(raw);
      return normalized(fired.length > 0 ? 'deny' : 'allow', fired);
    },
    async: true,
  };
}
