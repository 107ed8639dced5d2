import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/ast.ts';
import { printExpr } from '../../src/json-schema.ts';
import { parseExpression } from '../../src/parse.ts';

/** The tree without spans and ids, for structural comparison. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'span' && k !== 'id' && !k.endsWith('Span'))
      .map(([k, v]) => [k, shape(v)]),
  );
}

function parsed(text: string): Expr {
  const { expr, diagnostics } = parseExpression(text);
  expect(diagnostics).toEqual([]);
  return expr;
}

describe('printExpr', () => {
  // [source, canonical print]
  const cases: Array<[string, string]> = [
    ['value>0', 'value > 0'],
    ['value > 0 && value <= 1e3', 'value > 0 && value <= 1e3'],
    ['(a || b) && c', '(a || b) && c'],
    ['a || b && c', 'a || b && c'],
    ['(a && b) || c', 'a && b || c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['a * (b + c) % 2', 'a * (b + c) % 2'],
    ['-(a + b)', '-(a + b)'],
    ['- -a', '- -a'],
    ['-1 + x', '-1 + x'],
    ['!(a == b)', '!(a == b)'],
    ['!!a', '!!a'],
    ['(a ?? b) ?? c', 'a ?? b ?? c'],
    ['a ?? (b ?? c)', 'a ?? (b ?? c)'],
    ['a ? b : c ? d : e', 'a ? b : c ? d : e'],
    ['(a ? b : c) ? d : e', '(a ? b : c) ? d : e'],
    ['(a + b).size()', '(a + b).size()'],
    ['x?.y.z[0]?.[k]', 'x?.y.z[0]?.[k]'],
    ['size(value) == 2', 'size(value) == 2'],
    ['value.matches(r"^\\d+$")', 'value.matches(r"^\\d+$")'],
    ["value.startsWith('p')", "value.startsWith('p')"],
    ['xs.map(x, x > 0, x * 2)', 'xs.map(x, x > 0, x * 2)'],
    ['xs.all(x, x in [1, 2])', 'xs.all(x, x in [1, 2])'],
    ['has(a.b)', 'has(a.b)'],
    ['{a: 1, "b c": [true, null]}', '{a: 1, "b c": [true, null]}'],
    ['(-1).abs()', '(-1).abs()'],
    ['0x1F + 1.5', '0x1F + 1.5'],
  ];
  it.each(cases)('%s', (source, expected) => {
    const expr = parsed(source);
    const printed = printExpr(expr);
    expect(printed).toBe(expected);
    expect(shape(parsed(printed))).toEqual(shape(expr));
  });
});
