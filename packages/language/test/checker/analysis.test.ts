import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.ts';

const prelude = `ruleset t.analysis
input {
  tier: "free" | "standard" | "enterprise"
  amount: number
  region: string
  tags: list<string>
}
decision deny > warn > allow
const LIMIT = 100
`;

const rule = (id: string, outcome: string, condition: string, lets = '') =>
  `rule ${id} {\n  severity high\n${lets}  ${outcome} when ${condition}\n  because "x"\n}\n`;

function findings(body: string): string[] {
  return analyze(prelude + body)
    .diagnostics.filter((d) => d.code.startsWith('VD4'))
    .map((d) => `${d.code} ${/`(\w+)`/.exec(d.message)?.[1] ?? ''}`);
}

const rows: Array<[string, string, string[]]> = [
  ['contradictory equalities never fire', rule('a', 'deny', 'tier == "free" && tier == "enterprise"'), ['VD4001 a']],
  ['an empty numeric range never fires', rule('a', 'deny', 'amount > 10 && amount < 5'), ['VD4001 a']],
  ['a bound at a point that excludes it', rule('a', 'deny', 'amount > 10 && amount <= 10'), ['VD4001 a']],
  ['a union excluded value by value', rule('a', 'deny', 'tier != "free" && tier != "standard" && tier != "enterprise"'), ['VD4001 a']],
  ['a constant-false condition', rule('a', 'deny', 'size(["a"]) > 3'), ['VD4001 a']],
  ['consts are folded', rule('a', 'deny', 'amount > LIMIT && amount < LIMIT - 1'), ['VD4001 a']],
  ['a constant-true condition fires always', rule('a', 'deny', 'LIMIT > 3'), ['VD4004 a']],
  ['a satisfiable range is fine', rule('a', 'deny', 'amount > 5 && amount < 10'), []],
  ['a narrower rule with lower precedence is shadowed', rule('wide', 'deny', 'amount > 10') + rule('narrow', 'warn', 'amount > 20'), ['VD4002 narrow']],
  ['shadowing through extra conjuncts', rule('wide', 'deny', 'region == "eu"') + rule('narrow', 'warn', 'region == "eu" && "x" in tags'), ['VD4002 narrow']],
  ['shadowing through the union domain', rule('wide', 'deny', 'tier != "free"') + rule('narrow', 'warn', 'tier == "enterprise"'), ['VD4002 narrow']],
  ['no shadowing the other way round', rule('narrow', 'deny', 'amount > 20') + rule('wide', 'warn', 'amount > 10'), []],
  ['no shadowing by a lower-precedence rule', rule('wide', 'warn', 'amount > 10') + rule('narrow', 'deny', 'amount > 20'), []],
  ['the same condition twice', rule('a', 'deny', 'amount > 10 && region == "eu"') + rule('b', 'deny', 'region == "eu" && amount > 10'), ['VD4003 b']],
  ['same text, different lets: not duplicates', rule('a', 'deny', 'n > 0', '  let n = amount - 10\n') + rule('b', 'deny', 'n > 0', '  let n = amount - 20\n'), []],
  ['lets are inlined for shadowing', rule('a', 'deny', 'n > 10', '  let n = amount\n') + rule('b', 'warn', 'amount > 20'), ['VD4002 b']],
  ['different equality values do not interact', rule('a', 'deny', 'region == "eu"') + rule('b', 'warn', 'region == "us"'), []],
];

describe('rule analysis', () => {
  it.each(rows)('%s', (_name, body, expected) => {
    expect(findings(body)).toEqual(expected);
  });

  it('is skipped when the ruleset has errors', () => {
    expect(findings(rule('a', 'deny', 'amount > 10 && amount < 5') + rule('b', 'deny', 'nope > 1'))).toEqual([]);
  });

  it('points a shadowed rule at the rule that shadows it', () => {
    const d = analyze(prelude + rule('wide', 'deny', 'amount > 10') + rule('narrow', 'warn', 'amount > 20')).diagnostics.find((x) => x.code === 'VD4002')!;
    expect(d.related?.[0]?.message).toContain('wide');
    expect(d.severity).toBe('warning');
  });
});
