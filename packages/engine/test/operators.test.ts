import { describe, expect, it } from 'vitest';
import { Duration, Timestamp } from '@verdict/engine';
import { ev, ruleset, val } from './helpers.ts';

const E = (code: string) => ({ error: code });

type Case = [expr: string, expected: unknown, bindings?: Record<string, unknown>];

function table(name: string, cases: Case[]) {
  describe(name, () => {
    it.each(cases)('%s', (expr, expected, bindings) => {
      expect(val(expr, bindings ?? {})).toEqual(expected);
    });
  });
}

table('literals', [
  ['null', null],
  ['true', true],
  ['0x1F', 31],
  ['1e3', 1000],
  ['1.5', 1.5],
  ['.99', 0.99],
  ['-.5e1', -5],
  ['[.5, 1][0] + .25', 0.75],
  ['"a\\nb"', 'a\nb'],
  ["'single'", 'single'],
  ['r"\\d+"', '\\d+'],
  ['[]', []],
  ['[1, [2, [3]]]', [1, [2, [3]]]],
  ['{}', {}],
  ['{a: 1, "b": [true]}', { a: 1, b: [true] }],
  ['"héllo wörld 😀"', 'héllo wörld 😀'],
]);

table('arithmetic', [
  ['1 + 2 * 3', 7],
  ['(1 + 2) * 3', 9],
  ['7 - 10', -3],
  ['7 / 2', 3.5],
  ['7 % 3', 1],
  ['-7 % 3', -1],
  ['0.1 + 0.2', 0.1 + 0.2],
  ['1 / 0', E('division_by_zero')],
  ['0 / 0', E('division_by_zero')],
  ['5 % 0', E('division_by_zero')],
  ['1e308 * 10', E('overflow')],
  ['9007199254740993 + 0', 9007199254740992],
  ['-x', -3, { x: 3 }],
  ['--3', 3],
  ['-"a"', E('type_error')],
  ['"a" + "b"', 'ab'],
  ['[1] + [2, 3]', [1, 2, 3]],
  ['[] + []', []],
  ['"a" + 1', E('type_error')],
  ['1 - "a"', E('type_error')],
  ['null + 1', E('type_error')],
  ['"ü" + "😀"', 'ü😀'],
]);

table('comparison and equality', [
  ['1 < 2', true],
  ['2 <= 2', true],
  ['3 > 2', true],
  ['2 >= 3', false],
  ['"a" < "b"', true],
  ['"B" < "a"', true],
  ['"\uffff" < "😀"', true], // code point order, not UTF-16 units
  ['1 < "a"', E('type_error')],
  ['null < 1', E('type_error')],
  ['false < true', true],
  ['1 == 1.0', true],
  ['1 == "1"', false],
  ['null == null', true],
  ['null == false', false],
  ['[1, [2]] == [1, [2]]', true],
  ['[1, 2] == [2, 1]', false],
  ['{"a": 1, "b": 2} == {"b": 2, "a": 1}', true],
  ['{"a": 1} == {"a": 1, "b": 2}', false],
  ['[] != []', false],
  ['{"a": [1]} != {"a": [2]}', true],
  ['x == x', false, { x: NaN }], // IEEE: NaN equals nothing
  ['x != x', true, { x: NaN }],
  ['x < 1 || x >= 1', false, { x: NaN }],
  ['[x] == [x]', false, { x: NaN }],
  ['0 == -0', true],
  ['1e308 < 1.7976931348623157e308', true],
]);

table('logic (CEL error absorption)', [
  ['true && false', false],
  ['true || false', true],
  ['!true', false],
  ['!1', E('type_error')],
  ['false && 1 / 0 > 0', false],
  ['1 / 0 > 0 && false', false],
  ['1 / 0 > 0 && true', E('division_by_zero')],
  ['true && 1 / 0 > 0', E('division_by_zero')],
  ['1 / 0 > 0 || true', true],
  ['true || 1 / 0 > 0', true],
  ['1 / 0 > 0 || false', E('division_by_zero')],
  ['1 && true', E('type_error')],
  ['1 || true', true],
  ['"x" || false', E('type_error')],
  ['1 / 0 > 0 && 5 % 0 > 0', E('division_by_zero')],
]);

