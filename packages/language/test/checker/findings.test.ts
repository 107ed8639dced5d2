/**
 * What a careful reviewer catches: patterns RE2 refuses (VD3070), conditions
 * and parts of conditions that are always or never true over the typed input
 * (VD4001, VD4004, VD4010), table rows earlier rows always take (VD4011) and
 * lets only unused lets read (VD4012). Each finding is sound: the `clean`
 * rows are near misses that must stay silent.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.ts';

const prelude = `ruleset t.findings
input {
  amount: number
  tier: "free" | "pro" | "enterprise"
  flag: boolean
  email: string
  loose: any
  score?: number
}
decision deny > allow
`;
const rule = (condition: string, name = 'r') => `rule ${name} {\n  severity high\n  deny when ${condition}\n  because "x"\n}\n`;
const findings = (body: string) => analyze(prelude + body).diagnostics.map((d) => d.code);
const located = (body: string, code: string) => {
  const source = prelude + body;
  const d = analyze(source).diagnostics.find((x) => x.code === code)!;
  expect(d, code).toBeDefined();
  return { text: source.slice(d.span.start, d.span.end), d };
};

describe('regular expressions are compiled at check time with RE2', () => {
  it('a literal pattern RE2 refuses is VD3070 at the fragment RE2 names', () => {
    const { text, d } = located(rule('email.matches("^(a|b")'), 'VD3070');
    expect(text).toBe('^(a|b');
    expect(d.severity).toBe('error');
    expect(d.message).toContain('missing closing )');
  });

  it.each([
    ['a backreference', rule('email.matches("(a)\\\\1")'), '\\\\1'],
    ['lookahead', rule('matches(email, "x(?=y)")'), '(?='],
    ['a const pattern', `const P = "[z-a]"\n${rule('email.matches(P)')}`, 'P'],
    ['a `where` on an input field', '', null],
  ])('%s', (_name, body, fragment) => {
    if (fragment === null) {
      const source = prelude.replace('email: string', 'email: string where value.matches("a{2,1}")') + rule('amount > 1');
      const d = analyze(source).diagnostics.find((x) => x.code === 'VD3070')!;
      expect(source.slice(d.span.start, d.span.end)).toBe('{2,1}');
      return;
    }
    const { text } = located(body, 'VD3070');
    expect(text).toBe(fragment);
  });

  it('valid RE2 patterns, named groups and patterns known only at run time pass', () => {
    expect(findings(rule('email.matches("^(?P<user>[a-z]+)@x\\\\.org$") || email.matches("(?i)ADMIN")'))).toEqual([]);
    expect(findings(rule('email.matches(email)'))).toEqual([]);
  });
});

describe('tautologies and contradictions over the typed input', () => {
  it.each([
    ['x || true', rule('flag || true'), 'VD4004'],
    ['an interval split in two', rule('amount > 1000 || amount <= 1000'), 'VD4004'],
    ['every member of a union', rule('tier == "free" || tier in ["pro", "enterprise"]'), 'VD4004'],
    ['a boolean and its negation', rule('flag || !flag'), 'VD4004'],
    ['a term and its negation', rule('email.startsWith("a") || !email.startsWith("a")'), 'VD4004'],
    ['disjoint intervals', rule('amount > 1000 && amount < 10'), 'VD4001'],
    ['no member left', rule('tier != "free" && !(tier in ["pro", "enterprise"])'), 'VD4001'],
    ['through a let', `let big = amount > 10\n${rule('big && amount < 5')}`, 'VD4001'],
    ['one point excluded', rule('amount >= 5 && amount <= 5 && amount != 5'), 'VD4001'],
  ])('%s: %s', (_name, body, code) => {
    expect(findings(body)).toContain(code);
  });

  it('a part of a condition that is always true is VD4010 at that part', () => {
    const { text, d } = located(rule('email == "a" && (amount > 1000 || amount <= 1000)'), 'VD4010');
    expect(text).toBe('(amount > 1000 || amount <= 1000)');
    expect(d.message).toContain('always true');
  });

  it('a part that is never true is VD4010', () => {
    const { text, d } = located(rule('email == "a" || (tier == "free" && tier == "pro")'), 'VD4010');
    expect(text).toBe('(tier == "free" && tier == "pro")');
    expect(d.message).toContain('never true');
  });

  it.each([
    ['overlapping, not covering', rule('amount > 1000 || amount < 1000')],
    ['two of three members', rule('tier == "free" || tier == "pro"')],
    ['an untyped value is not reasoned about', rule('loose > 1 || loose <= 1')],
    ['a defaulted optional is not a path', rule('(score ?? 0) > 1 || (score ?? 0) <= 1 && email == "x"')],
    ['different terms', rule('email.startsWith("a") || !email.startsWith("b")')],
  ])('stays silent: %s', (_name, body) => {
    expect(findings(body).filter((c) => c.startsWith('VD4'))).toEqual([]);
  });
});

describe('unreachable table rows', () => {
  const table = (rows: string, params = 'n: number') => `table f(${params}) -> number {\n${rows}  else -> 0\n}\n${rule('f(amount) > 1')}`;
  it('a row inside an earlier, wider row is VD4011 at the row', () => {
    const { text } = located(table('  > 10 -> 1\n  > 20 -> 2\n'), 'VD4011');
    expect(text).toBe('> 20 -> 2');
  });
  it('a row covered by two earlier rows together', () => {
    expect(findings(table('  < 10 -> 1\n  >= 10 -> 2\n  5 -> 3\n'))).toContain('VD4011');
  });
  it('a union column whose members are all taken', () => {
    const body = `table g(t: "free" | "pro" | "enterprise") -> number {\n  "free" -> 1\n  in ["pro", "enterprise"] -> 2\n  "pro" -> 3\n  else -> 0\n}\n${rule('g(tier) > 1')}`;
    expect(findings(body)).toContain('VD4011');
  });
  it('rows that narrow, or add a guard that may fail, stay silent', () => {
    expect(findings(table('  > 20 -> 2\n  > 10 -> 1\n'))).toEqual([]);
    expect(findings(table('  > 10 when flag -> 1\n  > 20 -> 2\n'))).toEqual([]);
  });
});

describe('lets that no rule reads', () => {
  it('a let read only by an unused let is VD4012; the unused one stays VD3030', () => {
    const body = 'let a = amount * 2\nlet b = a + 1\n' + rule('amount > 1');
    const d = analyze(prelude + body).diagnostics;
    expect(d.map((x) => [x.code, x.message])).toEqual([
      ['VD4012', 'let `a` is read by no rule, output or table'],
      ['VD3030', 'let `b` is never used'],
    ]);
  });
  it('lets read through other lets by a rule, an output or a table are read', () => {
    expect(findings('let a = amount * 2\nlet b = a + 1\n' + rule('b > 1'))).toEqual([]);
    expect(findings('let a = amount * 2\noutput o: number = a\n' + rule('amount > 1'))).toEqual([]);
  });
});
