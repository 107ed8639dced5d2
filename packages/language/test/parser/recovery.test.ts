/**
 * The edges of the known-bug fixes (see known-bugs.test.ts): each fix must
 * leave the neighbouring valid or broken input reading as before.
 */
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/ast.ts';
import { parse, parseExpression } from '../../src/parse.ts';
import { sexpr } from './sexpr.ts';

/** `line:col code` of the error diagnostics. */
function errors(text: string): string[] {
  return parse(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.span.line}:${d.span.column} ${d.code}`);
}

function tableResults(rows: string[]): string[] {
  const { ast, diagnostics } = parse(`ruleset a\ntable t(x: number) -> number {\n  ${rows.join('\n  ')}\n}\n`);
  expect(diagnostics).toEqual([]);
  const table = ast.decls[0];
  return table?.kind === 'Table' ? table.rows.map((row) => sexpr(row.result)) : [];
}

function condition(text: string): string {
  const rule = parse(text).ast.decls.find((d) => d.kind === 'Rule');
  const expr: Expr | null | undefined = rule?.kind === 'Rule' ? rule.condition : undefined;
  return expr ? sexpr(expr) : '';
}

describe('table rows split at a line break before `-`, `(` or `[`', () => {
  it('only at the top level of the result: inside brackets the line goes on', () => {
    expect(tableResults(['0 -> f(1,\n    -1) + (2\n    - 3)', 'else -> [1,\n    -2][0]'])).toEqual([
      '(+ (call f 1 -1) (- 2 3))',
      '([] [1 -2] 0)',
    ]);
  });

  it('not before other operators, and not on the same line', () => {
    expect(tableResults(['0 -> 1\n    + 2', '1 -> base - 1', '2 -> f(1)', 'else -> xs[0]'])).toEqual([
      '(+ 1 2)',
      '(- base 1)',
      '(call f 1)',
      '([] xs 0)',
    ]);
  });

  it('outside tables a line break changes nothing', () => {
    expect(sexpr(parseExpression('a\n- b').expr)).toBe('(- a b)');
    expect(sexpr(parseExpression('f\n(1)').expr)).toBe('(call f 1)');
    expect(sexpr(parseExpression('xs\n[0]').expr)).toBe('([] xs 0)');
  });
});

describe('keywords read as names in expressions', () => {
  it('where an operand is expected and the keyword starts nothing of its own', () => {
    const src = 'ruleset a\ninput { rule: string, test: number, sensitive: boolean }\nrule r {\n  deny when test > 1 && rule == "x" && sensitive\n  because "{test}"\n}\n';
    expect(errors(src)).toEqual([]);
    expect(condition(src)).toBe('(&& (&& (> test 1) (== rule "x")) sensitive)');
  });

  it('a missing value still stops before the next declaration', () => {
    expect(errors('ruleset a\nlet x =\nrule r { deny when a }')).toEqual(['3:1 VD1003']);
    expect(errors('ruleset a\nconst X = 1 +\ntest "t" { expect deny }')).toEqual(['3:1 VD1003']);
    expect(errors('ruleset a\nconst X =\ninput { a: number }')).toEqual(['3:1 VD1003']);
    expect(parse('ruleset a\nlet x =\nrule r { deny when a }').ast.decls.map((d) => d.kind)).toEqual(['Rule']);
  });

  it('`true`, `false`, `null` and `in` keep their meaning', () => {
    expect(sexpr(parseExpression('a in [true, false, null]').expr)).toBe('(in a [true false null])');
  });
});

describe('stray words after a rule statement', () => {
  it('several statements on one line are not stray', () => {
    expect(errors('ruleset a\nrule r { severity high deny when a because "x" suggest b = 1 }')).toEqual([]);
  });

  it('the rest of the line is skipped once, the next line is read again', () => {
    const src = 'ruleset a\nrule r {\n  deny when a or b or c\n  because "x"\n  severity high\n}';
    expect(errors(src)).toEqual(['3:15 VD1003']);
    const d = parse(src).diagnostics[0];
    expect(d?.hint).toMatch(/`\|\|`/);
  });

  it('a one-line rule keeps its closing `}`', () => {
    expect(errors('ruleset a\nrule r { deny when a b }\nrule s { deny when c }')).toEqual(['2:22 VD1003']);
  });

  it('an unquoted message is one error, at its start', () => {
    expect(errors('ruleset a\nrule r {\n  deny when a\n  because Too high for us\n}')).toEqual(['4:11 VD1003']);
    // one name is an expression (the checker decides whether it is a string)
    expect(errors('ruleset a\nrule r {\n  deny when a\n  because MESSAGE\n}')).toEqual([]);
  });
});

describe('other edges', () => {
  it('`expect score` with a value, and `severity` with its level before a `when` line', () => {
    expect(errors('ruleset a\ntest "t" {\n  expect score 0.5\n  expect invalid\n}')).toEqual([]);
    expect(errors('ruleset a\nrule r {\n  severity critical\n  deny when a\n}')).toEqual([]);
  });

  it('`1.f` is a field of a number; `1000.` alone is an error at its point', () => {
    expect(sexpr(parseExpression('1.f').expr)).toBe('(. 1 f)');
    expect(errors('ruleset a\nconst X = 1000.\nconst Y = 2')).toEqual(['2:15 VD1003']);
  });

  it('a ruleset name is read on its own line, keyword or not', () => {
    expect(parse('ruleset input').ast.name.name).toBe('input');
    expect(parse('ruleset test.rule\ninput { a: number }').ast.name.name).toBe('test.rule');
  });

  it('a message with an escaped or closed brace is not unclosed', () => {
    expect(errors('ruleset a\nrule r {\n  because "a \\{ b {x} c"\n}')).toEqual([]);
    expect(errors('ruleset a\nrule r {\n  because ("{ is fine in parentheses")\n}')).toEqual([]);
  });

  it('a record type missing its `}` before the next declaration keeps both', () => {
    const { ast } = parse('ruleset a\ninput {\n  a: { b: number\n\nrule r { deny when a }');
    expect(ast.decls.map((d) => d.kind)).toEqual(['Input', 'Rule']);
  });
});
