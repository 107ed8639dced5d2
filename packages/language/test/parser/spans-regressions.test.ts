/**
 * Diagnostic positions the property tests found wrong (or that sit next to those), as
 * examples: each states the text and where the editor must put the marker. Lines end at
 * `\r\n`, a lone `\r` or `\n`, as Monaco counts them (chevrotain counts the same way).
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse.ts';
import { spanAt, spanRange } from '../../src/spans.ts';
import { Positions, spanProblems } from './spans.ts';

/** `code line:column-endLine:endColumn` of every diagnostic. */
function markers(text: string): string[] {
  return parse(text).diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column}-${d.span.endLine}:${d.span.endColumn}`);
}

/** Every span of the tree and the diagnostics agrees with the independent line count. */
function expectSound(text: string): void {
  const { ast, diagnostics } = parse(text);
  expect([...spanProblems(text, ast), ...spanProblems(text, diagnostics)]).toEqual([]);
}

const RULE = 'rule x {\n  deny when true\n  because ';

describe('escape errors inside a string that spans lines', () => {
  // Was 2:18-2:20: decodeString counted the escape's column as if the string were one line.
  it.each([
    ['\n', 'ruleset r\nconst a = """x\n  \\q"""\n'],
    ['\r\n', 'ruleset r\r\nconst a = """x\r\n  \\q"""\r\n'],
    ['\r', 'ruleset r\rconst a = """x\r  \\q"""\r'],
  ])('a triple-quoted constant, lines ended by %j', (_, text) => {
    expect(markers(text)).toEqual(['VD1005 3:3-3:5']);
    expectSound(text);
  });

  // Was 3:18-3:20 with `\r`: fillTemplate's positions counted `\n` only.
  it('a triple-quoted `because` message', () => {
    expect(markers(`ruleset r\n${RULE}"""x\n  \\q {1}"""\n}\n`)).toEqual(['VD1005 5:3-5:5']);
    const text = `ruleset r\r${RULE}"""x\r  \\q {1}"""\r}\r`;
    expect(markers(text)).toEqual(['VD1005 5:3-5:5']);
    expectSound(text);
  });

  it('a bad escape before a line break covers the backslash only, on its own line', () => {
    // Was 2:15-2:17, an end past the line break.
    expect(markers('ruleset r\nconst a = """a\\\nb"""\n')).toEqual(['VD1005 2:15-2:16']);
  });

  it('a bad escape of an emoji covers the whole emoji (two code units)', () => {
    const d = parse('ruleset r\nconst a = "\\😀"\n').diagnostics;
    expect(d.map((x) => [x.code, x.span.start, x.span.end])).toEqual([['VD1005', 21, 24]]);
  });
});

describe('holes of a triple-quoted message after a lone `\\r`', () => {
  // Each was reported on line 3 or 4 (the `\r` before the hole was not counted).
  it.each([
    ['an operand missing in a hole', '"""x\r  {1 +}"""', 'VD1003 5:7-5:8'],
    ['an empty hole', '"""x\r  {}"""', 'VD1006 5:3-5:5'],
    ['a hole never closed', '"""x\r  {"""', 'VD1003 5:3-5:4'],
  ])('%s', (_, message, marker) => {
    const text = `ruleset r\r${RULE}${message}\r}\r`;
    expect(markers(text)).toEqual([marker]);
    expectSound(text);
  });

  it('the hole expression itself', () => {
    const text = `ruleset r\r${RULE}"""x\r  {1} y"""\r}\r`;
    const decl = parse(text).ast.decls[0];
    expect(decl?.kind === 'Rule' && decl.message?.kind === 'Template' ? decl.message.parts[1] : null).toMatchObject({
      kind: 'Number',
      span: { line: 5, column: 4 },
    });
    expectSound(text);
  });
});

describe('a lone `\\r` ends a line', () => {
  // Seed 15's counterexample `\r'`: the lexer put the unclosed quote on line 2 and
  // spanAt on line 1, column 2; the editor shows it on line 2.
  it("an unclosed quote after `\\r` (FC_SEED=15's counterexample)", () => {
    expect(parse("\r'").diagnostics.map((d) => `${d.span.line}:${d.span.column}`)).toContain('2:1');
    expectSound("\r'");
    expectSound("ruleset r\n\r'");
  });

  it('a lexing error after `\\r`', () => {
    // Was 1:21.
    expect(markers('ruleset r\rconst a = @\r')).toEqual(['VD1001 2:11-2:12', 'VD1003 2:11-2:12']);
  });

  it('lexing errors on lines ended every way (found by one pass over the text)', () => {
    expect(markers('ruleset r\n@\r@\r\n@ @').filter((m) => m.startsWith('VD1001'))).toEqual([
      'VD1001 2:1-2:2',
      'VD1001 3:1-3:2',
      'VD1001 4:1-4:2',
      'VD1001 4:3-4:4',
    ]);
  });

  it('spanAt and spanRange count `\\r\\n` once and a lone `\\r` once', () => {
    expect(spanAt('a\r\nb\rc\nd', 7)).toMatchObject({ line: 4, column: 1 });
    expect(spanAt('a\r\nb', 2)).toMatchObject({ line: 1, column: 3 });
    expect(spanRange('a\rb\rc', 0, 4)).toMatchObject({ line: 1, column: 1, endLine: 3, endColumn: 1 });
    const positions = new Positions('a\r\nb\rc\nd');
    expect([2, 3, 5, 7].map((o) => positions.at(o))).toEqual([
      { line: 1, column: 3 },
      { line: 2, column: 1 },
      { line: 3, column: 1 },
      { line: 4, column: 1 },
    ]);
  });

  it('a raw string does not run on past `\\r` (as past `\\n`)', () => {
    // Was one string token `r"x\ry"` across two lines.
    const text = 'ruleset r\rconst a = r"x\ry"\r';
    expect(parse(text).diagnostics.map((d) => d.code)).toContain('VD1002');
    expect(markers(text)).toEqual(markers('ruleset r\nconst a = r"x\ny"\n'));
    expectSound(text);
  });

  it('a comment line after `\\r` is a doc comment', () => {
    // Was null: the comment's line start was looked for at the last `\n`.
    expect(parse('ruleset r\r# doc\rconst a = 1\r').ast.decls[0]?.doc).toBe('doc');
  });
});
