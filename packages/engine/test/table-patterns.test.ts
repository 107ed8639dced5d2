/**
 * Table patterns beyond one comparison: ranges (closed, open, half-open),
 * several comparisons in one cell, `contains` on a list column, and a call on
 * the column's value. The generated code and the closures agree with the
 * expected row on every boundary.
 */
import { describe, expect, it } from 'vitest';
import { analyze, format } from '@verdict/language';
import { referenceDecide, type Value } from '@verdict/engine';
import { ruleset } from './helpers.ts';

const source = `ruleset t.patterns
input {
  amount: number
  tags: list<string>
  url: string
}
decision deny > allow
table band(n: number, tags: list<string>, url: string) -> string {
  [0, 10), _, _ -> "small"
  [10, 100], contains "vip", _ -> "vip"
  (100, 1000), _, .startsWith("https://") -> "secure"
  >= 1000 && != 5000, _, _ -> "large"
  else -> "other"
}
output result: string = band(amount, tags, url)
rule r {
  severity high
  deny when band(amount, tags, url) == "large"
  because "large"
}
`;

const cases: Array<[number, string[], string, string]> = [
  [-1, [], '', 'other'],
  [0, [], '', 'small'],
  [9.99, [], '', 'small'],
  [10, [], '', 'other'],
  [10, ['vip'], '', 'vip'],
  [100, ['a', 'vip'], '', 'vip'],
  [100, [], 'https://x', 'other'],
  [100.5, [], 'https://x', 'secure'],
  [100.5, [], 'http://x', 'other'],
  [1000, [], 'https://x', 'large'],
  [5000, [], '', 'other'],
  [5001, [], '', 'large'],
];

describe('table patterns', () => {
  for (const codegen of [true, false]) {
    const compiled = ruleset(source, { codegen });
    it.each(cases)(`${codegen ? 'generated' : 'closures'}: band(%s, %j, %j) is %s`, (amount, tags, url, expected) => {
      const d = compiled.evaluate({ amount, tags, url });
      if (!d.ok) throw new Error(d.error.message);
      expect(d.outputs['result']).toBe(expected);
      expect(d.decision).toBe(expected === 'large' ? 'deny' : 'allow');
    });
  }

  it.each(cases)('the reference interpreter: band(%s, %j, %j) is %s', (amount, tags, url, expected) => {
    const ref = referenceDecide(analyze(source).ast, { amount, tags, url } as unknown as Record<string, Value>);
    expect(ref.outputs['result']).toBe(expected);
  });

  it('format in canonical form, idempotently', () => {
    const messy = source.replace('[0, 10), _, _', '[ 0 ,10 ) ,_,_').replace('>= 1000 && != 5000', '>=1000&&!=5000').replace('contains "vip"', 'contains   "vip"').replace('.startsWith("https://")', '.startsWith( "https://" )');
    const formatted = format(messy).text!;
    expect(formatted).toContain('  [0, 10), _, _ -> "small"\n  [10, 100], contains "vip", _ -> "vip"\n  (100, 1000), _, .startsWith("https://") -> "secure"\n  >= 1000 && != 5000, _, _ -> "large"\n');
    expect(format(formatted).text).toBe(formatted);
  });

  it('the checker types the tests: a contains of the wrong type, a call the column lacks', () => {
    const codes = (edit: (s: string) => string) => analyze(edit(source)).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    expect(codes((s) => s.replace('contains "vip"', 'contains 1'))).toEqual(['VD2004']);
    expect(codes((s) => s.replace('.startsWith("https://")', '.startsWth("https://")'))).toEqual(['VD2006']);
    expect(codes((s) => s.replace('[0, 10)', '[0, "10")'))).toEqual(['VD2004']);
  });

  it('a row inside an earlier range is unreachable (VD4011)', () => {
    const d = analyze(source.replace('  [10, 100], contains "vip", _ -> "vip"\n', '  [10, 100], contains "vip", _ -> "vip"\n  [2, 5], _, _ -> "never"\n')).diagnostics;
    expect(d.map((x) => x.code)).toContain('VD4011');
  });
});
