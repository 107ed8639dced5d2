import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.ts';

const prelude = `ruleset t.recursion
input {
  k: number
}
decision deny > allow
`;
const rule = (condition: string) => `rule r {\n  severity high\n  deny when ${condition}\n  because "x"\n}\n`;

function recursion(body: string) {
  return analyze(prelude + body).diagnostics.filter((d) => d.code === 'VD3040');
}

describe('recursive tables (VD3040)', () => {
  it('refuses a table that calls itself, at the call, naming the cycle', () => {
    const source = prelude + 'table after(k: number) -> number {\n  <= 0 -> 0\n  else -> after(k - 1) + k\n}\n' + rule('after(k) > 10');
    const found = analyze(source).diagnostics.filter((d) => d.code === 'VD3040');
    expect(found).toHaveLength(1);
    const d = found[0]!;
    expect(d.severity).toBe('error');
    expect(d.message).toBe('table `after` calls itself: after -> after');
    expect(source.slice(d.span.start, d.span.end)).toBe('after');
    expect(d.span.line).toBe(8);
    expect(d.hint).toMatch(/macro/);
  });

  it('refuses the call on the right of an operator as well as the left (the shapes of the issue)', () => {
    expect(recursion('table before(k: number) -> number {\n  <= 0 -> 0\n  else -> k + before(k - 1)\n}\n' + rule('before(k) > 10'))).toHaveLength(1);
    expect(recursion('table fib(n: number) -> number {\n  < 2 -> n\n  else -> fib(n - 1) + fib(n - 2)\n}\n' + rule('fib(k) > 10'))).toHaveLength(1);
  });

  it('refuses mutual recursion once, naming every table of the cycle', () => {
    const found = recursion(
      'table even(n: number) -> boolean {\n  0 -> true\n  else -> odd(n - 1)\n}\ntable odd(n: number) -> boolean {\n  0 -> false\n  else -> even(n - 1)\n}\n' + rule('even(k)'),
    );
    expect(found.map((d) => d.message)).toEqual(['table `even` calls itself: even -> odd -> even']);
  });

  it('refuses recursion through a guard, a pattern and a ruleset-level let', () => {
    expect(recursion('table g(n: number) -> number {\n  _ when g(n) > 1 -> 1\n  else -> 0\n}\n' + rule('g(k) > 0'))).toHaveLength(1);
    expect(recursion('table p(n: number) -> number {\n  < p(n) -> 1\n  else -> 0\n}\n' + rule('p(k) > 0'))).toHaveLength(1);
    const found = recursion('let helper = even(k - 1)\ntable even(n: number) -> boolean {\n  0 -> true\n  else -> helper\n}\n' + rule('even(k)'));
    expect(found.map((d) => d.message)).toEqual(['table `even` calls itself: even -> helper -> even']);
  });

  it('accepts tables that call other tables, and lets that call tables, without a cycle', () => {
    const body =
      'table base(n: number) -> number {\n  < 0 -> 0\n  else -> n\n}\n' +
      'table twice(n: number) -> number {\n  else -> base(n) + base(n - 1)\n}\n' +
      'let total = twice(k) + base(k)\n' +
      rule('total > 3');
    expect(analyze(prelude + body).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('leaves a cycle of lets alone to VD3005', () => {
    const codes = analyze(prelude + 'let a = b + 1\nlet b = a + 1\n' + rule('a > 1')).diagnostics.map((d) => d.code);
    expect(codes).toContain('VD3005');
    expect(codes).not.toContain('VD3040');
  });
});