table('conditional', [
  ['true ? 1 : 2', 1],
  ['false ? 1 : 2', 2],
  ['1 ? 1 : 2', E('type_error')],
  ['true ? 1 : 1 / 0', 1],
  ['false ? 1 / 0 : 3', 3],
  ['x < 25 ? 1.55 : x >= 70 ? 1.25 : 1.0', 1.25, { x: 80 }],
]);

table('in', [
  ['2 in [1, 2]', true],
  ['3 in [1, 2]', false],
  ['[1] in [[1], [2]]', true],
  ['"a" in {"a": 1}', true],
  ['"b" in {"a": 1}', false],
  ['1 in {"a": 1}', false], // number keys are read as text (CEL map keys)
  ['1 in {"1": 1}', true],
  ['null in {"a": 1}', E('type_error')],
  ['1 in []', false],
  ['1 in "abc"', E('type_error')],
  ['"__proto__" in {}', false],
  ['"constructor" in m', false, { m: {} }],
  ['"toString" in m', false, { m: { a: 1 } }],
]);

table('member, index, optional, ??', [
  ['m.a', 1, { m: { a: 1 } }],
  ['m.b', E('no_such_field'), { m: { a: 1 } }],
  ['m.b ?? 7', 7, { m: { a: 1 } }],
  ['m.a ?? 7', 1, { m: { a: 1 } }],
  ['m.n ?? 7', 7, { m: { n: null } }],
  ['m.b.c', E('no_such_field'), { m: {} }],
  ['m.b?.c', null, { m: {} }],
  ['m.b?.c ?? 3', 3, { m: {} }],
  ['m.n?.c', null, { m: { n: null } }],
  ['m.a?.b', E('type_error'), { m: { a: 1 } }],
  ['(1 / 0) ?? 1', E('division_by_zero')],
  ['m.constructor', E('no_such_field'), { m: {} }],
  ['m.__proto__', E('no_such_field'), { m: {} }],
  ['m.toString', E('no_such_field'), { m: {} }],
  ['m["__proto__"]', E('no_such_key'), { m: {} }],
  ['m.__proto__.x', 1, { m: JSON.parse('{"__proto__": {"x": 1}}') }],
  ['m["constructor"]', 'data', { m: { constructor: 'data' } }],
  ['xs[0]', 10, { xs: [10, 20] }],
  ['xs[2]', E('index_out_of_range'), { xs: [10, 20] }],
  ['xs[-1]', E('index_out_of_range'), { xs: [10, 20] }],
  ['xs[0.5]', E('type_error'), { xs: [10, 20] }],
  ['xs["0"]', E('type_error'), { xs: [10, 20] }],
  ['[][0]', E('index_out_of_range')],
  ['m["a"]', 1, { m: { a: 1 } }],
  ['m["z"]', E('no_such_key'), { m: { a: 1 } }],
  ['m["z"] ?? 0', 0, { m: { a: 1 } }],
  ['n?.[0]', null, { n: null }],
  ['"abc"[0]', E('type_error')],
  ['1.a', E('type_error')],
  ['has(m.a)', true, { m: { a: 1 } }],
  ['has(m.b)', false, { m: { a: 1 } }],
  ['has(m.n)', true, { m: { n: null } }],
  ['has(m.x.y)', false, { m: {} }],
  ['has(m.constructor)', false, { m: {} }],
  ['has(m.a.b)', E('type_error'), { m: { a: 1 } }],
  ['a.b.c.d.e.f.g', 1, { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } }],
]);

