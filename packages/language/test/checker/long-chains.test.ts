// Very long operator chains are read by the parser without recursion, but the checker walks them
// recursively: past the stack it must answer a diagnostic (VD1011), never throw.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.ts';

function chained(op: string, terms: number, term: (i: number) => string): string {
  const condition = Array.from({ length: terms }, (_, i) => term(i)).join(` ${op} `);
  return `ruleset t.chain\ninput { n: number }\ndecision deny > allow\nrule r {\n  severity low\n  deny when ${condition}\n  because "x"\n}\n`;
}

const CHAINS: Array<{ op: string; term: (i: number) => string; wrap: (c: string) => string }> = [
  { op: '&&', term: (i) => `n > ${i}`, wrap: (c) => c },
  { op: '||', term: (i) => `n == ${i}`, wrap: (c) => c },
  { op: '+', term: (i) => `${i}`, wrap: (c) => c },
];

describe('long operator chains', () => {
  it.each(CHAINS)('a chain of 20,000 `$op` is a diagnostic, not an exception', ({ op, term }) => {
    const source = op === '+' ? chained('+', 20_000, term).replace('deny when ', 'deny when n > ') : chained(op, 20_000, term);
    const analysis = analyze(source);
    const codes = analysis.diagnostics.map((d) => d.code);
    expect(codes).toContain('VD1011');
    const deep = analysis.diagnostics.find((d) => d.code === 'VD1011')!;
    expect(deep.message).toBe('this text nests too deeply to check');
    expect(deep.hint).toMatch(/let/);
  });

  it.each(CHAINS)('a chain of 200 `$op` checks as usual', ({ op, term }) => {
    const source = op === '+' ? chained('+', 200, term).replace('deny when ', 'deny when n > ') : chained(op, 200, term);
    expect(analyze(source).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
