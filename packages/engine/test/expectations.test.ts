/** `expect outputs` compares exactly; a tolerance is written in the test (`within`). */
import { describe, expect, it } from 'vitest';
import { analyze, format } from '@verdict/language';
import { runTests } from '@verdict/engine';
import { ruleset } from './helpers.ts';

const source = (expectation: string) => `ruleset t.expect
input { a: number, d: decimal }
decision deny > allow
output big = a + 0.01
output third = 1 / 3
output money = d * 3
test "t" {
  input { a: 10000000, d: "0.1" }
  ${expectation}
}
`;

function failures(expectation: string): string[] {
  const text = source(expectation);
  const analysis = analyze(text);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return runTests(analysis.ast, text, ruleset(text)).results[0]!.failures;
}

describe('expect outputs', () => {
  it('compares numbers exactly: no silent tolerance', () => {
    expect(failures('expect outputs { big: 10000000.01 }')).toEqual([]);
    expect(failures('expect outputs { big: 10000000.00 }')).toEqual(['expected output `big` = 10000000, got 10000000.01']);
    expect(failures('expect outputs { third: 0.333333333333 }')).toHaveLength(1);
  });

  it('compares decimals exactly, written as numbers or their digits', () => {
    expect(failures('expect outputs { money: 0.3 }')).toEqual([]);
    expect(failures('expect outputs { money: "0.3" }')).toEqual([]);
    expect(failures('expect outputs { money: 0.30000000000000004 }')).toHaveLength(1);
  });

  it('takes a tolerance written in the test', () => {
    expect(failures('expect outputs { third: 0.333, big: 10000000 } within 0.01')).toEqual([]);
    expect(failures('expect outputs { money: 0.31 } within 0.01')).toEqual([]);
    expect(failures('expect outputs { third: 0.3 } within 0.01')).toEqual(['expected output `third` = 0.3 within 0.01, got 0.3333333333333333']);
  });

  it('the formatter keeps `within`', () => {
    const text = source('expect outputs { third: 0.333 } within 0.001');
    expect(format(text).text).toContain('expect outputs { third: 0.333 } within 0.001');
  });
});
