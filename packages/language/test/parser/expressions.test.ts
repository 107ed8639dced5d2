/**
 * parseExpression as a table: each row is a source and the tree it must give,
 * in the S-expression form of `sexpr.ts`. A precedence or associativity bug
 * fails a row that reads like the mistake.
 */
import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/parse.ts';
import { sexpr } from './sexpr.ts';
import { spanProblems } from './spans.ts';

interface Row {
  src: string;
  expected: string;
}

const precedence: Row[] = [
  // multiplicative over additive, both left-associative
  { src: 'a + b * c', expected: '(+ a (* b c))' },
  { src: 'a * b + c', expected: '(+ (* a b) c)' },
  { src: 'a - b / c', expected: '(- a (/ b c))' },
  { src: 'a % b - c', expected: '(- (% a b) c)' },
  { src: 'a - b - c', expected: '(- (- a b) c)' },
  { src: 'a / b / c', expected: '(/ (/ a b) c)' },
  { src: 'a * b % c', expected: '(% (* a b) c)' },
  { src: 'a - b + c', expected: '(+ (- a b) c)' },
  // additive over relations
  { src: 'a + b < c', expected: '(< (+ a b) c)' },
  { src: 'a < b + c', expected: '(< a (+ b c))' },
  { src: 'a == b * c', expected: '(== a (* b c))' },
  { src: 'a - 1 in xs', expected: '(in (- a 1) xs)' },
  { src: 'x in xs + ys', expected: '(in x (+ xs ys))' },
  // relations are one level, left-associative
  { src: 'a == b != c', expected: '(!= (== a b) c)' },
  { src: 'a < b == c', expected: '(== (< a b) c)' },
  { src: 'a in b == c', expected: '(== (in a b) c)' },
  { src: 'a >= b <= c', expected: '(<= (>= a b) c)' },
  // relations over &&
  { src: 'a == b && c', expected: '(&& (== a b) c)' },
  { src: 'a && b > c', expected: '(&& a (> b c))' },
  { src: 'x in xs && y in ys', expected: '(&& (in x xs) (in y ys))' },
  // && over ||
  { src: 'a || b && c', expected: '(|| a (&& b c))' },
  { src: 'a && b || c', expected: '(|| (&& a b) c)' },
  { src: 'a || b || c', expected: '(|| (|| a b) c)' },
  { src: 'a && b && c', expected: '(&& (&& a b) c)' },
  // ?? binds tighter than relations and looser than arithmetic (as in Swift and Kotlin)
  { src: 'a ?? b == c', expected: '(== (?? a b) c)' },
  { src: 'a < b ?? c', expected: '(< a (?? b c))' },
  { src: 'a ?? b + c', expected: '(?? a (+ b c))' },
  { src: 'a * b ?? c', expected: '(?? (* a b) c)' },
  { src: 'a ?? b || c', expected: '(|| (?? a b) c)' },
  { src: 'a && b ?? c', expected: '(&& a (?? b c))' },
  { src: 'a ?? b ?? c', expected: '(?? (?? a b) c)' },
  { src: 'x in a ?? []', expected: '(in x (?? a []))' },
  { src: 'a?.b ?? 0 < 99.9', expected: '(< (?? (?. a b) 0) 99.9)' },
  { src: 'n > 0 && s.sla?.availability ?? 0 < 99.9', expected: '(&& (> n 0) (< (?? (?. (. s sla) availability) 0) 99.9))' },
  { src: 'a ?? (b < c)', expected: '(?? a (< b c))' },
  { src: '-a ?? b', expected: '(?? (- a) b)' },
  // the conditional is loosest, and right-associative
  { src: 'a ?? b ? c : d', expected: '(?: (?? a b) c d)' },
  { src: 'a ? b : c ?? d', expected: '(?: a b (?? c d))' },
  { src: 'a ? b : c ? d : e', expected: '(?: a b (?: c d e))' },
  { src: 'a ? b ? c : d : e', expected: '(?: a (?: b c d) e)' },
  { src: 'a || b ? c && d : e || f', expected: '(?: (|| a b) (&& c d) (|| e f))' },
  { src: 'x < 25 ? 1.55 : x >= 70 ? 1.25 : 1.0', expected: '(?: (< x 25) 1.55 (?: (>= x 70) 1.25 1.0))' },
  // unary binds tighter than every binary operator, looser than postfix
  { src: '-a * b', expected: '(* (- a) b)' },
  { src: '!a && b', expected: '(&& (! a) b)' },
  { src: '!a == b', expected: '(== (! a) b)' },
  { src: '-a.b', expected: '(- (. a b))' },
  { src: '!f(x)', expected: '(! (call f x))' },
  { src: '!xs[0]', expected: '(! ([] xs 0))' },
  { src: '!!a', expected: '(! (! a))' },
  { src: '- -a', expected: '(- (- a))' },
  { src: 'a - -b', expected: '(- a (- b))' },
  { src: 'a*-b', expected: '(* a (- b))' },
  { src: '-(a + b)', expected: '(- (+ a b))' },
  { src: '!(a || b)', expected: '(! (|| a b))' },
  // negative number literals are folded; subtraction is not
  { src: '-1', expected: '-1' },
  { src: '- 2.5', expected: '-2.5' },
  { src: '--1', expected: '(- -1)' },
  { src: 'a-1', expected: '(- a 1)' },
  { src: '1-1', expected: '(- 1 1)' },
  { src: '-1 * 2', expected: '(* -1 2)' },
  { src: '-x.size()', expected: '(- (call .size x))' },
  // parentheses override
  { src: '(a + b) * c', expected: '(* (+ a b) c)' },
  { src: 'a * (b + c)', expected: '(* a (+ b c))' },
  { src: '(a ? b : c) ? d : e', expected: '(?: (?: a b c) d e)' },
  { src: '((a))', expected: 'a' },
  { src: '(a || b) && c', expected: '(&& (|| a b) c)' },
  // a long mix: every level once
  { src: 'a ? b : c || d && e == f ?? g + h * !i.j', expected: '(?: a b (|| c (&& d (== e (?? f (+ g (* h (! (. i j)))))))))' },
  { src: '!i.j * h + g ?? f == e && d || c ? b : a', expected: '(?: (|| (&& (== (?? (+ (* (! (. i j)) h) g) f) e) d) c) b a)' },
];

