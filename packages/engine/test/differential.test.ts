import fc from 'fast-check';
import { FC_SEED } from './helpers.ts';
import { describe, expect, it } from 'vitest';
import { parseExpression } from '@verdict/language';
import { compileExpression, decimalFrom, Duration, interpretWith, Timestamp, toJson, VError, type Value } from '@verdict/engine';
import { EvalState } from '../src/context.ts';

/**
 * Expression text over the names x, y (numbers), s (string), xs (list of numbers), m (map), n (null),
 * t (timestamp), d (duration).
 * Mostly well-typed (so evaluation goes deep), with an ill-typed arm for error paths.
 */
const macroBody = (body: string) => body.replace(/\bx\b/g, 'v');
const arbs = fc.letrec<{ num: string; bool: string; str: string; list: string; any: string }>((tie) => ({
  num: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', '0', '1', '-1', '2.5', '0.1', '1e308', 'm.a ?? 0', '(m.b ?? n) ?? 3'),
    fc.tuple(tie('num'), fc.constantFrom('+', '-', '*', '/', '%'), tie('num')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('num').map((a) => `-(${a})`),
    fc.tuple(tie('bool'), tie('num'), tie('num')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.tuple(fc.constantFrom('size', 'sum', 'min', 'max', 'avg'), tie('list')).map(([f, a]) => `${f}(${a})`),
    tie('str').map((a) => `size(${a})`),
    fc.tuple(fc.constantFrom('abs', 'floor', 'ceil', 'round'), tie('num')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('num'), fc.constantFrom('0', '1', '2', '-1')).map(([a, d]) => `round(${a}, ${d})`),
    fc.tuple(tie('num'), tie('num')).map(([a, b]) => `max(${a}, ${b})`),
    fc.tuple(tie('list'), tie('num')).map(([l, i]) => `(${l})[${i}]`),
    // time accessors, in UTC, a fixed offset, a named zone (switch days included) or a bad one
    fc
      .tuple(
        fc.constantFrom('t', 't + d', 't - d', 'timestamp(x)', 'timestamp("2026-11-01T06:30:00.5Z")'),
        fc.constantFrom('getFullYear', 'getMonth', 'getDate', 'getDayOfMonth', 'getDayOfWeek', 'getDayOfYear', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds'),
        fc.constantFrom('', '"UTC"', '"-02:30"', '"America/New_York"', '"Australia/Sydney"', '"Nowhere/Else"', 'x'),
      )
      .map(([time, f, zone]) => `(${time}).${f}(${zone})`),
    fc.tuple(fc.constantFrom('d', '-d', 'd + d', 't - t', 'duration(s)'), fc.constantFrom('getHours', 'getMinutes', 'getSeconds', 'getMilliseconds')).map(([v, f]) => `(${v}).${f}()`),
    fc.constantFrom('int(t)', 'int(t + d)'),
    // strings extension and math extension
    fc.tuple(fc.constantFrom('indexOf', 'lastIndexOf'), tie('str'), tie('str'), fc.option(tie('num'))).map(([f, a, b, n]) => `(${a}).${f}(${b}${n === null ? '' : `, ${n}`})`),
    fc.tuple(fc.constantFrom('math.ceil', 'math.floor', 'math.round', 'math.trunc', 'math.abs', 'math.sign', 'math.sqrt'), tie('num')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom('math.greatest', 'math.least'), tie('num'), tie('num')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(fc.constantFrom('math.greatest', 'math.least'), tie('list')).map(([f, l]) => `${f}(${l})`),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('true', 'false', 'has(m.a)', 'has(m.z)', 'has(n.a)', '"a" in m', '"__proto__" in m'),
    fc.tuple(tie('num'), fc.constantFrom('==', '!=', '<', '<=', '>', '>='), tie('num')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('str'), fc.constantFrom('==', '<', '>='), tie('str')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('bool'), fc.constantFrom('&&', '||', '==', '??'), tie('bool')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('bool').map((a) => `!(${a})`),
    fc.tuple(tie('num'), tie('list')).map(([a, l]) => `(${a} in ${l})`),
    fc.tuple(fc.constantFrom('all', 'exists', 'exists_one'), tie('list'), tie('bool')).map(([mac, l, b]) => `(${l}).${mac}(v, ${macroBody(b)})`),
    // two-variable forms: i is the index, v the item
    fc.tuple(fc.constantFrom('all', 'exists', 'existsOne'), tie('list'), tie('bool')).map(([mac, l, b]) => `(${l}).${mac}(i, v, ${macroBody(b)} || i == 1)`),
    fc.tuple(fc.constantFrom('all', 'exists', 'existsOne'), tie('bool')).map(([mac, b]) => `m.${mac}(i, v, (v ?? 0) > 0 && ${b} || i == "a")`),
    fc.tuple(fc.constantFrom('contains', 'startsWith', 'endsWith', 'matches'), tie('str'), tie('str')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(tie('list'), tie('num')).map(([l, a]) => `(${l}).contains(${a})`),
    fc.tuple(tie('list'), tie('list')).map(([a, b]) => `(${a} == ${b})`),
    fc.tuple(fc.constantFrom('math.isNaN', 'math.isInf', 'math.isFinite'), tie('num')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom('t', 't + d', 'timestamp(x)'), fc.constantFrom('<', '==', '>='), fc.constantFrom('t', 't - d')).map(([a, op, b]) => `(${a} ${op} ${b})`),
  ),
  str: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('s', '""', '"a"', '"ü😀"', '"[a-z]+"', '"("'),
    fc.tuple(tie('str'), tie('str')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(fc.constantFrom('string', 'percent'), tie('num')).map(([f, a]) => `${f}(${a})`),
    fc.constantFrom('string(t)', 'string(d)', 'string(t + d)', 'string(t - t)', 'string(-d)'),
    fc.tuple(fc.constantFrom('lower', 'upper', 'trim'), tie('str')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('list'), tie('str')).map(([l, a]) => `(${l}).join(${a})`),
    fc.tuple(tie('bool'), tie('str'), tie('str')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.tuple(fc.constantFrom('lowerAscii', 'upperAscii', 'reverse', 'strings.quote'), tie('str')).map(([f, a]) => (f.includes('.') ? `${f}(${a})` : `(${a}).${f}()`)),
    fc.tuple(fc.constantFrom('charAt', 'substring'), tie('str'), tie('num')).map(([f, a, n]) => `(${a}).${f}(${n})`),
    fc.tuple(tie('str'), tie('num'), tie('num')).map(([a, n, m]) => `(${a}).substring(${n}, ${m})`),
    fc.tuple(fc.constantFrom('trimPrefix', 'trimSuffix'), tie('str'), tie('str')).map(([f, a, b]) => `(${a}).${f}(${b})`),
    fc.tuple(tie('str'), tie('str'), tie('str'), fc.option(tie('num'))).map(([a, b, c, n]) => `(${a}).replace(${b}, ${c}${n === null ? '' : `, ${n}`})`),
    fc.tuple(fc.constantFrom('"%s-%d"', '"%.2f%%"', '"%x %e"', 's'), tie('any'), tie('num')).map(([f, a, b]) => `${f}.format([${a}, ${b}])`),
  ),
  list: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('xs', '[]', '[1, 2, 3]', 'values(m).filter(v, v != null)'),
    fc.tuple(tie('list'), tie('list')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie('list'), tie('num')).map(([l, b]) => `(${l}).map(v, ${macroBody(b)})`),
    fc.tuple(tie('list'), tie('bool')).map(([l, b]) => `(${l}).filter(v, ${macroBody(b)})`),
    fc.tuple(tie('list'), tie('bool'), tie('num')).map(([l, f, b]) => `(${l}).map(v, ${macroBody(f)}, ${macroBody(b)})`),
    fc.tuple(tie('num'), tie('num')).map(([a, b]) => `[${a}, ${b}]`),
    fc.tuple(tie('list'), tie('num'), tie('num')).map(([l, a, b]) => `(${l}).slice(${a}, ${b})`),
    fc.tuple(tie('list'), tie('num')).map(([l, n]) => `(${l}).transformList(i, v, ${macroBody(n)} + i)`),
    fc.tuple(tie('list'), tie('bool'), tie('num')).map(([l, f, n]) => `(${l}).transformList(i, v, ${macroBody(f)}, ${macroBody(n)} * i)`),
    fc.tuple(tie('bool'), tie('num')).map(([f, n]) => `m.transformList(k, v, ${f}, ${n} + (v ?? 0))`),
  ),
  any: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 's', 'xs', 'm', 'n', 'null', '{}', '{"a": 1, "__proto__": 2}'),
    fc.tuple(tie('any'), fc.constantFrom('+', '==', '<', '&&', '||', '??', 'in'), tie('any')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('any'), fc.constantFrom('a', 'b')).map(([a, f]) => `(${a})?.${f}`),
    fc.tuple(tie('any'), tie('num')).map(([a, n]) => `(${a}).transformMap(i, v, ${macroBody(n)})`),
    fc.tuple(tie('list'), tie('bool')).map(([l, f]) => `(${l}).transformMapEntry(i, v, ${macroBody(f)}, {(string(v)): i})`),
    fc.tuple(tie('any'), fc.constantFrom('a', 'k')).map(([a, f]) => `(${a}).${f}`),
    fc.tuple(fc.constantFrom('size', 'keys', 'string', 'count'), tie('any')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('str'), tie('str'), fc.option(tie('num'))).map(([a, b, n]) => `(${a}).split(${b}${n === null ? '' : `, ${n}`})`),
    tie('num'),
    tie('bool'),
  ),
}));
/** Decimal expressions over `dec` (a decimal) and the numbers: exact arithmetic, mixed comparisons, rounding modes. */
const decArb: fc.Arbitrary<string> = fc.letrec<{ dec: string }>((tie) => ({
  dec: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('dec', 'decimal("0.1")', 'decimal(0.2)', 'decimal("-2.5")', 'decimal(x)'),
    fc.tuple(tie('dec'), fc.constantFrom('+', '-', '*', '/', '%'), fc.oneof(tie('dec'), arbs.num)).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(arbs.num, fc.constantFrom('+', '*'), tie('dec')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('dec'), fc.constantFrom('0', '2', '-1'), fc.constantFrom('half_up', 'half_even', 'half_down', 'up', 'down', 'ceiling', 'floor')).map(([a, p, m]) => `round(${a}, ${p}, "${m}")`),
    tie('dec').map((a) => `-(${a})`),
  ),
})).dec;
const decUses: fc.Arbitrary<string> = fc.oneof(
  decArb,
  fc.tuple(decArb, fc.constantFrom('==', '!=', '<', '<=', '>', '>='), fc.oneof(decArb, arbs.num)).map(([a, op, b]) => `(${a} ${op} ${b})`),
  fc.tuple(decArb, fc.constantFrom('0', '2')).map(([a, p]) => `fixed(${a}, ${p})`),
  decArb.map((a) => `string(${a})`),
  fc.tuple(decArb, decArb).map(([a, b]) => `sum([${a}, ${b}, 1])`),
);
const exprArb: fc.Arbitrary<string> = fc.oneof(arbs.num, arbs.bool, arbs.str, arbs.list, arbs.any, decUses);

const bindingsArb = fc.record({
  x: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(0)),
  y: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(0.5)),
  s: fc.oneof(fc.constant(''), fc.string({ maxLength: 6 }), fc.constant('a,b')),
  xs: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(0.5)), { maxLength: 4 }),
  m: fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'constructor'), fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constant(null)), { maxKeys: 3 }),
  n: fc.constant(null),
  // whole milliseconds plus nanoseconds, across the range; durations either side of zero
  t: fc.tuple(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), fc.integer({ min: 0, max: 999_999 })).map(([ms, ns]) => new Timestamp(ms, ns)),
  d: fc.oneof(
    fc.tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 999_999 })).map(([ms, ns]) => new Duration(ms, ns)),
    fc.constant(new Duration(0)),
  ),
  dec: fc.constantFrom('0', '0.1', '-3.25', '1e3', '166.66').map((text) => decimalFrom(text)!),
});

