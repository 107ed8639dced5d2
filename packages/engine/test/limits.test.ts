import { describe, expect, it } from 'vitest';
import { compile, compileExpression } from '@verdict/engine';
import { ruleset } from './helpers.ts';

describe('limits', () => {
  it('a quadratic expression over a large list stops with limit_exceeded', () => {
    const xs = Array.from({ length: 5000 }, (_, i) => i);
    const c = compileExpression('xs.all(x, xs.exists(y, y == x + 1) || x == 4999)', { xs }, { maxSteps: 100_000 });
    if ('diagnostics' in c) throw new Error('compile');
    const r = c.evaluate();
    expect(r.ok ? 'ok' : r.error.code).toBe('limit_exceeded');
  });

  it('the limit is not absorbed by || or all()', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const c = compileExpression('xs.map(x, x).size() > 0 || true', { xs }, { maxSteps: 10 });
    if ('diagnostics' in c) throw new Error('compile');
    const r = c.evaluate();
    expect(r.ok ? r.value : r.error.code).toBe('limit_exceeded');
    const c2 = compileExpression('xs.all(x, xs.map(y, y).size() > 0 && x < 0)', { xs }, { maxSteps: 50 });
    if ('diagnostics' in c2) throw new Error('compile');
    const r2 = c2.evaluate();
    expect(r2.ok ? r2.value : r2.error.code).toBe('limit_exceeded');
  });

  it('a `where` pattern is run by RE2, as `matches` is: no catastrophic backtracking, the same answers', () => {
    const source = (where: string) => `ruleset t.pattern
input { name: string where value.matches("${where}") }
param p: string = "a" where value.matches("${where}")
decision deny > allow
rule r {
  severity low
  deny when !name.matches("${where}")
  because "never: the input schema holds the same pattern"
}
`;
    const evil = compile(source('^(a+)+$')).ruleset!;
    // RegExp backtracks through 2^n ways to split the a's (n = 30 took a minute); RE2 is linear. Kept
    // short so a regression costs a moment here, not a hung suite: the \\S case below tells the engines apart.
    const attack = 'a'.repeat(22) + '!';
    expect(evil.evaluate({ name: attack })).toMatchObject({ ok: false, error: { code: 'invalid_input', details: [{ path: 'name' }] } });
    expect(evil.evaluate({ name: 'aaa' }, { params: { p: attack } })).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    expect(evil.evaluate({ name: 'aaa' })).toMatchObject({ ok: true, decision: 'allow' });
    // RE2's \\S is ASCII: U+00A0 is not whitespace to it (it is to RegExp); the schema and the rule agree
    const nonSpace = compile(source('^\\\\S+$')).ruleset!;
    for (const name of ['a\u00a0b', 'ab', 'a b']) {
      const result = nonSpace.evaluate({ name });
      const byRule = /^[\x21-\x7e\u00a0]+$/.test(name);
      expect(result.ok ? result.decision : result.error.code, JSON.stringify(name)).toBe(byRule ? 'allow' : 'invalid_input');
    }
  });

  it('a value too large to return as JSON is an error, not an exhausted heap', () => {
    // xs.map(a, xs) holds one list n times: within every limit, n² items as JSON
    const source = (message: string) => `ruleset t.huge
input { xs: list<number> }
decision deny > allow
output grid = xs.map(a, xs)
output count = size(xs)
rule r {
  severity low
  deny when size(xs) > 0
  because "${message}"
}
`;
    const xs = Array.from({ length: 1100 }, (_, i) => i);
    const quiet = compile(source('fine')).ruleset!.evaluate({ xs });
    expect(quiet).toMatchObject({ ok: true, decision: 'deny', outputs: { grid: null, count: 1100 }, errors: [{ output: 'grid', kind: 'output', code: 'limit_exceeded' }] });
    const loud = compile(source('{xs.map(a, xs)}')).ruleset!.evaluate({ xs });
    expect(loud).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/too large to return/) } });
    // the same shapes, small, are returned whole
    const small = compile(source('{xs.map(a, xs)}')).ruleset!.evaluate({ xs: [1, 2] });
    expect(small).toMatchObject({ ok: true, outputs: { grid: [[1, 2], [1, 2]] }, violations: [{ message: '1, 2, 1, 2' }] });
  });

  it('a suggestion too large to return is null with a limit_exceeded error; the decision stands, and so do the other fields', () => {
    const source = `ruleset t.hugesuggest
input { xs: list<number> }
decision deny > allow
rule r {
  severity low
  deny when size(xs) > 0
  because "too many"
  suggest grid = xs.map(a, xs)
  suggest count = size(xs)
}
`;
    const compiled = compile(source).ruleset!;
    const xs = Array.from({ length: 1100 }, (_, i) => i);
    for (const explain of [false, true]) {
      const result = compiled.evaluate({ xs }, { explain });
      expect(result, `explain: ${explain}`).toMatchObject({
        ok: true,
        decision: 'deny',
        violations: [{ rule: 'r', suggestion: { grid: null, count: 1100 } }],
        errors: [{ rule: 'r', kind: 'suggestion', code: 'limit_exceeded' }],
      });
    }
    expect(compiled.evaluate({ xs: [1, 2] })).toMatchObject({ ok: true, violations: [{ suggestion: { grid: [[1, 2], [1, 2]], count: 2 } }], errors: [] });
  });

  it('list and string growth is bounded', () => {
    const c = compileExpression('xs + xs', { xs: Array.from({ length: 60 }, () => 1) }, { maxListLength: 100 });
    if ('diagnostics' in c) throw new Error('compile');
    expect(c.evaluate()).toMatchObject({ ok: false, error: { code: 'limit_exceeded' } });
    const s = compileExpression('s + s', { s: 'x'.repeat(60) }, { maxListLength: 100 });
    if ('diagnostics' in s) throw new Error('compile');
    expect(s.evaluate()).toMatchObject({ ok: false, error: { code: 'limit_exceeded' } });
  });

  it('a rule over budget errs (and fails closed) instead of hanging', () => {
    const rs = ruleset(
      `ruleset test.limits
input { xs: list<number> }
decision deny > allow
rule pairs { severity high deny when xs.exists(a, xs.exists(b, a + b == -1)) because "pair" }
rule small { severity low deny when size(xs) > 1000000 because "small" }
`,
      { limits: { maxSteps: 10_000 } },
    );
    const r = rs.evaluate({ xs: Array.from({ length: 1000 }, (_, i) => i) });
    if (!r.ok) throw new Error('expected ok');
    expect(r.decision).toBe('deny');
    // the budget is per decision: once spent, later rules that call anything err too (and fail closed)
    expect(r.errors.map((e) => [e.rule, e.code])).toEqual([
      ['pairs', 'limit_exceeded'],
      ['small', 'limit_exceeded'],
    ]);
    // the budget is per decision: the next evaluation starts afresh
    expect(rs.evaluate({ xs: [1, 2] })).toMatchObject({ ok: true, decision: 'allow' });
  });
});

