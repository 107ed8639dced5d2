/**
 * What a `test` block can assert: a violation's message (exact or
 * `contains`), an expected evaluation error by rule and code, an input refused
 * at a given path, exact outputs and suggestions, and a table of `cases`.
 * Each assertion is run passing and failing, so none of them can pass by
 * checking nothing.
 */
import { describe, expect, it } from 'vitest';
import { analyze, format } from '@verdict/language';
import { runTests } from '@verdict/engine';
import { ruleset } from './helpers.ts';

const header = `ruleset t.assertions
input {
  amount: number
  divisor: number
  tier: "free" | "pro"
  email: string
}
decision deny > refer > allow
output doubled: number = amount * 2
output ratio: number = amount / divisor
rule big {
  severity high
  deny when amount > 100
  because "Amount {amount} is over 100"
  suggest amount = 100
  suggest tier = "pro"
}
rule per_unit {
  severity low
  refer when amount / divisor > 10
  because "Too much per unit"
}
`;
const base = 'input { amount: 500, divisor: 100, tier: "free", email: "a@x.org" }';

/** The failures of the one test in `body`, after checking the source has no errors. */
function failures(body: string): string[] {
  const source = header + body;
  const analysis = analyze(source);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const run = runTests(analysis.ast, source, ruleset(source));
  expect(run.results).toHaveLength(1);
  return run.results[0]!.failures;
}
const test = (...lines: string[]) => `test "t" {\n  ${lines.join('\n  ')}\n}\n`;

describe('expect message', () => {
  it('exact', () => {
    expect(failures(test(base, 'expect message big "Amount 500 is over 100"'))).toEqual([]);
    expect(failures(test(base, 'expect message big "Amount 500 is over 99"'))).toEqual(['expected the message of `big` to be "Amount 500 is over 99", got "Amount 500 is over 100"']);
  });
  it('contains', () => {
    expect(failures(test(base, 'expect message big contains "500"'))).toEqual([]);
    expect(failures(test(base, 'expect message big contains "600"'))).toEqual(['expected the message of `big` to contain "600", got "Amount 500 is over 100"']);
  });
  it('of a rule that did not fire', () => {
    expect(failures(test(base, 'expect message per_unit contains "x"'))).toEqual(['expected rule `per_unit` to fire with a message, but it did not fire']);
  });
});

describe('expect error', () => {
  const zero = 'input { amount: 5, divisor: 0, tier: "free", email: "a@x.org" }';
  it('an expected error by rule and code passes, and no longer fails the test', () => {
    // only the output's error (not expected) is left
    const f = failures(test(zero, 'expect error per_unit division_by_zero'));
    expect(f.filter((x) => x.includes('per_unit'))).toEqual([]);
  });
  it('the error of another rule or output still fails it; a wrong code is named', () => {
    const f = failures(test(zero, 'expect error per_unit division_by_zero'));
    // the output `ratio` fails too, which the test did not expect
    expect(f).toHaveLength(1);
    expect(f[0]).toMatch(/^rule error in output ratio: .*\[division_by_zero\]/);
    expect(failures(test(zero, 'expect error per_unit type_error'))[0]).toBe('expected rule `per_unit` to fail with `type_error`, got `division_by_zero`');
    expect(failures(test(base, 'expect error per_unit division_by_zero'))[0]).toBe('expected rule `per_unit` to fail with `division_by_zero`, but it had no error');
  });
  it('without the expectation, the error fails the test as before', () => {
    expect(failures(test(zero, 'expect refer')).some((f) => f.startsWith('rule error in per_unit:'))).toBe(true);
  });
});

describe('expect invalid at', () => {
  it('names the failing paths', () => {
    expect(failures(test('input { amount: "x", divisor: 1, tier: "gold", email: "a" }', 'expect invalid at "amount", "tier"'))).toEqual([]);
    expect(failures(test('input { amount: "x", divisor: 1, tier: "free", email: "a" }', 'expect invalid at "tier"'))).toEqual(['expected the input to be refused at `tier`; it was refused at `amount`']);
    expect(failures(test(base, 'expect invalid at "tier"'))).toEqual(['expected the input to be refused as invalid, but it was accepted']);
  });
});

describe('exact outputs and suggestions', () => {
  it('expect outputs exactly', () => {
    expect(failures(test(base, 'expect outputs exactly { doubled: 1000, ratio: 5 }'))).toEqual([]);
    expect(failures(test(base, 'expect outputs exactly { doubled: 1000 }'))).toEqual(['expected exactly the outputs `doubled`; also got `ratio` = 5']);
    expect(failures(test(base, 'expect outputs { doubled: 1000 }'))).toEqual([]);
  });
  it('expect suggest exactly', () => {
    expect(failures(test(base, 'expect suggest big exactly { amount: 100, tier: "pro" }'))).toEqual([]);
    expect(failures(test(base, 'expect suggest big exactly { amount: 100 }'))).toEqual(['expected exactly the suggestion fields `amount` of `big`; also got `tier`']);
  });
});

describe('cases: a table of inputs in one test', () => {
  const cases = test(base, 'cases {', '  { amount: 5 } -> allow by []', '  { amount: 500 } -> deny by [big]', '  { amount: 50, divisor: 2 } -> refer by [per_unit]', '}');
  it('every row passes', () => {
    expect(failures(cases)).toEqual([]);
  });
  it('a failing row is named by its number and line', () => {
    const wrong = cases.replace('{ amount: 500 } -> deny by [big]', '{ amount: 500 } -> refer');
    const f = failures(wrong);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatch(/^case 2 \(line \d+\): expected decision `refer`, got `deny` \(fired: big\)$/);
  });
  it('a row merges its fields into the test input, record by record', () => {
    expect(failures(test(base, 'cases {', '  { amount: 5, tier: "pro" } -> allow', '}'))).toEqual([]);
  });
  it('the checker checks each merged row and its outcome', () => {
    const codes = (body: string) => analyze(header + body).diagnostics.map((d) => d.code);
    expect(codes(test(base, 'cases {', '  { tier: "gold" } -> deny', '}'))).toEqual(['VD3022']);
    expect(codes(test(base, 'cases {', '  { amount: 1 } -> dney', '}'))).toEqual(['VD3002']);
    expect(codes(test(base, 'cases {', '  { amount: 1 } -> deny by [bigg]', '}'))).toEqual(['VD3020']);
    expect(codes(test(base, 'expect error big divide_by_zero'))).toEqual(['VD3071']);
  });
  it('formats in canonical form and keeps its meaning', () => {
    const messy = header + 'test "t" {\n  input {amount:500,divisor:1,tier:"free",email:"a"}\n  cases {\n    {amount:5}->allow by [ ]\n  {amount:500}  ->   deny\n  }\n  expect invalid   at "a" ,"b"\n  expect message big   contains "x"\n  expect error big   overflow\n  expect outputs   exactly {doubled:1}\n}\n';
    const formatted = format(messy);
    expect(formatted.diagnostics).toEqual([]);
    expect(formatted.text!.slice(formatted.text!.indexOf('test "t"'))).toBe(
      'test "t" {\n  input { amount: 500, divisor: 1, tier: "free", email: "a" }\n  cases {\n    { amount: 5 } -> allow by []\n    { amount: 500 } -> deny\n  }\n  expect invalid at "a", "b"\n  expect message big contains "x"\n  expect error big overflow\n  expect outputs exactly { doubled: 1 }\n}\n',
    );
    expect(format(formatted.text!).text).toBe(formatted.text);
  });
});