function normal(v: Value): unknown {
  return v instanceof VError ? { error: v.code, message: v.message } : v;
}

describe.each([
  { evaluator: 'compiled closures', codegen: false, numRuns: 2000 },
  { evaluator: 'generated code', codegen: true, numRuns: 3000 },
])('$evaluator agree with the reference interpreter', ({ codegen, numRuns }) => {
  it('on generated expressions and inputs', () => {
    fc.assert(
      fc.property(exprArb, bindingsArb, (text, bindings) => {
        const parsed = parseExpression(text);
        fc.pre(parsed.diagnostics.every((d) => d.severity !== 'error'));
        const compiled = compileExpression(text, bindings, {}, { codegen });
        if ('diagnostics' in compiled) throw new Error(`${text}: ${compiled.diagnostics[0]?.message}`);
        const a = compiled.evaluate();
        const b = interpretWith(parsed.expr, bindings);
        // decimals compare by their digits (two decimal.js values of one number may differ inside)
        expect(a.ok ? toJson(a.value as Value) : { error: a.error.code, message: a.error.message }).toEqual(b instanceof VError ? normal(b) : toJson(b));
      }),
      { numRuns, seed: FC_SEED },
    );
  });
});

/**
 * Long strings: comparisons of strings of one length (16 characters or more) are charged in every
 * evaluator alike, so each stops at exactly the step the reference interpreter stops at. Strings of
 * 40 to 48 characters over `ls`, `lt` (strings), `ll` (a list of them) and `lm` (a map keyed by them).
 */
