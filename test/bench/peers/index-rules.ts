/**
 * The rule-index scenario: N equality-discriminated rules, rule i being
 * `code == "C<i>" && amount > i`, encoded in each engine.
 */
import { normalized, type Contender } from './decision.ts';
import { seeded } from './random.ts';

export interface CodeInput {
  code: string;
  amount: number;
}

export function indexedRuleset(rules: number): string {
  const parts = [`ruleset bench.indexed\n\ninput {\n  code: string\n  amount: number\n}\n\ndecision deny > allow\n`];
  for (let i = 0; i < rules; i++) parts.push(`rule r${i} {\n  severity high\n  deny when code == "C${i}" && amount > ${i}\n  because "code C${i} over ${i}"\n}\n`);
  return parts.join('\n');
}

/** Codes of existing rules (about half above their threshold) and one in ten unknown codes. */
export function codeInputs(rules: number, count: number, seed = 2): CodeInput[] {
  const random = seeded(seed);
  const inputs: CodeInput[] = [];
  for (let k = 0; k < count; k++) {
    const i = Math.floor(random() * rules);
    inputs.push({ code: random() < 0.1 ? `X${i}` : `C${i}`, amount: Math.floor(random() * 2 * (i + 1)) });
  }
  return inputs;
}

/** Hand-written JS: a Map from code to the rules on that code. */
export function codeRulesJs(rules: number): Contender<CodeInput, string[]> {
  const byCode = new Map<string, Array<{ id: string; over: number }>>();
  for (let i = 0; i < rules; i++) byCode.set(`C${i}`, [{ id: `r${i}`, over: i }]);
  return {
    name: 'hand-written JS',
    evaluate: (input) => {
      const fired: string[] = [];
      for (const rule of byCode.get(input.code) ?? []) if (input.amount > rule.over) fired.push(rule.id);
      return fired;
    },
    normalize: (raw) => normalized(raw.length > 0 ? 'deny' : 'allow', raw),
    note: 'Map lookup',
  };
}