table('macros', [
  ['[1, 2, 3].all(x, x > 0)', true],
  ['[1, 2, 3].all(x, x > 1)', false],
  ['[].all(x, x > 1)', true],
  ['[].exists(x, x > 1)', false],
  ['[1, 2].exists(x, x == 2)', true],
  ['[0, 1].all(x, 1 / x > 0.5)', E('division_by_zero')],
  ['[0, 1, 5].all(x, 1 / x > 0.5)', false], // the false absorbs the error
  ['[0, 1].exists(x, 1 / x == 1)', true],
  ['[0, 2].exists(x, 1 / x == 1)', E('division_by_zero')],
  ['[1, 2, 3].exists_one(x, x > 2)', true],
  ['[1, 2, 3].exists_one(x, x > 1)', false],
  ['[].exists_one(x, true)', false],
  ['[1, 2, 3].map(x, x * 2)', [2, 4, 6]],
  ['[1, 2, 3].map(x, x > 1, x * 10)', [20, 30]],
  ['[].map(x, x)', []],
  ['[1, 2, 3].filter(x, x % 2 == 1)', [1, 3]],
  ['[1, 2].filter(x, 1)', E('type_error')],
  ['[1, 2].all(x, 1)', E('type_error')],
  ['[1, 0].map(x, 1 / x)', E('division_by_zero')],
  ['{"a": 1, "b": 2}.map(k, k)', ['a', 'b']],
  ['{"a": 1, "b": 2}.exists(k, k == "b")', true],
  ['[[1, 2], [3]].map(xs, xs.map(x, x + 1))', [[2, 3], [4]]],
  ['[1, 2].map(x, [10, 20].map(y, x * y))', [[10, 20], [20, 40]]],
  ['[1, 2].map(x, [3].map(x, x))', [[3], [3]]], // inner variable shadows
  ['5.all(x, true)', E('type_error')],
  ['xs.filter(p, p.s == "A").map(p, p.v)', [1, 3], { xs: [{ s: 'A', v: 1 }, { s: 'B', v: 2 }, { s: 'A', v: 3 }] }],
]);

// CEL's two-variable comprehensions: (index, item) over lists, (key, value) over maps
table('two-variable macros', [
  ['[1, 2, 3].all(i, v, i < v)', true],
  ['[1, 1, 3].all(i, v, i < v)', false],
  ['[].all(i, v, false)', true],
  ['{"a": 1, "b": 2}.all(k, v, v > 0 && k != "c")', true],
  ['[0, 1].all(i, v, 1 / v > 0.5)', E('division_by_zero')],
  ['[0, 1, 5].all(i, v, 1 / v > 0.5)', false], // the false absorbs the error
  ['[5, 6].exists(i, v, i == 1 && v == 6)', true],
  ['{"a": 1}.exists(k, v, k == "a" && v == 2)', false],
  ['[1, 2, 3].existsOne(i, v, v > i + 1)', false],
  ['[1, 3, 3].existsOne(i, v, v > i + 1)', true],
  ['{6: "six", 7: "seven"}.existsOne(k, v, k % 5 == 2 && v == "seven")', true],
  ['[1, 2].exists_one(i, v, v == 2)', true],
  ['[3, 4].transformList(i, v, v * 10 + i)', [30, 41]],
  ['[2, 4, 6].transformList(i, v, i != 1, v / 2 + i)', [1, 5]],
  ['{"a": 1, "b": 2}.transformList(k, v, k + string(v))', ['a1', 'b2']],
  ['{"a": 1, "b": 2}.transformMap(k, v, v * 2)', { a: 2, b: 4 }],
  ['{"a": 1, "b": 2}.transformMap(k, v, k != "a", k + string(v))', { b: 'b2' }],
  ['[10, 20].transformMap(i, v, v + i)', { 0: 10, 1: 21 }],
  ['{"a": "x", "b": "y"}.transformMapEntry(k, v, {(v): k})', { x: 'a', y: 'b' }],
  ['[1, 2].transformMapEntry(i, v, v > 1, {string(v): i})', { 2: 1 }],
  ['{"a": "x", "b": "x"}.transformMapEntry(k, v, {(v): k})', E('invalid_argument')],
  ['[1].transformMapEntry(i, v, v)', E('type_error')],
  ['[1, 2].transformList(i, v, v, v)', E('type_error')],
  ['[1, 2].transformList(i, v, [10].map(v, v + i))', [[10], [11]]], // inner variable shadows
  ['[1, 2].all(i, v, [5].all(w, i < w))', true],
  ['5.all(i, v, true)', E('type_error')],
  ['xs.exists(i, p, p.s == "B" && i == 1)', true, { xs: [{ s: 'A' }, { s: 'B' }] }],
]);