const LONG = ['a'.repeat(40), 'a'.repeat(39) + 'b', 'b' + 'a'.repeat(39), 'a'.repeat(48), 'short'];
const longStr: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('ls', 'lt', ...LONG.map((s) => JSON.stringify(s))), fc.constantFrom('ls + ""', '(ls + "x")'));
const longBool: fc.Arbitrary<string> = fc.letrec<{ b: string }>((tie) => ({
  b: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(longStr, fc.constantFrom('==', '!='), longStr).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(longStr, fc.constantFrom('ll', 'lm', `[${LONG.map((s) => JSON.stringify(s)).join(', ')}]`, '[ls, lt, ls]', `[${JSON.stringify(LONG[1])}, ${JSON.stringify(LONG[0])}]`)).map(([a, l]) => `(${a} in ${l})`),
    longStr.map((a) => `ll.contains(${a})`),
    fc.tuple(longStr, longStr).map(([a, b]) => `([${a}, ${b}] == [${b}, ${a}])`),
    fc.tuple(longStr, longStr).map(([a, b]) => `({"k": ${a}} != {"k": ${b}})`),
    longStr.map((a) => `ll.exists(v, v == ${a})`),
    fc.tuple(tie('b'), fc.constantFrom('&&', '||'), tie('b')).map(([a, op, b]) => `(${a} ${op} ${b})`),
  ),
})).b;
const longBindings = fc.record({
  ls: fc.constantFrom(...LONG),
  lt: fc.constantFrom(...LONG),
  ll: fc.array(fc.constantFrom(...LONG), { maxLength: 5 }),
  lm: fc.dictionary(fc.constantFrom(...LONG), fc.constant(1), { maxKeys: 3 }),
});

