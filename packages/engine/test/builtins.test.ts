import { describe, expect, it } from 'vitest';
import { BUILTINS } from '@verdict/language';
import { BUILTIN_IMPLS } from '@verdict/engine';
import { val } from './helpers.ts';

const E = (code: string) => ({ error: code });
type Case = [expr: string, expected: unknown, bindings?: Record<string, unknown>];

const cases: Record<string, Case[]> = {
  size: [
    ['size("")', 0],
    ['size("abc")', 3],
    ['size("héllo")', 5],
    ['size("😀😀")', 2], // code points, not UTF-16 units
    ['size([])', 0],
    ['size([1, [2, 3]])', 2],
    ['size({})', 0],
    ['{"a": 1, "b": 2}.size()', 2],
    ['size(1)', E('type_error')],
    ['size(null)', E('type_error')],
  ],
  sum: [
    ['sum([])', 0],
    ['sum([1, 2, 3.5])', 6.5],
    ['sum([1, "a"])', E('type_error')],
    ['sum([1e308, 1e308])', E('overflow')],
    ['sum(1)', E('type_error')],
  ],
  min: [
    ['min([3, 1, 2])', 1],
    ['min(3, 1, 2)', 1],
    ['min(-0.5, 0)', -0.5],
    ['min([])', E('invalid_argument')],
    ['min(["a"])', E('type_error')],
    ['min(1, "a")', E('type_error')],
  ],
  max: [
    ['max([3, 1, 2])', 3],
    ['max(0, 5)', 5],
    ['max([7])', 7],
    ['max([])', E('invalid_argument')],
  ],
  avg: [
    ['avg([1, 2, 3])', 2],
    ['avg([1])', 1],
    ['avg([])', E('invalid_argument')],
    ['avg([true])', E('type_error')],
  ],
  count: [
    ['count([true, false, true])', 2],
    ['count([])', 0],
    ['count([1])', E('type_error')],
    ['[1, 2, 3].map(x, x > 1).count()', 2],
  ],
  startsWith: [
    ['"https://x".startsWith("https://")', true],
    ['"http://x".startsWith("https://")', false],
    ['"".startsWith("")', true],
    ['startsWith(1, "a")', E('type_error')],
  ],
  endsWith: [
    ['"a.json".endsWith(".json")', true],
    ['"a.json".endsWith("")', true],
    ['"a".endsWith("ab")', false],
  ],
  contains: [
    ['"marketplace".contains("ket")', true],
    ['"abc".contains("x")', false],
    ['[1, 2].contains(2)', true],
    ['[[1], [2]].contains([2])', true],
    ['[].contains(1)', false],
    ['"abc".contains(1)', E('type_error')],
    ['contains(1, 1)', E('type_error')],
  ],
  matches: [
    ['"AB-12".matches("^[A-Z]+-[0-9]+$")', true],
    ['"xAB-12y".matches("[A-Z]+-[0-9]+")', true], // unanchored search
    ['"ab".matches("^b")', false],
    ['"héllo".matches("^h.llo$")', true],
    ['"(".matches("(")', E('bad_regex')],
    ['"aa".matches("(a)\\\\1")', E('bad_regex')], // no backreferences in RE2
    ['"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab".matches("^(a+)+$")', false], // linear time, no blow-up
  ],
  lower: [
    ['"ABC".lower()', 'abc'],
    ['"ÄÖÜ".lower()', 'äöü'],
    ['lower(1)', E('type_error')],
  ],
  upper: [
    ['"abc".upper()', 'ABC'],
    ['"straße".upper()', 'STRASSE'],
  ],
  trim: [
    ['" a ".trim()', 'a'],
    ['"\\t\\n a b \\n".trim()', 'a b'],
    ['"".trim()', ''],
  ],
  split: [
    ['"a,b".split(",")', ['a', 'b']],
    ['"".split(",")', ['']],
    ['"a,,b".split(",")', ['a', '', 'b']],
    ['"a😀b".split("")', ['a', '😀', 'b']],
    ['"abc".split(1)', E('type_error')],
  ],
  join: [
    ['["a", "b"].join(", ")', 'a, b'],
    ['["a", "b"].join()', 'ab'],
    ['[].join(", ")', ''],
    ['[1, 2.5, true, null].join("|")', '1|2.5|true|null'],
    ['"a".join(",")', E('type_error')],
  ],
  floor: [
    ['floor(2.7)', 2],
    ['floor(-2.1)', -3],
    ['floor(-0.5)', -1],
    ['floor(1e300)', 1e300],
    ['floor("1")', E('type_error')],
  ],
  ceil: [
    ['ceil(2.1)', 3],
    ['ceil(-2.7)', -2],
    ['ceil(-0.5)', 0],
  ],
  abs: [
    ['abs(-2)', 2],
    ['abs(3.5)', 3.5],
    ['abs(0)', 0],
  ],
  round: [
    ['round(1.005, 2)', 1.01],
    ['round(2.5)', 3],
    ['round(-2.5)', -3],
    ['round(0.5)', 1],
    ['round(0.4)', 0],
    ['round(1.45, 1)', 1.5],
    ['round(-1.005, 2)', -1.01],
    ['round(8.345, 2)', 8.35],
    ['round(1.255, 2)', 1.26],
    ['round(1234.5678, -2)', 1200],
    ['round(9.995, 2)', 10],
    ['round(0.000001234, 8)', 0.00000123],
    ['round(1e21, 2)', 1e21],
    ['round(123, 2)', 123],
    ['round(-0.4)', 0],
    ['round(540 * 1.35 * 1.55 * 1.5 * 0.9 * 1.25 * 1.1 * 1.25, 2)', 2621.84], // paper: 2621.837109375
    ['round(1592.8649999999998, 2)', 1592.87], // float noise beyond 15 digits is cut before rounding
    ['round(0.1 + 0.2, 2)', 0.3],
    ['round(1.0000000000000002, 20)', 1.0000000000000002], // rounding beyond 15 digits keeps the digits
    ['round(123456789012345680000, -5)', 123456789012345700000],
    ['round(1, 0.5)', E('invalid_argument')],
    ['round("1")', E('type_error')],
  ],
  percent: [
    ['percent(0.05)', '5%'],
    ['percent(0.125, 1)', '12.5%'],
    ['percent(0.125)', '13%'],
    ['percent(0.07)', '7%'],
    ['percent(0.1, 2)', '10%'],
    ['percent(1.5)', '150%'],
    ['percent(0)', '0%'],
    ['percent(-0.005)', '-1%'],
    ['percent(0.015)', '2%'],
    ['percent(0.07 * 3, 1)', '21%'],
  ],
  keys: [
    ['keys({"a": 1, "b": 2})', ['a', 'b']],
    ['keys({})', []],
    ['keys([1])', E('type_error')],
    ['keys(m)', ['__proto__'], { m: JSON.parse('{"__proto__": 1}') }],
  ],
  values: [
    ['values({"a": 1, "b": [2]})', [1, [2]]],
    ['values({})', []],
  ],
  string: [
    ['string(1.5)', '1.5'],
    ['string(100)', '100'],
    ['string(1e21)', '1e+21'],
    ['string(0.1 + 0.2)', '0.30000000000000004'],
    ['string(-0)', '0'],
    ['string("x")', 'x'],
    ['string(true)', 'true'],
    ['string(null)', 'null'],
    ['string([1, "a"])', '[1,"a"]'],
    ['string({"a": 1})', '{"a":1}'],
    ['string(duration("90s"))', '1m30s'],
  ],
  number: [
    ['number("2.5")', 2.5],
    ['number(" 42 ")', 42],
    ['number("-1e3")', -1000],
    ['number(7)', 7],
    ['number("abc")', E('invalid_argument')],
    ['number("")', E('invalid_argument')],
    ['number("NaN")', E('invalid_argument')],
    ['number("Infinity")', E('invalid_argument')],
    ['number("1e999")', E('invalid_argument')],
    ['number(true)', E('type_error')],
  ],
  timestamp: [
    ['timestamp("2026-01-01T00:00:00Z") < timestamp("2026-06-01T00:00:00Z")', true],
    ['string(timestamp("2026-01-01T12:30:00.250+02:00"))', '2026-01-01T10:30:00.250Z'],
    ['timestamp("2026-13-01T00:00:00Z")', E('invalid_argument')],
    ['timestamp(1)', E('type_error')],
  ],
  duration: [
    ['duration("1h30m") == duration("90m")', true],
    ['string(duration("1.5h"))', '1h30m'],
    ['string(duration("-5m"))', '-5m'],
    ['string(duration("250ms"))', '250ms'],
    ['duration("1x")', E('invalid_argument')],
  ],
  // CEL conversions (see also the conformance suite, test/conformance)
  dyn: [
    ['dyn([1, "a"])', [1, 'a']],
    ['dyn(null) == null', true],
  ],
  int: [
    ['int(-7.9)', -7],
    ['int("987")', 987],
    ['int("9.5")', E('invalid_argument')],
    ['int(1e99)', E('overflow')],
    ['int(timestamp("2004-09-16T23:59:59Z"))', 1095379199],
    ['int(true)', E('type_error')],
  ],
  uint: [
    ['uint(25.5)', 25],
    ['uint(-1)', E('overflow')],
    ['uint(6.022e23)', E('overflow')],
  ],
  double: [
    ['double("-84.32e7")', -843200000],
    ['double(5.5)', 5.5],
    ['double("x")', E('invalid_argument')],
  ],
  bool: [
    ['bool("t")', true],
    ['bool("FALSE")', false],
    ['bool("TrUe")', E('invalid_argument')],
    ['bool(1)', E('type_error')],
  ],
  type: [
    ['type(true)', 'bool'],
    ['type(1)', 'double'],
    ['type({"a": 1}) == type({})', true],
    ['type(null) == null_type', true],
  ],
  bytes: [
    ['bytes("abc")', 'abc'],
    ['bytes(1)', E('type_error')],
  ],
  decimal: [
    ['string(decimal("0.10"))', '0.1'],
    ['decimal("1.5") == 1.5', true],
    ['decimal(0.1) + decimal("0.2") == decimal("0.3")', true],
    ['string(decimal(" 42 "))', '42'],
  ],
  fixed: [
    ['fixed(decimal("1234.5"), 2)', '1234.50'],
    ['fixed(2.345, 2)', '2.34'],
    ['fixed(2.345, 2, "half_up")', '2.35'],
    ['fixed(decimal("-0.004"), 2)', '0.00'],
  ],
};