const postfix: Row[] = [
  { src: 'a.b.c', expected: '(. (. a b) c)' },
  { src: 'a?.b.c', expected: '(. (?. a b) c)' },
  { src: 'a.b?.c', expected: '(?. (. a b) c)' },
  { src: 'a[0][1]', expected: '([] ([] a 0) 1)' },
  { src: 'a?.[0]', expected: '(?[] a 0)' },
  { src: 'a?.[k]?.b', expected: '(?. (?[] a k) b)' },
  { src: 'a.b[c].d', expected: '(. ([] (. a b) c) d)' },
  { src: 'a[b + 1]', expected: '([] a (+ b 1))' },
  { src: 'a[b ? c : d]', expected: '([] a (?: b c d))' },
  { src: 'f(x).y', expected: '(. (call f x) y)' },
  { src: 'f(x)[0]', expected: '([] (call f x) 0)' },
  { src: 'f()', expected: '(call f)' },
  { src: 'f(a, b + c, d ? e : f,)', expected: '(call f a (+ b c) (?: d e f))' },
  { src: 's.startsWith("x")', expected: '(call .startsWith s "x")' },
  { src: 's?.lower()', expected: '(call .lower s)' },
  { src: 'a.b.size()', expected: '(call .size (. a b))' },
  { src: 'xs.join(", ").size()', expected: '(call .size (call .join xs ", "))' },
  { src: '[1, 2][0]', expected: '([] [1 2] 0)' },
  { src: '{"a": 1}.a', expected: '(. {"a": 1} a)' },
  { src: '"abc".size()', expected: '(call .size "abc")' },
  { src: '(a + b).c', expected: '(. (+ a b) c)' },
  { src: 'a.in', expected: '(. a in)' },
  { src: 'a.rule.test.input', expected: '(. (. (. a rule) test) input)' },
  { src: 'a.when()', expected: '(call .when a)' },
];

