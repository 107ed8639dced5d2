// List literals: the element type is the union of the items' literal types (as `join` makes it,
// pair by pair), gathered in one pass; and a condition over a list of tens of thousands of
// constants is analysed in time linear in the list (both were quadratic: such a list took minutes).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.ts';

const prelude = `ruleset t.lists\ninput {\n  c: string\n}\ndecision deny > allow\n`;
const rule = (condition: string) => `rule r {\n  severity low\n  deny when ${condition}\n  because "x"\n}\n`;

function problems(source: string): string[] {
  return analyze(source).diagnostics.map((d) => `${d.code}: ${d.message}`);
}

describe('list literal types', () => {
  const rows: Array<[string, string | null]> = [
    ['["a", "b", "a"]', null],
    ['["a", "b", "c"]', 'this is the value list<"a" | "b" | "c">'],
    ['["a", 1, "b"]', null],
    ['["a", c, "b"]', 'this is a list<string>'],
    ['["a", null, "b", "a"]', 'this is the value list<"a" | "b" (may be absent)>'],
    ['[true, false]', 'this is a list<boolean>'],
    ['[["a"], ["b"]]', 'this is the value list<list<"a" | "b">>'],
    ['[1, 2, "a", "b", "c"]', null],
  ];
  it.each(rows)('const k: list<"a" | "b"> = %s', (value, mismatch) => {
    const found = problems(`${prelude}const k: list<"a" | "b"> = ${value}\n${rule('c in k')}`).filter((p) => p.startsWith('VD2003'));
    if (mismatch === null) expect(found).toEqual([]);
    else expect(found).toEqual([`VD2003: the value of \`k\` must be of type list<"a" | "b">; ${mismatch}`]);
  });
});

describe('a list of 30,000 constants', () => {
  const big = `const big: list<string> = [${Array.from({ length: 30_000 }, (_, i) => `"v${i}"`).join(', ')}]\n`;
  const rows: Array<[string, string[]]> = [
    ['c in big', []],
    ['c in big && c == "v7"', []],
    ['c in big && c == "zzz"', ['VD4001: rule `r` can never fire: its condition is never true']],
    ['c in big && !(c in big)', ['VD4001: rule `r` can never fire: its condition is never true']],
  ];
  it.each(rows)('%s', (condition, expected) => {
    expect(problems(prelude + big + rule(condition))).toEqual(expected);
  });
});

describe('a table of 5,000 rows', () => {
  // row 3 repeats row 1: unreachable. Each row is weighed against all the rows above it, within
  // one analysis budget for the ruleset (before it, 1,000 rows took a minute, 10,000 hours).
  const rows = Array.from({ length: 5_000 }, (_, i) => `  ${i === 3 ? 1 : i}, "k${i === 3 ? 1 : i}" -> ${i}\n`).join('');
  const source = `${prelude}table t(x: number, k: string) -> number {\n${rows}  else -> 0\n}\n${rule('t(1, c) > 5')}`;

  it('reports the row the rows above cover, and nothing wrong', () => {
    const found = analyze(source).diagnostics;
    expect(found.map((d) => `${d.code} line ${d.span.line}`)).toEqual([`VD4011 line ${6 + 1 + 3}`]);
  });
});
