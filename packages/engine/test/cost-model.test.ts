/**
 * The cost model: every kind of work counts against the step limit, the same in every evaluator
 * (closures, generated code, typed code, the reference interpreter), and a batch's evaluations can
 * share one budget.
 */
import { analyze } from '@verdict/language';
import { describe, expect, it } from 'vitest';
import { StepBudget, compileExpression, interpretWith, referenceDecide, type Value } from '@verdict/engine';
import { EvalState } from '../src/context.ts';
import { patternSize } from '../src/builtins/pattern-size.ts';
import { ruleset } from './helpers.ts';

/** Long strings: `S` (1,000 characters), `U` equal to it, `V` of its length but for the last character. */
const S = 'ab'.repeat(500);
const V = 'ab'.repeat(499) + 'ac';

/**
 * Whether `condition` reads the map `m`: only then is it declared (and given), since an input of a
 * map type leaves the input to ajv, where the others get the quick check and typed code.
 */
const usesMap = (condition: string) => /\bm\b/.test(condition);

/** The source of a rule with `condition`, where `$S` and `$V` stand for the long strings' text. */
const source = (condition: string) => `ruleset t.cost
input { s: string, t: string, u: string, v: string, xs: list<number>, ys: list<number>, words: list<string>, texts: list<string>${usesMap(condition) ? ', m: map<number>' : ''} }
decision deny > allow
const BIG = [${Array.from({ length: 40 }, (_, i) => i * 3).join(', ')}]
const LONGS = ["$V", "x", "$S", "$S"]
table kind(x: string) -> number {
  "$V" -> 1
  != "$S" -> 2
  in LONGS -> 3
  else -> 0
}
rule r {
  severity high
  deny when ${condition}
  because "r"
}
`.replaceAll('$S', S).replaceAll('$V', V);

const fullInput = {
  s: 'ab'.repeat(500),
  t: 'a'.repeat(100),
  // built apart from `s`: equal strings, not one string twice
  u: ['ab'.repeat(250), 'ab'.repeat(250)].join(''),
  v: V,
  texts: [V, 'short', V, 'ab'.repeat(500), V],
  xs: Array.from({ length: 200 }, (_, i) => i),
  ys: Array.from({ length: 200 }, (_, i) => i),
  words: Array.from({ length: 50 }, (_, i) => `w${i}`),
  m: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, i])),
};

/**
 * Comparisons of long strings, with what they cost exactly: comparing two strings of one length n
 * reads them through, n / 16 steps (62 for these 1,000 characters), besides calls and iterations;
 * strings of different lengths compare at no cost.
 */
const COMPARISONS: Array<[string, number]> = [
  ['s == u', 62],
  ['s != v', 62],
  // (`t + "x"` builds 101 characters: 6 steps)
  ['s == t || s == "short" || t + "x" != v', 6],
  ['s == "$S"', 62],
  ['s != "$V"', 62],
  // a search compares with the items of the string's length up to the first equal one (or all of them)
  ['s in texts', 3 * 62],
  ['texts.contains(s)', 1 + 3 * 62],
  ['contains(texts, u)', 1 + 3 * 62],
  ['s in LONGS', 2 * 62],
  ['v in LONGS', 62],
  ['!(s + "x" in LONGS)', 62],
  ['u in ["$V", "x", "$V", "$S"]', 3 * 62],
  ['texts.exists(x, x == s)', 4 + 3 * 62],
  // a key looked up in a map is read once
  ['!(s in {"$V": 1}) && v in {"$V": 1}', 62 + 62],
  // nested in lists and maps, and in table rows (`==`, `!=`, `in` patterns)
  ['[s, v] == [u, v]', 2 * 62],
  ['{"a": s, "b": v} == {"a": u, "b": v}', 2 * 62],
  // the call, then `"$V"`, `!= "$S"` and `in LONGS` (up to its first `"$S"`)
  ['kind(s) == 3', 1 + 62 + 62 + 2 * 62],
  ['kind(v) == 1', 1 + 62],
  ['kind(u) == 3 && kind(s) == 3', 2 * (1 + 4 * 62)],
];

/** The input for `condition`: without `m` unless it reads it. */
function inputFor(condition: string): Record<string, unknown> {
  if (usesMap(condition)) return fullInput;
  const { m: _m, ...rest } = fullInput;
  return rest;
}