describe.each([
  { evaluator: 'compiled closures', codegen: false },
  { evaluator: 'generated code', codegen: true },
])('$evaluator charge long-string comparisons as the reference interpreter does', ({ codegen }) => {
  it('stopping at the same step on generated expressions', () => {
    const limits = { maxListLength: 100_000 };
    fc.assert(
      fc.property(longBool, longBindings, (text, bindings) => {
        const parsed = parseExpression(text);
        const counted = new EvalState({ ...limits, maxSteps: 1_000_000 });
        const value = interpretWith(parsed.expr, bindings, counted);
        // at the reference's count the answer is the value; one step short, limit_exceeded
        for (const maxSteps of counted.steps === 0 ? [0] : [counted.steps - 1, counted.steps]) {
          const reference = maxSteps === counted.steps ? value : interpretWith(parsed.expr, bindings, new EvalState({ ...limits, maxSteps }));
          const compiled = compileExpression(text, bindings, { maxSteps }, { codegen });
          if ('diagnostics' in compiled) throw new Error(`${text}: ${compiled.diagnostics[0]?.message}`);
          const r = compiled.evaluate();
          expect(r.ok ? r.value : { error: r.error.code, message: r.error.message }, `${text} within ${maxSteps} steps`).toEqual(normal(reference));
        }
      }),
      { numRuns: 1500, seed: FC_SEED },
    );
  });
});