describe('time', () => {
  it('timestamps and durations', () => {
    expect(val('timestamp("2026-01-01T00:00:00Z") < timestamp("2026-06-01T00:00:00Z")')).toBe(true);
    expect(val('timestamp("2026-01-01T01:00:00+01:00") == timestamp("2026-01-01T00:00:00Z")')).toBe(true);
    expect(val('timestamp("2026-01-02T00:00:00Z") - timestamp("2026-01-01T00:00:00Z") == duration("24h")')).toBe(true);
    expect(val('duration("1h") == duration("60m")')).toBe(true);
    expect(val('duration("1h30m") + duration("30m") == duration("2h")')).toBe(true);
    expect(val('duration("1.5h") == duration("90m")')).toBe(true);
    expect(val('duration("-5m") < duration("0s")')).toBe(true);
    expect(val('-duration("5m") == duration("-5m")')).toBe(true);
    expect(val('string(timestamp("2026-01-01T00:00:00Z") + duration("90s"))')).toBe('2026-01-01T00:01:30Z');
    expect(val('string(timestamp("2026-03-01T00:00:00Z") - duration("24h"))')).toBe('2026-02-28T00:00:00Z');
    expect(val('timestamp("2026-02-30T00:00:00Z")')).toEqual(E('invalid_argument'));
    expect(val('timestamp("yesterday")')).toEqual(E('invalid_argument'));
    expect(val('duration("5 minutes")')).toEqual(E('invalid_argument'));
    expect(val('duration("")')).toEqual(E('invalid_argument'));
    expect(val('timestamp("2026-01-01T00:00:00Z") < duration("1h")')).toEqual(E('type_error'));
    expect(val('timestamp("2026-01-01T00:00:00Z") * 2')).toEqual(E('type_error'));
    const t = ev('timestamp("2026-01-01T00:00:00Z")');
    expect(t.ok && t.value instanceof Timestamp).toBe(true);
    const d = ev('duration("2h")');
    expect(d.ok && d.value instanceof Duration && d.value.ms).toBe(7_200_000);
  });
});