const macros: Row[] = [
  { src: 'xs.all(x, x > 0)', expected: '(all xs x (> x 0))' },
  { src: 'xs.exists(x, x == 1)', expected: '(exists xs x (== x 1))' },
  { src: 'xs.exists_one(x, x.ok)', expected: '(exists_one xs x (. x ok))' },
  { src: 'xs.map(x, x * 2)', expected: '(map xs x (* x 2))' },
  { src: 'xs.map(x, x > 0, x * 2)', expected: '(map xs x (> x 0) (* x 2))' },
  { src: 'xs.filter(x, x % 2 == 0)', expected: '(filter xs x (== (% x 2) 0))' },
  { src: 'xs.filter(p, p.a).map(p, p.b)', expected: '(map (filter xs p (. p a)) p (. p b))' },
  { src: 'xs.all(x, ys.exists(y, y == x))', expected: '(all xs x (exists ys y (== y x)))' },
  { src: 'a.b.all(x, x ? 1 : 2)', expected: '(all (. a b) x (?: x 1 2))' },
  { src: 'xs?.all(x, x)', expected: '(all xs x x)' },
  { src: 'size(xs.filter(c, c in R)) > 0', expected: '(> (call size (filter xs c (in c R))) 0)' },
  // not macros: wrong arity, non-name variable, global form
  { src: 'xs.all(x)', expected: '(call .all xs x)' },
  // CEL's two-variable forms; `exists_one` and `existsOne` are one macro
  { src: 'xs.all(i, v, i < v)', expected: '(all xs i v (< i v))' },
  { src: 'm.exists_one(k, v, v)', expected: '(existsOne m k v v)' },
  { src: 'xs.transformList(i, v, i > 0, v * 2)', expected: '(transformList xs i v (> i 0) (* v 2))' },
  { src: 'm.transformMapEntry(k, v, {(v): k})', expected: '(transformMapEntry m k v {v: k})' },
  { src: 'xs.all(i, 1, p)', expected: '(call .all xs i 1 p)' },
  { src: 'xs.transformList(v, v * 2)', expected: '(call .transformList xs v (* v 2))' },
  { src: 'xs.existsOne(i, v, a, b)', expected: '(call .existsOne xs i v a b)' },
  { src: 'xs.filter(x, a, b)', expected: '(call .filter xs x a b)' },
  { src: 'xs.map(1, 2)', expected: '(call .map xs 1 2)' },
  { src: 'xs.exists(x.y, true)', expected: '(call .exists xs (. x y) true)' },
  { src: 'all(xs, x, p)', expected: '(call all xs x p)' },
  { src: 'xs.any(x, p)', expected: '(call .any xs x p)' },
  // has()
  { src: 'has(a.b)', expected: '(has (. a b))' },
  { src: 'has(a.b.c)', expected: '(has (. (. a b) c))' },
  { src: 'has(a?.b)', expected: '(has (?. a b))' },
  { src: '!has(a.b) || a.b > 0', expected: '(|| (! (has (. a b))) (> (. a b) 0))' },
  { src: 'has(a)', expected: '(call has a)' },
  { src: 'has(a[0])', expected: '(call has ([] a 0))' },
  { src: 'has(a.b, c)', expected: '(call has (. a b) c)' },
  { src: 'x.has(a.b)', expected: '(call .has x (. a b))' },
  // namespaced built-ins are one function; other methods of `math` stay methods
  { src: 'math.greatest(a, 1)', expected: '(call math.greatest a 1)' },
  { src: 'strings.quote(s)', expected: '(call strings.quote s)' },
  { src: 'math.other(1)', expected: '(call .other math 1)' },
  { src: 'math.greatest', expected: '(. math greatest)' },
];

