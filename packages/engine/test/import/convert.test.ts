import { describe, expect, it } from 'vitest';
import { analyze, format } from '@verdict/language';
import { compile } from '../../src/index.ts';
import { formatImportIssue, importJsonRulesEngine, type ImportOptions } from '../../src/import/index.ts';

type Json = unknown;

function imported(rules: Json, options: ImportOptions = {}) {
  const r = importJsonRulesEngine(rules, options);
  if (!r.ok) throw new Error(r.errors.map(formatImportIssue).join('\n'));
  const errors = analyze(r.source).diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.message} @${d.span.line}:${d.span.column}`), r.source).toEqual([]);
  const compiled = compile(r.source);
  if (compiled.ruleset === undefined) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
  return { ...r, ruleset: compiled.ruleset };
}

/** Whether the single imported rule fires on each input. */
function fires(condition: Json, inputs: Array<Record<string, unknown>>, options: ImportOptions = {}): boolean[] {
  const r = imported({ conditions: condition, event: { type: 'hit' } }, options);
  // The input is open by default (facts no rule reads are accepted); with `records` it is closed: leave them out.
  const declared = Object.keys((r.ruleset.inputSchema as { properties?: object }).properties ?? {});
  return inputs.map((input) => {
    const d = r.ruleset.evaluate(options.records === true ? Object.fromEntries(Object.entries(input).filter(([k]) => declared.includes(k))) : input);
    if (!d.ok) throw new Error(`${JSON.stringify(input)} refused: ${JSON.stringify(d.error.details)}`);
    expect(d.errors).toEqual([]);
    return d.violations.length === 1;
  });
}

function errorsOf(rules: Json, options: ImportOptions = {}): string[] {
  const r = importJsonRulesEngine(rules, options);
  if (r.ok) throw new Error(`expected errors, got:\n${r.source}`);
  return r.errors.map(formatImportIssue);
}

const leaf = (operator: string, value: Json, extra: Record<string, unknown> = {}) => ({ all: [{ fact: 'x', operator, value, ...extra }] });

describe('json-rules-engine import: operators (expected answers follow json-rules-engine, a missing fact being undefined)', () => {
  const cases: Array<[string, Json, Array<[Record<string, unknown>, boolean]>]> = [
    ['equal', 5, [[{ x: 5 }, true], [{ x: 4 }, false], [{}, false]]],
    ['equal', 0, [[{ x: 0 }, true], [{ x: 1 }, false], [{}, false]]],
    ['equal', 'a', [[{ x: 'a' }, true], [{ x: '' }, false], [{}, false]]],
    ['equal', '', [[{ x: '' }, true], [{ x: '_' }, false], [{}, false]]],
    ['equal', true, [[{ x: true }, true], [{ x: false }, false], [{}, false]]],
    ['notEqual', 5, [[{ x: 5 }, false], [{ x: 4 }, true], [{}, true]]],
    ['notEqual', 'a', [[{ x: 'a' }, false], [{ x: 'b' }, true], [{}, true]]],
    ['lessThan', 3, [[{ x: 2 }, true], [{ x: 3 }, false], [{}, false]]],
    ['lessThanInclusive', 3, [[{ x: 3 }, true], [{ x: 4 }, false], [{}, false]]],
    ['lessThanInclusive', 1e300, [[{ x: 1e300 }, true], [{}, false]]],
    ['greaterThan', -1.5, [[{ x: -1 }, true], [{ x: -1.5 }, false], [{}, false]]],
    ['greaterThanInclusive', 3, [[{ x: 3 }, true], [{ x: 2.9 }, false], [{}, false]]],
    ['greaterThanInclusive', -1e300, [[{ x: -1e300 }, true], [{}, false]]],
    ['lessThanInclusive', Number.MAX_VALUE, [[{ x: Number.MAX_VALUE }, true], [{ x: 1 }, true], [{}, false]]],
    ['greaterThanInclusive', -Number.MAX_VALUE, [[{ x: -Number.MAX_VALUE }, true], [{}, false]]],
    ['in', [1, 2], [[{ x: 1 }, true], [{ x: 0 }, false], [{}, false]]],
    ['in', [0, 1, 2], [[{ x: 0 }, true], [{ x: 3 }, false], [{}, false]]],
    ['in', ['', '_'], [[{ x: '' }, true], [{ x: 'a' }, false], [{}, false]]],
    ['in', [], [[{ x: 1 }, false], [{}, false]]],
    ['notIn', [1, 2], [[{ x: 1 }, false], [{ x: 0 }, true], [{}, true]]],
    ['notIn', [], [[{ x: 1 }, true], [{}, true]]],
    ['contains', 'a', [[{ x: ['a', 'b'] }, true], [{ x: ['b'] }, false], [{ x: [] }, false], [{}, false]]],
    ['doesNotContain', 'a', [[{ x: ['a'] }, false], [{ x: ['b'] }, true], [{ x: [] }, true], [{}, false]]],
    ['contains', 2, [[{ x: [1, 2] }, true], [{}, false]]],
    // === on a list or object value never holds.
    ['equal', [1], [[{ x: 1 }, false], [{}, false]]],
    ['notEqual', { a: 1 }, [[{ x: 1 }, true], [{}, true]]],
  ];
  it.each(cases)('%s %j', (operator, value, samples) => {
    expect(fires(leaf(operator, value), samples.map(([input]) => input))).toEqual(samples.map(([, want]) => want));
  });

  it('uses json-rules-engine operators as Verdict operators', () => {
    const r = imported([
      { conditions: leaf('lessThan', 3), event: { type: 'a' } },
      { conditions: { all: [{ fact: 'l', operator: 'contains', value: 'q' }, { fact: 's', operator: 'in', value: ['a', 'b'] }] }, event: { type: 'b' } },
    ]);
    expect(r.source).toContain('x != null && x < 3');
    expect(r.source).toContain('(l ?? []).contains("q")');
    expect(r.source).toContain('(s ?? "") in ["a", "b"]');
  });
});

describe('json-rules-engine import: readable conditions in canonical format', () => {
  const one = (condition: Record<string, unknown>) => ({ conditions: { all: [condition] }, event: { type: 'e' } });
  it.each<[string, Record<string, unknown>, string]>([
    ['equal, top level', { fact: 'x', operator: 'equal', value: 5 }, 'e when x == 5'],
    ['notEqual, top level', { fact: 's', operator: 'notEqual', value: 'a' }, 'e when s != "a"'],
    ['equal on a path', { fact: 'account', path: '$.company', operator: 'equal', value: 'microsoft' }, 'e when (account?.company ?? "") == "microsoft"'],
    ['equal "" on a path', { fact: 'account', path: '$.company', operator: 'equal', value: '' }, 'e when (account?.company ?? null) == ""'],
    ['in', { fact: 'status', operator: 'in', value: ['active', 'paid-leave'] }, 'e when (status ?? "") in ["active", "paid-leave"]'],
    ['notIn', { fact: 'n', operator: 'notIn', value: [1, 2] }, 'e when !((n ?? 0) in [1, 2])'],
    ['greaterThanInclusive (a missing fact read as 0 fails)', { fact: 'gpa', operator: 'greaterThanInclusive', value: 3.5 }, 'e when (gpa ?? 0) >= 3.5'],
    ['lessThan (a 0 default would pass: a guard)', { fact: 'date', operator: 'lessThan', value: 1467331200000 }, 'e when date != null && date < 1467331200000'],
    ['lessThan on a path', { fact: 'u', path: '$.age', operator: 'lessThan', value: 18 }, 'e when u != null && has(u.age) && u.age < 18'],
    ['contains', { fact: 'days', operator: 'contains', value: '2016-12-25' }, 'e when (days ?? []).contains("2016-12-25")'],
    ['doesNotContain', { fact: 'days', operator: 'doesNotContain', value: '2016-12-25' }, 'e when days != null && !days.contains("2016-12-25")'],
    ['two facts', { fact: 'account', path: '$.balance', operator: 'greaterThanInclusive', value: { fact: 'product', path: '$.price' } }, 'account != null\n    && has(account.balance)\n    && product != null\n    && has(product.price)\n    && account.balance >= product.price'],
    ['equal null', { fact: 'high', operator: 'equal', value: null }, 'e when has(input.high) && high == null'],
    ['everyFact:in a fact', { fact: 'tags', operator: 'everyFact:in', value: { fact: 'valid' } }, 'e when tags != null && tags.all(item, item in (valid ?? []))'],
  ])('%s', (_, condition, text) => {
    const r = imported(one(condition));
    expect(r.source).toContain(text);
  });

  it('writes no placeholder values and is canonical (`verdict fmt --check` passes)', () => {
    const r = imported([
      { conditions: { any: [{ fact: 'x', operator: 'equal', value: 1 }, { fact: 'x', operator: 'equal', value: 'a' }, { fact: 'o', path: "$['a b']", operator: 'lessThan', value: { fact: 'x' } }] }, event: { type: 'e' } },
      { conditions: { not: { all: [{ fact: 'u', path: '$.l[1].v', operator: 'in', value: [1, 2] }, { fact: 'u', path: '$.c', operator: 'notEqual', value: { fact: 'n' } }] } }, event: { type: 'f' } },
    ]);
    expect(r.source).not.toMatch(/\\u0000|absent|\]\[0\]/);
    expect(format(r.source).text).toBe(r.source);
  });
});

describe('json-rules-engine import: nesting', () => {
  const a = { fact: 'a', operator: 'equal', value: 1 };
  const b = { fact: 'b', operator: 'equal', value: 1 };
  const inputs = [{}, { a: 1 }, { b: 1 }, { a: 1, b: 1 }];
  const cases: Array<[string, Json, boolean[]]> = [
    ['all', { all: [a, b] }, [false, false, false, true]],
    ['any', { any: [a, b] }, [false, true, true, true]],
    ['not', { not: a }, [true, false, true, false]],
    ['not all', { not: { all: [a, b] } }, [true, true, true, false]],
    ['any of all and not', { any: [{ all: [a, b] }, { not: { any: [a, b] } }] }, [true, false, false, true]],
    ['all of any and not', { all: [{ any: [a, b] }, { not: b }] }, [false, true, false, false]],
    ['depth 4', { not: { any: [{ not: { all: [a] } }, { all: [{ not: b }] }] } }, [false, false, false, true]],
    ['empty all is true', { all: [] }, [true, true, true, true]],
    ['empty any is true (as in json-rules-engine)', { any: [] }, [true, true, true, true]],
    ['not of empty all', { not: { all: [] } }, [false, false, false, false]],
  ];
  it.each(cases)('%s', (_, condition, want) => {
    expect(fires(condition, inputs)).toEqual(want);
  });
});

describe('json-rules-engine import: paths and input schema', () => {
  const on = (path: string, value: Json, operator = 'equal') => ({ all: [{ fact: 'u', path, operator, value }] });

  it.each<[string, Json, Array<[Record<string, unknown>, boolean]>]>([
    ['$.a.b', 1, [[{ u: { a: { b: 1 } } }, true], [{ u: { a: {} } }, false], [{ u: {} }, false], [{}, false], [{ u: { a: { b: 1 }, other: 'x' } }, true]]],
    ['$.a[1].b', 1, [[{ u: { a: [{}, { b: 1 }] } }, true], [{ u: { a: [{ b: 1 }] } }, false], [{ u: { a: [] } }, false], [{}, false]]],
    ["$['a b']", 'x', [[{ u: { 'a b': 'x' } }, true], [{ u: {} }, false]]],
    ['$["__proto__"]', 'x', [[{ u: JSON.parse('{"__proto__": "x"}') as Record<string, unknown> }, true], [{ u: {} }, false]]],
    ['a.b', 1, [[{ u: { a: { b: 1 } } }, true], [{}, false]]],
    ['$', 1, [[{ u: 1 }, true], [{ u: 2 }, false]]],
  ])('%s', (path, value, samples) => {
    expect(fires(on(path, value), samples.map(([i]) => i))).toEqual(samples.map(([, w]) => w));
  });

  it('declares every fact optional and objects reached by paths as typed records, open by default and closed with `records`', () => {
    const rules = { conditions: { all: [{ fact: 'u', path: '$.age', operator: 'greaterThan', value: 1 }, { fact: 'u', path: '$.tags', operator: 'contains', value: 'a' }, { fact: 'n', operator: 'equal', value: 'x' }] }, event: { type: 'e' } };
    const open = imported(rules);
    expect(open.source).toMatch(/u\?: \{\s+age\?: number\s+tags\?: list<string>\s+\.\.\.\s+\}/);
    expect(open.source).toContain('n?: string');
    expect(open.source).toMatch(/\n {2}\.\.\.\n\}/);
    const closed = imported(rules, { records: true });
    expect(closed.source).toContain('u?: { age?: number, tags?: list<string> }');
    expect(closed.ruleset.evaluate({ u: { age: 2, extra: 1 } }).ok).toBe(false);
    expect(closed.ruleset.evaluate({ u: { age: 2 }, other: 1 }).ok).toBe(false);
    expect(open.ruleset.evaluate({ u: { age: 2, extra: 1 }, other: 1 }).ok).toBe(true);
  });

  it('uses any for facts used with conflicting kinds', () => {
    const r = imported({ conditions: { any: [{ fact: 'x', operator: 'equal', value: 1 }, { fact: 'x', operator: 'equal', value: 'a' }] }, event: { type: 'e' } });
    expect(r.source).toContain('x?: any');
    const fired = [{ x: 1 }, { x: 'a' }, { x: 'b' }, {}].map((i) => {
      const d = r.ruleset.evaluate(i);
      return d.ok && d.violations.length === 1;
    });
    expect(fired).toEqual([true, true, false, false]);
  });

  it.each(['$..a', '$.*', '$.a[?(@.b > 1)]', '$.a[-1]', '$.a[0:2]', '$.a[0,1]', "$['a\\'b']", '$.a b'])('refuses the path %s, naming the rule and the path', (path) => {
    const errors = errorsOf({ name: 'my rule', conditions: { all: [{ fact: 'u', path, operator: 'equal', value: 1 }] }, event: { type: 'e' } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('rule "my rule"');
    expect(errors[0]).toContain(JSON.stringify(path));
  });
});

describe('json-rules-engine import: fact references', () => {
  const ref = (operator: string, value: Json) => ({ all: [{ fact: 'a', operator, value }] });
  it.each<[string, Json, Array<[Record<string, unknown>, boolean]>]>([
    ['equal', { fact: 'b' }, [[{ a: 1, b: 1 }, true], [{ a: 1, b: 2 }, false], [{ a: 1 }, false], [{}, true]]],
    ['notEqual', { fact: 'b' }, [[{ a: 1, b: 1 }, false], [{ b: 2 }, true], [{}, false]]],
    ['lessThan', { fact: 'b' }, [[{ a: 1, b: 2 }, true], [{ a: 2, b: 2 }, false], [{ a: 1 }, false], [{ b: 1 }, false]]],
    ['greaterThanInclusive', { fact: 'o', path: '$.v' }, [[{ a: 2, o: { v: 2 } }, true], [{ a: 1, o: { v: 2 } }, false], [{ a: 1, o: {} }, false]]],
    ['in', { fact: 'l' }, [[{ a: 1, l: [1, 2] }, true], [{ a: 3, l: [1] }, false], [{ l: [1] }, false], [{ a: 1 }, false]]],
  ])('%s %j', (operator, value, samples) => {
    expect(fires(ref(operator, value), samples.map(([i]) => i))).toEqual(samples.map(([, w]) => w));
  });

  it('contains and doesNotContain with a referenced value', () => {
    const c = (operator: string) => ({ all: [{ fact: 'l', operator, value: { fact: 'v' } }] });
    const inputs = [{ l: ['a'], v: 'a' }, { l: ['a'], v: 'b' }, { l: ['a'] }, { v: 'a' }];
    expect(fires(c('contains'), inputs)).toEqual([true, false, false, false]);
    expect(fires(c('doesNotContain'), inputs)).toEqual([false, true, true, false]);
  });
});

describe('json-rules-engine import: priorities, outcomes, severities, events', () => {
  const rule = (name: string, type: string, priority?: number, params?: Record<string, unknown>) => ({
    name,
    ...(priority === undefined ? {} : { priority }),
    conditions: { all: [{ fact: name.replace(/\W/g, '_'), operator: 'equal', value: true }] },
    event: params === undefined ? { type } : { type, params },
  });

  it('orders outcomes by the highest priority producing them, then a default', () => {
    const r = imported([rule('a', 'low', 1), rule('b', 'high', 5), rule('c', 'low', 9), rule('d', 'mid', 3)]);
    expect(r.outcomes).toEqual(['low', 'high', 'mid', 'none']);
    expect(r.source).toContain('decision low > high > mid > none');
    const d = r.ruleset.evaluate({ b: true, d: true });
    expect(d.ok && d.decision).toBe('high');
    const none = r.ruleset.evaluate({});
    expect(none.ok && [none.decision, none.compliant]).toEqual(['none', true]);
  });

  it('gives severities by priority bands, medium when all priorities are equal', () => {
    const four = imported([rule('a', 'e', 10), rule('b', 'e', 5), rule('c', 'e', 2), rule('d', 'e')]);
    expect(four.rules.map((r) => r.severity)).toEqual(['critical', 'high', 'medium', 'low']);
    const two = imported([rule('a', 'e', 10), rule('b', 'e', 1)]);
    expect(two.rules.map((r) => r.severity)).toEqual(['critical', 'medium']);
    const same = imported([rule('a', 'e'), rule('b', 'e')]);
    expect(same.rules.map((r) => r.severity)).toEqual(['medium', 'medium']);
  });

  it('reads priority as json-rules-engine does (parseInt, 0 means 1)', () => {
    const r = imported([rule('a', 'x', '7' as unknown as number), rule('b', 'y', 0), rule('c', 'z', 2.9)]);
    expect(r.rules.map((x) => x.priority)).toEqual([7, 1, 2]);
  });

  it('returns event params as the suggestion and names the event type in the message', () => {
    const r = imported([rule('a', 'discount', 1, { pct: 10, note: 'x', nested: { list: [1, 'two', null] } })]);
    const d = r.ruleset.evaluate({ a: true });
    expect(d.ok && d.violations[0]?.suggestion).toEqual({ pct: 10, note: 'x', nested: { list: [1, 'two', null] } });
    expect(d.ok && d.violations[0]?.message).toBe('json-rules-engine event "discount" (rule "a")');
  });

  it('keeps an event param that is a fact reference as written, and warns (replaceFactsInEventParams would send the value)', () => {
    const r = imported({ conditions: { all: [] }, event: { type: 'e', params: { score: { fact: 'score' } } } });
    expect(r.warnings.map(formatImportIssue)).toEqual([
      'rule #1 at event.params.score: {"fact":"score"} is a fact reference: with the engine option replaceFactsInEventParams json-rules-engine sends the fact\'s value; the import keeps the reference as written in the suggestion',
    ]);
    const d = r.ruleset.evaluate({ score: 3 });
    expect(d.ok && d.violations[0]!.suggestion).toEqual({ score: { fact: 'score' } });
  });

  it('names rules from `name` or rule_<n>, and a default outcome that does not collide', () => {
    const r = imported([{ conditions: { all: [] }, event: { type: 'none' } }, { name: 'rule', conditions: { all: [] }, event: { type: 'none' } }, { name: 'rule', conditions: { all: [] } }]);
    expect(r.rules.map((x) => x.id)).toEqual(['rule_1', 'rule', 'rule_2']);
    expect(r.outcomes).toEqual(['none', 'unknown', 'none_2']);
  });

  it('accepts one rule, an array, { rules } and rules as JSON strings', () => {
    const one = { conditions: { all: [] }, event: { type: 'e' } };
    for (const doc of [one, [one], { rules: [one] }, [JSON.stringify(one)]]) expect(importJsonRulesEngine(doc).ok).toBe(true);
  });

  it('puts a header saying where the rules came from and names the ruleset', () => {
    const r = imported({ conditions: { all: [] }, event: { type: 'e' } }, { origin: 'dir/my-rules.json' });
    expect(r.source.split('\n')[0]).toBe('# Imported from json-rules-engine rules (dir/my-rules.json) by `verdict import`.');
    expect(r.name).toBe('imported.my_rules');
    expect(imported({ conditions: { all: [] }, event: { type: 'e' } }, { name: 'acme.discounts' }).source).toContain('ruleset acme.discounts');
  });
});

describe('json-rules-engine import: escaping hostile names and strings', () => {
  const hostile = 'q"uo\'te \\ {hole} \n new\u0000line ☃ 𝄞';
  it('keeps strings intact in conditions, messages, suggestions and comments', () => {
    const r = imported({
      name: hostile,
      conditions: { all: [{ fact: 's', operator: 'equal', value: hostile }, { fact: 'o', path: `$['${'a b.c"'}']`, operator: 'in', value: [hostile] }] },
      event: { type: hostile, params: { [hostile]: hostile, __proto__x: 1, in: 'kw' } },
    });
    const d = r.ruleset.evaluate({ s: hostile, o: { 'a b.c"': hostile } });
    expect(d.ok && d.violations.length).toBe(1);
    const v = d.ok ? d.violations[0]! : null;
    expect(v?.message).toBe(`json-rules-engine event "${hostile}" (rule "${hostile}")`);
    const rule = r.rules[0]!;
    const params = Object.fromEntries(Object.entries(v?.suggestion ?? {}).map(([k, x]) => [rule.suggest[k], x]));
    expect(params).toEqual({ [hostile]: hostile, __proto__x: 1, in: 'kw' });
    expect(r.warnings.some((w) => w.message.includes('not a Verdict name'))).toBe(true);
  });

  it('reads __proto__, constructor and keyword path keys as data', () => {
    const c = { all: [{ fact: 'o', path: '$.__proto__.constructor', operator: 'equal', value: 1 }, { fact: 'o', path: '$.input', operator: 'equal', value: 2 }] };
    expect(fires(c, [JSON.parse('{"o": {"__proto__": {"constructor": 1}, "input": 2}}') as Record<string, unknown>, { o: { input: 2 } }])).toEqual([true, false]);
    expect(fires(c, [JSON.parse('{"o": {"__proto__": {"constructor": 1}, "input": 2}}') as Record<string, unknown>], { records: true })).toEqual([true]);
  });

  it('returns __proto__ and constructor event params as plain keys', () => {
    const r = imported(JSON.parse('{"conditions": {"all": []}, "event": {"type": "e", "params": {"__proto__": {"polluted": 1}, "constructor": 2}}}'));
    const d = r.ruleset.evaluate({});
    const suggestion = d.ok ? d.violations[0]!.suggestion! : {};
    expect(Object.keys(suggestion)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(suggestion, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('turns event types that are keywords or not names into distinct outcomes', () => {
    const r = imported(['in', 'a b', 'a_b', '1st', 'none'].map((type, i) => ({ conditions: { all: [{ fact: `f${i}`, operator: 'equal', value: 1 }] }, event: { type } })));
    expect(r.outcomes).toEqual(['in_', 'a_b', 'a_b_2', '_1st', 'none', 'none_2']);
  });
});

describe('json-rules-engine import: errors', () => {
  const ok = { fact: 'x', operator: 'equal', value: 1 };
  const one = (condition: Json, extra: Record<string, unknown> = {}) => ({ name: 'r', conditions: { all: [condition] }, event: { type: 'e' }, ...extra });
  it.each<[string, Json, string]>([
    ['condition reference without --conditions', one({ condition: 'shared' }), 'condition reference "shared" is not among the shared conditions: pass them with --conditions FILE'],
    ['custom operator', one({ ...ok, operator: 'startsWith' }), 'custom operator "startsWith"'],
    ['custom operator decorator', one({ ...ok, operator: 'everyFact:caseInsensitive:equal' }), 'custom operator decorator "caseInsensitive" (in "everyFact:caseInsensitive:equal") cannot be imported'],
    ['decorator without an operator', one({ ...ok, operator: 'someFact' }), '"someFact" is an operator decorator: it goes before an operator'],
    ['someValue on a value that is not a list', one({ ...ok, operator: 'someValue:equal', value: 'ab' }), 'someValue needs a list value'],
    ['everyValue on a number', one({ ...ok, operator: 'not:everyValue:equal', value: 3 }), 'everyValue needs a list value'],
    ['a string compared as a number through swap', one({ ...ok, operator: 'swap:lessThan', value: '5' }), 'would compare "5" as a number'],
    ['in on null', one({ ...ok, operator: 'in', value: null }), 'in needs a list value'],
    ['all not an array', { conditions: { all: ok }, event: { type: 'e' } }, '"all" must be an array'],
    ['not an array', { conditions: { not: [ok] }, event: { type: 'e' } }, '"not" takes one condition'],
    ['missing value', one({ fact: 'x', operator: 'equal' }), 'needs "value"'],
    ['missing fact', one({ operator: 'equal', value: 1 }), 'needs "fact"'],
    ['numeric operator on a string', one({ ...ok, operator: 'lessThan', value: '5' }), 'lessThan needs a number value'],
    ['in on a string', one({ ...ok, operator: 'in', value: 'abc' }), 'in needs a list value'],
    ['bad priority', one(ok, { priority: -1 }), 'priority must be a positive integer'],
    ['no conditions', { event: { type: 'e' } }, 'needs "conditions"'],
    ['leaf at the root', { conditions: ok, event: { type: 'e' } }, '"conditions" root must contain'],
    ['event without type', { conditions: { all: [] }, event: {} }, 'with a "type"'],
    ['not rules', 42, 'expected a rule object'],
    ['no rules', [], 'no rules to import'],
    ['fact named input (it names the input document)', one({ ...ok, fact: 'input' }), 'fact "input": this fact name cannot be a Verdict input field'],
    ['fact __proto__', one({ ...ok, fact: '__proto__' }), 'fact "__proto__"'],
    ['fact with a backquote', one({ ...ok, fact: 'a`b' }), 'or import with --rename-facts'],
  ])('%s', (_, rules, message) => {
    const errors = errorsOf(rules);
    expect(errors.join('\n')).toContain(message);
  });

  it('lists every problem, each naming its rule and place', () => {
    const errors = errorsOf([
      { name: 'first', conditions: { all: [{ condition: 'c' }, { fact: 'x', operator: 'near', value: 1 }] }, event: { type: 'e' } },
      { conditions: { any: [{ fact: 'y', operator: 'in', value: 3 }] }, event: { type: 'e' } },
    ]);
    expect(errors).toEqual([
      expect.stringContaining('rule "first" at conditions.all[0]: condition reference "c" is not among the shared conditions'),
      expect.stringContaining('rule "first" at conditions.all[1].operator: custom operator "near"'),
      expect.stringContaining('rule #2 at conditions.any[0].value: in needs a list value'),
    ]);
  });

  it('keeps fact names that are not identifiers as quoted input fields, so the facts are taken as they are', () => {
    const rules = {
      conditions: {
        all: [
          { fact: 'account-information', path: '$.company', operator: 'equal', value: 'acme' },
          { fact: 'account-information', path: "$['tax id']", operator: 'notEqual', value: 'x' },
          { fact: 'in', operator: 'equal', value: { fact: 'account_information', path: '$.x' } },
          { fact: 'rate limit', operator: 'lessThan', value: 10 },
        ],
      },
      event: { type: 'e' },
    };
    const r = imported(rules);
    expect(r.renamedFacts).toEqual({});
    expect(r.source).toMatch(/`account-information`\?: \{\s+company\?: string\s+`tax id`\?: string\s+\.\.\.\s+\}/);
    expect(r.source).toContain('`rate limit`?: number');
    expect(r.source).toContain('(input.`account-information`?.company ?? "") == "acme"');
    expect(r.source).toContain('(input.`account-information`?.`tax id` ?? "") != "x"');
    expect(r.source).toContain('input.in == (account_information?.x ?? null)');
    expect(r.source).toMatch(/input\.`rate limit` != null\s+&& input\.`rate limit` < 10/);
    const facts = { 'account-information': { company: 'acme', 'tax id': 'T1', 'company-size': 3 }, 'rate limit': 3, 'user-agent': 'curl' };
    const d = r.ruleset.evaluate(facts);
    expect(d.ok && d.violations.length).toBe(1);
  });

  it('renames facts that are not identifiers when asked, and says so', () => {
    const rules = { conditions: { all: [{ fact: 'account-information', path: '$.company', operator: 'equal', value: 'acme' }, { fact: 'in', operator: 'equal', value: { fact: 'account_information', path: '$.x' } }] }, event: { type: 'e' } };
    const r = importJsonRulesEngine(rules, { renameFacts: true });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.renamedFacts).toEqual({ 'account-information': 'account_information_2', in: 'in_' });
    expect(r.source).toContain('# Fact "account-information" is the input field `account_information_2`.');
    expect(r.warnings.map(formatImportIssue)).toContain('(facts) at fact "in": renamed to the input field `in_`');
    const ruleset = compile(r.source).ruleset!;
    const d = ruleset.evaluate({ account_information_2: { company: 'acme' } });
    expect(d.ok && d.violations.length).toBe(1);
  });

  it('refuses a ruleset name that is not dotted identifiers', () => {
    expect(errorsOf({ conditions: { all: [] }, event: { type: 'e' } }, { name: 'bad name' }).join()).toContain('ruleset name');
  });

  it('never throws on odd input', () => {
    for (const doc of [null, undefined, 'x', [null], [{ conditions: null }], [{ conditions: { all: [null, 1, 'x'] } }], { rules: 'x' }, [{ conditions: { all: [{ fact: 'x', operator: 'equal', value: { fact: 3 } }] } }]]) {
      expect(() => importJsonRulesEngine(doc)).not.toThrow();
      expect(importJsonRulesEngine(doc).ok).toBe(false);
    }
  });
});

describe('json-rules-engine import: shared conditions and custom operators', () => {
  const rule = { name: 'r', conditions: { all: [{ condition: 'adult' }, { fact: 'country', operator: 'equal', value: 'NL' }] }, event: { type: 'ok' } };
  it('a { condition: name } reference is replaced by the shared condition, as engine.setCondition does', () => {
    const result = importJsonRulesEngine(rule, { conditions: { adult: { all: [{ fact: 'age', operator: 'greaterThanInclusive', value: 18 }] } } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const compiled = compile(analyze(result.source)).ruleset!;
    const fires = (facts: Record<string, unknown>) => {
      const d = compiled.evaluate(facts);
      return d.ok && d.violations.length > 0;
    };
    expect(fires({ age: 20, country: 'NL' })).toBe(true);
    expect(fires({ age: 17, country: 'NL' })).toBe(false);
  });
  it('shared conditions that refer to each other in a cycle are refused', () => {
    const result = importJsonRulesEngine(rule, { conditions: { adult: { all: [{ condition: 'older' }] }, older: { any: [{ condition: 'adult' }] } } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.message).join('\n')).toContain('refers to itself (adult -> older -> adult)');
  });
  it('a custom operator is refused with how to port it by hand', () => {
    const result = importJsonRulesEngine({ ...rule, conditions: { all: [{ fact: 'word', operator: 'startsWith', value: 'b' }] } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]!.message).toMatch(/custom operator "startsWith" cannot be imported: json-rules-engine runs it as JavaScript \(engine\.addOperator\).*Port it by hand/);
  });
});