describe('builtins', () => {
  for (const [name, list] of Object.entries(cases)) {
    describe(name, () => {
      it.each(list)('%s', (expr, expected, bindings) => {
        expect(val(expr, bindings ?? {})).toEqual(expected);
      });
    });
  }

  it('has a case table for every implementation', () => {
    expect(Object.keys(cases).sort()).toEqual([...BUILTIN_IMPLS.keys()].sort());
  });

  it('counts each call as a step', () => {
    expect(val('[1, 2, 3].map(x, abs(x))')).toEqual([1, 2, 3]);
  });
});

// The checker's catalogue (@verdict/language) and the implementations are joined by name.
describe('catalogue', () => {
  it('every catalogue function has an implementation and vice versa', () => {
    expect([...BUILTINS.keys()].sort()).toEqual([...BUILTIN_IMPLS.keys()].sort());
  });
  it('every catalogue example evaluates to true', () => {
    for (const [name, b] of BUILTINS) expect([name, val(b.example)]).toEqual([name, true]);
  });
  it('arities match the catalogue overloads', () => {
    for (const [name, b] of BUILTINS) {
      const impl = BUILTIN_IMPLS.get(name);
      const min = Math.min(...b.overloads.map((o) => o.params.length));
      const max = Math.max(...b.overloads.map((o) => (o.rest ? Infinity : o.params.length)));
      expect([name, impl?.minArgs, impl?.maxArgs]).toEqual([name, min, max]);
    }
  });
});
