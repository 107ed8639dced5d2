import { describe, expect, it } from 'vitest';
import { compile } from '@verdict/engine';

const source = (decls: string) => `ruleset t.sizes
input { n: number }
decision deny > allow
${decls}
rule r {
  severity high
  deny when n > 1
  because "r"
}
`;

describe('size limits (VD5020-VD5022)', () => {
  const list = (n: number) => `const BIG = [${Array.from({ length: n }, (_, i) => i).join(', ')}]\nlet used = n in BIG\n`;

  it('applies none unless asked', () => {
    expect(compile(source(list(3000))).ruleset).toBeDefined();
  });

  it('refuses a const past maxConstSize, naming the limit, at the const', () => {
    const text = source(list(3000));
    const r = compile(text, { sizes: { maxConstSize: 2000 } });
    expect(r.ruleset).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === 'VD5020')!;
    expect(d.message).toBe('const `BIG` is 3,001 expression nodes; the limit is 2,000 (maxConstSize)');
    expect(text.slice(d.span.start, d.span.end)).toBe('BIG');
    expect(d.hint).toBeDefined();
    // at the limit, accepted
    expect(compile(source(list(1999)), { sizes: { maxConstSize: 2000 } }).ruleset).toBeDefined();
  });

  it('refuses a table past maxTableRows and a ruleset past maxProgramSize', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `  ${i} -> ${i * 2}`).join('\n');
    const table = `table double(x: number) -> number {\n${rows}\n  else -> 0\n}\nlet d = double(n)\n`;
    const tooManyRows = compile(source(table), { sizes: { maxTableRows: 20 } });
    expect(tooManyRows.diagnostics.map((d) => [d.code, d.message])).toContainEqual(['VD5021', 'table `double` has 31 rows; the limit is 20 (maxTableRows)']);
    const tooBig = compile(source(table), { sizes: { maxProgramSize: 50 } });
    expect(tooBig.ruleset).toBeUndefined();
    expect(tooBig.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['VD5022']);
    expect(compile(source(table), { sizes: { maxTableRows: 31, maxProgramSize: 1000 } }).ruleset).toBeDefined();
  });
});