const literals: Row[] = [
  { src: 'null', expected: 'null' },
  { src: 'true && false', expected: '(&& true false)' },
  { src: '0x1F + 1e3 * 1.5', expected: '(+ 0x1F (* 1e3 1.5))' },
  { src: '.99 < x.y', expected: '(< .99 (. x y))' },
  { src: '"a" + \'b\'', expected: '(+ "a" "b")' },
  { src: 'r"\\d+"', expected: '"\\\\d+"' },
  { src: '"""x"y"""', expected: '"x\\"y"' },
  { src: '"\\u00e9\\x41\\n"', expected: '"éA\\n"' },
  { src: '"{not a hole}"', expected: '"{not a hole}"' },
  { src: '[]', expected: '[]' },
  { src: '[1, [2, 3], {}]', expected: '[1 [2 3] {}]' },
  { src: '[a, b,]', expected: '[a b]' },
  { src: '{a: 1, "b": 2, 3: c}', expected: '{"a": 1 "b": 2 3: c}' },
  { src: '{a.b: 1}', expected: '{(. a b): 1}' },
  { src: '{(a): 1, in: 2,}', expected: '{a: 1 "in": 2}' },
  { src: '{a: {b: [1]}}', expected: '{"a": {"b": [1]}}' },
  { src: '{k: a ? b : c}', expected: '{"k": (?: a b c)}' },
  { src: 'x in {"a": 1}', expected: '(in x {"a": 1})' },
];

/** Every binary operator with its level, loosest first (the documented table). */
const LEVELS: string[][] = [['||'], ['&&'], ['==', '!=', '<', '<=', '>', '>=', 'in'], ['??'], ['+', '-'], ['*', '/', '%']];
const OPERATORS = LEVELS.flatMap((ops, level) => ops.map((op) => ({ op, level })));

/** `a OP1 b OP2 c` for every pair of binary operators: the tighter one groups, ties group left. */
const pairs: Row[] = OPERATORS.flatMap((first) =>
  OPERATORS.map((second) => ({
    src: `a ${first.op} b ${second.op} c`,
    expected:
      second.level > first.level ? `(${first.op} a (${second.op} b c))` : `(${second.op} (${first.op} a b) c)`,
  })),
);

function check(rows: Row[]): void {
  it.each(rows)('$src  =>  $expected', ({ src, expected }) => {
    const { expr, diagnostics } = parseExpression(src);
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(sexpr(expr)).toBe(expected);
    expect(spanProblems(src, expr)).toEqual([]);
  });
}

describe('parseExpression', () => {
  describe('precedence and associativity', () => check(precedence));
  describe('every pair of binary operators', () => check(pairs));
  describe('member access, indexing and calls', () => check(postfix));
  describe('macros and has()', () => check(macros));
  describe('literals, lists and maps', () => check(literals));

  it('spans the whole source, parentheses included', () => {
    const src = '  (a + b) * c  ';
    const { expr } = parseExpression(src);
    expect(src.slice(expr.span.start, expr.span.end)).toBe('(a + b) * c');
    if (expr.kind !== 'Binary') throw new Error(`expected a Binary, got ${expr.kind}`);
    expect(src.slice(expr.left.span.start, expr.left.span.end)).toBe('(a + b)');
  });
});

describe('parseExpression rejects', () => {
  const bad: Array<{ src: string; code: string; at: number }> = [
    { src: 'a &&', code: 'VD1003', at: 3 },
    { src: 'a b', code: 'VD1003', at: 2 },
    { src: '(a + b', code: 'VD1003', at: 5 },
    { src: '[1, 2', code: 'VD1003', at: 4 },
    { src: 'f(1,', code: 'VD1003', at: 3 },
    { src: 'a = b', code: 'VD1003', at: 2 },
    { src: 'a ? b', code: 'VD1003', at: 4 },
    { src: '"abc', code: 'VD1002', at: 0 },
    { src: 'a @ b', code: 'VD1001', at: 2 },
    { src: '"\\q"', code: 'VD1005', at: 1 },
  ];
  it.each(bad)('$src  =>  $code at offset $at', ({ src, code, at }) => {
    const { expr, diagnostics } = parseExpression(src);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.map((d) => `${d.code}@${d.span.start}`)).toContain(`${code}@${at}`);
    expect(spanProblems(src, expr, false)).toEqual([]);
    for (const d of diagnostics) expect(d.message).not.toBe('');
  });
});
