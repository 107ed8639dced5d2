/**
 * Test coverage counts what a reviewer would: besides rules and operands,
 * each table row (matched), each table pattern (seen not matching) and each
 * ruleset `let` (computed; a boolean let seen true and false).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '@verdict/language';
import { compile, runTests, type Coverage } from '@verdict/engine';

function coverage(source: string): Coverage {
  const analysis = analyze(source);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const compiled = compile(analysis, { codegen: false }).ruleset!;
  const run = runTests(analysis.ast, source, compiled);
  expect(run.results.filter((r) => !r.passed)).toEqual([]);
  return run.coverage;
}

const rows = Array.from({ length: 11 }, (_, i) => `  ${(i + 1) * 10} -> ${i + 1}`).join('\n');
const tableOnly = `ruleset t.table
input {
  n: number
}
decision deny > allow
table band(n: number) -> number {
${rows}
  else -> 0
}
rule high {
  severity high
  deny when band(n) > 5
  because "high"
}
`;
const test = (n: number, outcome: string) => `test "n ${n}" {\n  input { n: ${n} }\n  expect ${outcome}\n}\n`;

describe('coverage of tables', () => {
  it('a table-only ruleset with 1 of 12 rows tested is far from 100%', () => {
    const c = coverage(tableOnly + test(70, 'deny'));
    expect(c.rows.filter((r) => r.matched > 0).map((r) => r.row)).toEqual([7]);
    expect(c.rows).toHaveLength(12);
    // rows 1-6 were tried and did not match on n = 70
    expect(c.cells.filter((x) => x.rejected > 0).map((x) => x.text)).toEqual(['10', '20', '30', '40', '50', '60']);
    expect(c.items).toBe(2 + 12 + 11);
    expect(c.covered).toBe(1 + 1 + 6);
    expect(c.percent).toBe(32);
  });

  it('every row matched and every pattern seen not matching is 100%', () => {
    const tests = [5, ...Array.from({ length: 11 }, (_, i) => (i + 1) * 10)].map((n) => test(n, n >= 60 ? 'deny' : 'allow')).join('');
    const c = coverage(tableOnly + tests);
    expect(c.rows.every((r) => r.matched > 0)).toBe(true);
    expect(c.percent).toBe(100);
  });
});

describe('coverage of lets', () => {
  const source = `ruleset t.lets
input {
  n: number
}
decision deny > allow
let big = n > 10
let unused_by_tests = n * 2
output twice: number = unused_by_tests
rule high {
  severity high
  deny when big
  because "big"
}
`;
  it('a boolean let seen only true is not covered; a computed let is', () => {
    const c = coverage(source + test(50, 'deny'));
    expect(c.lets.map((l) => [l.let, l.computed, l.seenTrue, l.seenFalse])).toEqual([
      ['big', 1, true, false],
      ['unused_by_tests', 1, false, false],
    ]);
    expect(c.covered).toBe(c.items - 2); // `big` never false, and the rule never seen passing
  });
  it('seen both ways, it is', () => {
    const c = coverage(source + test(50, 'deny') + test(1, 'allow'));
    expect(c.percent).toBe(100);
  });
});