describe('timestamps in years 0000-0099 keep their year', () => {
  // `at` goes through input validation and conversion, `text` through the timestamp() builtin
  const rs = ruleset(`ruleset test.years
input { at: timestamp, text: string }
decision deny > allow
output iso = string(at)
output parsed = string(timestamp(text))
output before_1000 = at < timestamp("1000-01-01T00:00:00Z")
rule ancient { severity low deny when at < timestamp("0100-01-01T00:00:00Z") because "ancient {at}" }
`);
  const VALID_ELSEWHERE = '2000-01-01T00:00:00Z';

  it.each([
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z', true],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00Z', true],
    ['0099-12-31T23:59:59Z', '0099-12-31T23:59:59Z', true],
    ['0100-01-01T00:00:00Z', '0100-01-01T00:00:00Z', false],
    ['1900-01-01T00:00:00Z', '1900-01-01T00:00:00Z', false],
    ['2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z', false],
    ['9999-12-31T23:59:59.999999999Z', '9999-12-31T23:59:59.999999999Z', false],
    ['0004-02-29T00:00:00Z', '0004-02-29T00:00:00Z', true],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00Z', false],
    ['0050-06-01T01:30:00+02:00', '0050-05-31T23:30:00Z', true],
  ])('%s is %s', (text, iso, ancient) => {
    const r = rs.evaluate({ at: text, text });
    expect(r).toMatchObject({ ok: true, outputs: { iso, parsed: iso, before_1000: Number(iso.slice(0, 4)) < 1000 }, errors: [] });
    expect(r.ok && r.violations.map((v) => v.message)).toEqual(ancient ? [`ancient ${iso}`] : []);
  });

  it.each(['0100-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '0001-02-29T00:00:00Z', '0000-02-30T00:00:00Z'])('%s is refused', (text) => {
    expect(rs.evaluate({ at: text, text: VALID_ELSEWHERE })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const builtin = rs.evaluate({ at: VALID_ELSEWHERE, text });
    expect(builtin.ok && builtin.outputs['parsed']).toBeNull();
    expect(builtin.ok && builtin.errors.map((e) => [e.output, e.code])).toEqual([['parsed', 'invalid_argument']]);
  });

  // CEL's range is 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z
  it.each(['0000-01-01T00:00:00Z', '0000-02-29T00:00:00Z', '0001-01-01T00:59:59+01:00'])('%s is outside the range', (text) => {
    expect(rs.evaluate({ at: text, text: VALID_ELSEWHERE })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const builtin = rs.evaluate({ at: VALID_ELSEWHERE, text });
    expect(builtin.ok && builtin.errors.map((e) => [e.output, e.code])).toEqual([['parsed', 'overflow']]);
  });
});

describe('time arithmetic stays within CEL ranges, to the nanosecond', () => {
  it.each([
    ['timestamp("0001-01-01T00:00:01.000000001Z") + duration("-999999999ns") == timestamp("0001-01-01T00:00:00.000000002Z")', true],
    ['timestamp("0001-01-01T00:00:01.999999999Z") + duration("999999999ns") == timestamp("0001-01-01T00:00:02.999999998Z")', true],
    ['string(timestamp("2026-01-01T00:00:00Z") - timestamp("2026-01-01T00:00:00.000000001Z"))', '-0.000000001s'],
    ['string(duration("1.5s") - duration("1.500000001s"))', '-0.000000001s'],
    ['-duration("1ns") < duration("0s")', true],
    ['duration("-1ns") == -duration("1ns")', true],
    ['timestamp("9999-12-31T23:59:59.999999999Z") + duration("1ns")', E('overflow')],
    ['timestamp("0001-01-01T00:00:00Z") + duration("-1ns")', E('overflow')],
    ['timestamp("9999-12-31T23:59:59Z") - timestamp("0001-01-01T00:00:00Z")', E('overflow')],
    ['duration("200000000000s") + duration("200000000000s")', E('overflow')],
    ['duration("-9223372036.854775808s") < duration("0s")', true],
    ['-duration("-9223372036.854775808s")', E('overflow')],
  ])('%s', (text, expected) => {
    expect(val(text)).toEqual(expected);
  });
});

describe('deep nesting', () => {
  // The parser itself overflows its stack beyond ~200 nested parentheses (reported to the lead).
  it('evaluates 150 nested parentheses and a 3000-term chain', () => {
    expect(val(`${'('.repeat(150)}1${' + 1)'.repeat(150)}`)).toBe(151);
    expect(val(Array.from({ length: 390 }, () => '1').join(' + '))).toBe(390);
  });
  it('refuses a 3000-term chain with a diagnostic instead of overflowing', async () => {
    const { compileExpression } = await import('@verdict/engine');
    const r = compileExpression(Array.from({ length: 3000 }, () => '1').join(' + '), {});
    expect('diagnostics' in r && r.diagnostics[0]?.code).toBe('VD5006');
  });
  it('compares deeply nested lists', () => {
    let a: unknown = 1;
    for (let i = 0; i < 500; i++) a = [a];
    expect(val('a == b', { a, b: structuredClone(a) })).toBe(true);
  });
});

describe('compileExpression diagnostics', () => {
  it('reports syntax errors and unknown names without evaluating', async () => {
    const { compileExpression } = await import('@verdict/engine');
    const bad = compileExpression('1 +', {});
    expect('diagnostics' in bad && bad.diagnostics.length > 0).toBe(true);
    const unknown = compileExpression('nope + 1', {});
    expect('diagnostics' in unknown && unknown.diagnostics[0]?.message).toContain('nope');
    const arity = compileExpression('size(1, 2)', {});
    expect('diagnostics' in arity).toBe(true);
  });
});