/** Work of every kind the cost model counts, each alone in a condition, with the least it must cost. */
const CONDITIONS: Array<[string, number]> = [
  // the program (20 + 1 + 2 instructions) times the text (1,000 characters, plus one, plus 100 for compiling)
  ['s.matches("[a-z]{20}[0-9]")', 23 * 1101],
  // building 2,000 characters, then counting them
  ['size(s + s) > 0', 250],
  ['size(join(words, ", ")) > 0', 20],
  ['size(split(s, "b")) > 0', 62 + 31],
  ['size(s) > 0', 62],
  ['lower(s) != t', 62],
  ['s.startsWith(t)', 6],
  ['xs.exists(x, x in ys)', 13],
  ['5 in BIG', 2],
  ['xs == ys', 12],
  ['sum(xs) > 0 && max(xs) > 0 && avg(xs) > 0', 36],
  ['size(keys(m)) > 0', 4],
  ['size(xs.filter(x, x > 3)) > 0', 200],
  ['size(xs + ys) > 0', 25],
  ['contains(s, "zz") || contains(xs, 7)', 62 + 12],
  ...COMPARISONS,
];

const CONFIGURATIONS = [{}, { codegen: false }, { index: false }, { codegen: false, index: false }];

function stepsOf(condition: string, options: object): number {
  const r = ruleset(source(condition), options).evaluate(inputFor(condition), { explain: true });
  if (!r.ok) throw new Error(r.error.message);
  return r.trace!.steps;
}

describe('the cost model', () => {
  it('estimates RE2 program sizes from the pattern text', () => {
    expect(patternSize('[a-z]{1000}[0-9]')).toBe(1003);
    expect(patternSize('^[a-z][a-z0-9-]{0,62}$')).toBe(129);
    expect(patternSize('(a{10}){10}')).toBe(122);
    expect(patternSize('abc')).toBe(5);
    expect(patternSize('x{1000}'.repeat(5))).toBe(5002);
  });

  for (const [condition, least] of CONDITIONS) {
    it(`counts \`${condition}\` the same in every evaluator, and more than its calls`, () => {
      const counted = CONFIGURATIONS.map((options) => stepsOf(condition, options));
      expect(new Set(counted).size, JSON.stringify(counted)).toBe(1);
      const ast = analyze(source(condition)).ast;
      const state = new EvalState({ maxSteps: 1_000_000, maxListLength: 100_000 });
      const reference = referenceDecide(ast, inputFor(condition) as Record<string, Value>, {}, state);
      expect(reference.errors).toEqual([]);
      expect(state.steps).toBe(counted[0]);
      // the sizes are charged, beyond one step per call or iteration
      expect(counted[0]).toBeGreaterThanOrEqual(least);
    });

    it(`stops \`${condition}\` at the same place in every evaluator, whatever the limit`, () => {
      const full = stepsOf(condition, {});
      for (const maxSteps of [0, Math.floor(full / 2), full - 1, full].filter((n) => n >= 0)) {
        const results = CONFIGURATIONS.map((options) => ruleset(source(condition), { ...options, limits: { maxSteps } }).evaluate(inputFor(condition)));
        for (const r of results.slice(1)) expect(r, `maxSteps ${maxSteps}`).toEqual(results[0]);
        const codes = results[0]!.ok ? results[0]!.errors.map((e) => e.code) : [];
        expect(codes, `maxSteps ${maxSteps}`).toEqual(maxSteps < full ? ['limit_exceeded'] : []);
      }
    });
  }

  for (const [condition, steps] of COMPARISONS) {
    it(`charges the string comparisons of \`${condition}\` exactly`, () => {
      expect(stepsOf(condition, {})).toBe(steps);
    });
  }

  it('refuses a large pattern program on a large text at once, before compiling or running it', () => {
    const c = compileExpression('s.matches(p)', { s: 'a'.repeat(900_000), p: '[a-z]{1000}[0-9]' });
    if ('diagnostics' in c) throw new Error('compile');
    const started = performance.now();
    const r = c.evaluate();
    expect(r.ok ? r.value : r.error.code).toBe('limit_exceeded');
    // RE2 would take tens of seconds; the charge is made first (a generous bound for a loaded machine)
    expect(performance.now() - started).toBeLessThan(2000);
    // a huge program is refused even on an empty text: compiling it is work too
    const empty = compileExpression('s.matches(p)', { s: '', p: 'x{1000}'.repeat(100) });
    if ('diagnostics' in empty) throw new Error('compile');
    const refused = empty.evaluate();
    expect(refused.ok ? refused.value : refused.error.code).toBe('limit_exceeded');
    // a small program on the same text, and the large one on a short text, are within the budget
    expect(interpretWith(analyze('ruleset x\ndecision a > b\noutput o = s.matches("b")').ast.decls.find((d) => d.kind === 'Output')!.value as never, { s: 'a'.repeat(10_000) })).toBe(false);
    const short = compileExpression('s.matches(p)', { s: 'a'.repeat(500) + '1', p: '[a-z]{1000}[0-9]' });
    if ('diagnostics' in short) throw new Error('compile');
    expect(short.evaluate()).toMatchObject({ ok: true, value: false });
  });

  it('counts string building: doubling a string in a macro runs out of steps, not of memory or time', () => {
    const c = compileExpression('xs.map(x, s + s + s + s).size() > 0', { xs: Array.from({ length: 5000 }, (_, i) => i), s: 'x'.repeat(20_000) });
    if ('diagnostics' in c) throw new Error('compile');
    const r = c.evaluate();
    expect(r.ok ? r.value : r.error.code).toBe('limit_exceeded');
  });

  it('counts scans: a quadratic membership test over a long list runs out of steps', () => {
    const xs = Array.from({ length: 20_000 }, (_, i) => i);
    const c = compileExpression('xs.all(x, x in xs)', { xs });
    if ('diagnostics' in c) throw new Error('compile');
    const r = c.evaluate();
    expect(r.ok ? r.value : r.error.code).toBe('limit_exceeded');
  });

  it('a batch budget is shared: evaluations spend from it until it is gone', () => {
    const compiled = ruleset(source('xs.exists(x, x > 1000)'), {});
    const budget = new StepBudget(900);
    const results = Array.from({ length: 8 }, () => compiled.evaluate(inputFor(''), { budget }));
    // each evaluation spends 200 steps (one per item): the budget lasts four of them
    const errors = results.map((r) => (r.ok ? r.errors.map((e) => e.message) : [r.error.code]));
    expect(errors.slice(0, 4)).toEqual([[], [], [], []]);
    expect(errors[4]).toEqual(['the batch exceeded its budget of 900 steps']);
    expect(budget.exhausted).toBe(true);
    expect(errors.slice(5).every((e) => e.length === 1)).toBe(true);
    // without the budget, the ruleset's own limit applies alone
    const alone = compiled.evaluate(inputFor(''));
    expect(alone.ok && alone.errors).toEqual([]);
  });
});

