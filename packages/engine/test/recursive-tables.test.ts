/**
 * A recursive table would overwrite its caller's arguments (one set of column slots per evaluation)
 * and answer a wrong value: no evaluator may reach it. Compiling refuses it in every configuration
 * (the checker's VD3040), and the reference interpreter answers a `cycle` error, not a value.
 */
import { analyze } from '@verdict/language';
import { describe, expect, it } from 'vitest';
import { compile, referenceDecide, type Value } from '@verdict/engine';
import { ruleset } from './helpers.ts';

const header = `ruleset t.recursive
input {
  k: number
}
decision deny > allow
`;
const rule = (condition: string) => `rule r {\n  severity high\n  deny when ${condition}\n  because "x"\n}\n`;

const RECURSIVE: Record<string, string> = {
  'direct, call on the left': 'table after(k: number) -> number {\n  <= 0 -> 0\n  else -> after(k - 1) + k\n}\n' + rule('after(k) == 55'),
  'direct, call on the right': 'table before(k: number) -> number {\n  <= 0 -> 0\n  else -> k + before(k - 1)\n}\n' + rule('before(k) == 55'),
  fibonacci: 'table fib(n: number) -> number {\n  < 2 -> n\n  else -> fib(n - 1) + fib(n - 2)\n}\n' + rule('fib(k) == 55'),
  mutual:
    'table even(n: number) -> boolean {\n  0 -> true\n  else -> odd(n - 1)\n}\ntable odd(n: number) -> boolean {\n  0 -> false\n  else -> even(n - 1)\n}\n' + rule('even(k)'),
  'through a let': 'let helper = even(k - 1)\ntable even(n: number) -> boolean {\n  0 -> true\n  else -> helper\n}\n' + rule('even(k)'),
};

const CONFIGURATIONS = [{}, { codegen: false }, { index: false }, { codegen: false, index: false }, { indexMinRules: 0 }];

describe('recursive tables are refused by every evaluator', () => {
  for (const [name, body] of Object.entries(RECURSIVE)) {
    it(`${name}: compile answers VD3040 and no ruleset, in every configuration`, () => {
      for (const options of CONFIGURATIONS) {
        const result = compile(header + body, options);
        expect(result.ruleset).toBeUndefined();
        expect(result.diagnostics.map((d) => d.code)).toContain('VD3040');
      }
    });

    it(`${name}: the reference interpreter answers a cycle error, not a value`, () => {
      const ast = analyze(header + body).ast;
      const decided = referenceDecide(ast, { k: 10 } as Record<string, Value>);
      expect(decided.errors).toEqual([['r', 'cycle']]);
    });
  }

  it('tables calling other tables still agree with the reference interpreter', () => {
    const source =
      header +
      'table base(n: number) -> number {\n  < 0 -> 0\n  else -> n\n}\n' +
      'table twice(n: number) -> number {\n  else -> base(n) + base(n - 1) + n\n}\n' +
      'output value = twice(k) + base(k) + twice(base(k))\n' +
      rule('twice(k) > 20');
    const ast = analyze(source).ast;
    for (const options of CONFIGURATIONS) {
      const compiled = ruleset(source, options);
      for (const k of [-3, 0, 1, 5, 10]) {
        const result = compiled.evaluate({ k });
        const reference = referenceDecide(ast, { k } as Record<string, Value>);
        if (!result.ok) throw new Error('evaluation failed');
        expect(result.outputs['value']).toBe(reference.outputs['value']);
        expect(result.violations.map((v) => v.rule)).toEqual(reference.fired);
      }
    }
  });
});