describe('input data', () => {
  const rs = ruleset(`ruleset test.data
input {
  labels: map<string>
  at: timestamp
  window?: duration
  amount: number where value > 0
  tags: list<string> where size(value) <= 3
}
decision deny > allow
rule proto_key { severity low deny when "__proto__" in labels because "proto {labels["__proto__"]}" }
rule ctor_key { severity low deny when labels["constructor"] ?? "" == "x" because "ctor" }
rule late { severity low deny when at > timestamp("2026-01-01T00:00:00Z") + (window ?? duration("0s")) because "late {at}" }
`);

  it('__proto__ and constructor map keys are ordinary data', () => {
    const input = JSON.parse('{"labels": {"__proto__": "p", "constructor": "x"}, "at": "2025-01-01T00:00:00Z", "amount": 1, "tags": []}');
    const r = rs.evaluate(input);
    expect(r.ok && r.violations.map((v) => [v.rule, v.message])).toEqual([
      ['proto_key', 'proto p'],
      ['ctor_key', 'ctor'],
    ]);
    const clean = rs.evaluate({ labels: { a: 'b' }, at: '2025-01-01T00:00:00Z', amount: 1, tags: [] });
    expect(clean).toMatchObject({ ok: true, decision: 'allow' });
  });

  it('timestamp and duration fields arrive as values', () => {
    const r = rs.evaluate({ labels: {}, at: '2026-01-01T02:00:00Z', window: '1h', amount: 1, tags: [] });
    expect(r.ok && r.violations.map((v) => v.message)).toEqual(['late 2026-01-01T02:00:00Z']);
    const within = rs.evaluate({ labels: {}, at: '2026-01-01T02:00:00Z', window: '3h', amount: 1, tags: [] });
    expect(within).toMatchObject({ ok: true, decision: 'allow' });
  });

  it('where constraints and formats refuse bad input, listing each path', () => {
    const r = rs.evaluate({ labels: {}, at: 'not a time', window: 'soon', amount: -1, tags: ['a', 'b', 'c', 'd'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(new Set(r.error.details.map((d) => d.path))).toEqual(new Set(['at', 'window', 'amount', 'tags']));
  });
});

describe('pathological input never throws', () => {
  const rs = ruleset(`ruleset test.deep
input { blob: any }
decision deny > allow
rule deep { severity low deny when blob == blob because "{blob}" }
`);
  it('a very deeply nested any-typed value yields a result, not an exception', () => {
    let v: unknown = 1;
    for (let i = 0; i < 200_000; i++) v = [v];
    const r = rs.evaluate({ blob: v });
    // either decided (fail closed on a depth error) or refused as internal: never a throw
    expect(r.ok ? r.decision : r.error.code).toMatch(/^(deny|allow|internal)$/);
  });
});

describe('compile refuses what it cannot use, with VD5011 instead of a throw', () => {
  const source = 'ruleset t.ok\ninput { n: number }\ndecision deny > allow\nrule r {\n  severity low\n  deny when n > 1\n  because "x"\n}\n';

  it.each([null, 42, {}, [], { ast: null, diagnostics: [] }])('compile(%j)', (value) => {
    const r = compile(value as never);
    expect(r.ruleset).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['VD5011']);
  });

  it.each([{ maxSteps: -1 }, { maxListLength: -0.5 }, { maxListLength: 1.5 }, { maxSteps: Number.NaN }, { maxListLength: '10' }])('limits %j', (limits) => {
    const r = compile(source, { limits: limits as never });
    expect(r.ruleset).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['VD5011']);
    expect(r.diagnostics[0]!.message).toMatch(/^limits\.\w+ must be a whole number from 0/);
  });

  it('accepts whole limits from 0 and Infinity', () => {
    expect(compile(source, { limits: { maxSteps: 10, maxListLength: Number.POSITIVE_INFINITY } }).ruleset).toBeDefined();
    expect(compile(source, { limits: { maxSteps: 0 } }).ruleset).toBeDefined();
  });
});