describe('input validation spends from the evaluation budget', () => {
  const WHERE = `ruleset t.where
input {
  code: string where value.matches("[a-z]{20}[0-9]")
  note: string where lower(value) != "x"
}
decision deny > allow
rule r {
  severity high
  deny when code == note
  because "r"
}
`;
  const valid = { code: 'a'.repeat(20) + '1', note: 'n' };

  it('charges a `where` pattern as `matches` is charged, before it runs: a huge field answers limit_exceeded at once', () => {
    const compiled = ruleset(WHERE);
    expect(compiled.evaluate(valid)).toMatchObject({ ok: true, decision: 'allow' });
    expect(compiled.evaluate({ ...valid, code: 'a'.repeat(21) })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const started = performance.now();
    // 23 instructions times 300,101: about 7 million steps (RE2 would search for most of a second)
    const r = compiled.evaluate({ ...valid, code: 'a'.repeat(300_000) });
    expect(performance.now() - started).toBeLessThan(100);
    expect(r).toEqual({ ok: false, error: { code: 'limit_exceeded', message: 'validating the input: evaluation exceeded 1000000 steps', details: [] } });
  });

  it('counts the pattern and the `where` conditions in the steps of the evaluation, with the same limit', () => {
    // the pattern: 23 × (21 + 101) steps; the condition: a call and 62 steps reading 1,000 characters
    const pattern = 23 * (21 + 101);
    const note = { ...valid, note: 'N'.repeat(1000) };
    const r = ruleset(WHERE).evaluate(note, { explain: true });
    expect(r.ok && r.trace!.steps).toBe(pattern + 1 + 62);
    expect(ruleset(WHERE, { limits: { maxSteps: pattern + 63 } }).evaluate(note)).toMatchObject({ ok: true });
    for (const maxSteps of [pattern - 1, pattern + 62]) {
      expect(ruleset(WHERE, { limits: { maxSteps } }).evaluate(note)).toMatchObject({ ok: false, error: { code: 'limit_exceeded' } });
    }
  });

  it('spends from a batch budget, also for inputs that are refused', () => {
    const compiled = ruleset(WHERE);
    const budget = new StepBudget(30_000);
    const input = { ...valid, code: 'a'.repeat(1000) };
    expect(compiled.evaluate(input, { budget })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // the pattern on 1,000 characters, and the call of \`lower\`
    expect(budget.spent).toBe(23 * 1101 + 1);
    expect(compiled.evaluate(input, { budget })).toEqual({ ok: false, error: { code: 'limit_exceeded', message: 'validating the input: the batch exceeded its budget of 30000 steps', details: [] } });
    expect(budget.exhausted).toBe(true);
  });
});
