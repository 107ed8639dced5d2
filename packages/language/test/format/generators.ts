/**
 * Random Verdict programs for property tests, built from grammar pieces as
 * token lists. Expressions are printed with random (often redundant)
 * parentheses; tokens are joined with random layout: spaces, newlines, empty
 * lines and comments (so the formatter's comment handling is fuzzed too).
 */
import fc from 'fast-check';

type Tokens = string[];

const NAMES = ['a', 'b', 'c', 'xs', 'm', 'value', 'in_', 'r', 'a_rather_long_name_so_that_lines_need_breaking'];
const LEAVES = ['1', '2.5', '0x1F', '1e3', '0', '"s"', "'t'", 'r"r\\d"', '"# not a comment"', '"""two\nlines"""', 'true', 'false', 'null', ...NAMES];
const BINARY = ['||', '&&', '??', '==', '!=', '<', '<=', '>', '>=', 'in', '+', '-', '*', '/', '%'];

/** A fixed token list (typed as a mutable list, which `fc.constant` would not infer). */
const tokens = (...list: string[]): fc.Arbitrary<Tokens> => fc.constant(list);
const wrap = (tokens: Tokens, parens: boolean): Tokens => (parens ? ['(', ...tokens, ')'] : tokens);
const commaJoin = (items: Tokens[]): Tokens => items.flatMap((item, i) => (i === 0 ? item : [',', ...item]));

const { expr } = fc.letrec<{ expr: Tokens; compound: Tokens }>((tie) => ({
  expr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(...LEAVES).map((t) => [t]), tie('compound')),
  compound: fc.oneof(
    fc
      .tuple(tie('expr'), fc.constantFrom(...BINARY), tie('expr'), fc.boolean(), fc.boolean())
      .map(([l, op, r, pl, pr]) => [...wrap(l, pl), op, ...wrap(r, pr)]),
    fc.tuple(fc.constantFrom('!', '-'), tie('expr'), fc.boolean()).map(([op, e, p]) => [op, ...wrap(e, p)]),
    fc.tuple(tie('expr'), tie('expr'), tie('expr'), fc.boolean()).map(([t, c, a, p]) => [...wrap(t, true), '?', ...wrap(c, p), ':', ...a]),
    fc.tuple(tie('expr'), fc.constantFrom('.', '?.'), fc.constantFrom('f', 'in', 'g')).map(([e, dot, name]) => [...wrap(e, true), dot, name]),
    fc.tuple(tie('expr'), tie('expr'), fc.boolean()).map(([e, i, opt]) => [...wrap(e, true), ...(opt ? ['?.'] : []), '[', ...i, ']']),
    fc.tuple(fc.constantFrom('size', 'max', 'f'), fc.array(tie('expr'), { maxLength: 3 })).map(([f, args]) => [f, '(', ...commaJoin(args), ')']),
    fc.tuple(tie('expr'), fc.array(tie('expr'), { maxLength: 2 })).map(([t, args]) => [...wrap(t, true), '.', 'join', '(', ...commaJoin(args), ')']),
    fc
      .tuple(tie('expr'), fc.constantFrom('all', 'exists', 'exists_one', 'map', 'filter'), tie('expr'), fc.option(tie('expr')))
      .map(([t, macro, body, filter]) => [
        ...wrap(t, true),
        '.',
        macro,
        '(',
        'x',
        ',',
        ...(filter !== null && macro === 'map' ? [...filter, ','] : []),
        ...body,
        ')',
      ]),
    fc.array(tie('expr'), { maxLength: 4 }).map((items) => ['[', ...commaJoin(items), ']']),
    fc
      .array(fc.tuple(fc.constantFrom('k', '"s"', '1', 'in', '(k)', '(true)'), tie('expr')), { maxLength: 3 })
      .map((entries) => ['{', ...commaJoin(entries.map(([k, v]) => [k, ':', ...v])), '}']),
    tokens('has', '(', 'a', '.', 'b', ')'),
  ),
}));

export const expression = expr;

const type: fc.Arbitrary<Tokens> = fc.letrec<{ type: Tokens }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('string', 'number', 'boolean', 'timestamp', 'duration', 'any').map((t) => [t]),
    tokens('"x"', '|', '"y"', '|', '-1'),
    tie('type').map((t) => ['list', '<', ...t, '>']),
    tie('type').map((t) => ['map', '<', ...t, '>']),
    fc.array(fieldOf(tie('type')), { minLength: 1, maxLength: 3 }).map((fields) => ['{', ...fields.flat(), '}']),
  ),
})).type;

function fieldOf(t: fc.Arbitrary<Tokens>): fc.Arbitrary<Tokens> {
  return fc
    .tuple(fc.constantFrom('f1', 'f2', 'in', 'when'), fc.boolean(), t, fc.boolean(), fc.option(expr), fc.boolean())
    .map(([name, optional, ty, sensitive, where, comma]) => [
      name,
      ...(optional ? ['?'] : []),
      ':',
      ...ty,
      ...(sensitive ? ['sensitive'] : []),
      ...(where !== null ? ['where', ...where] : []),
      // a field named `in` after a `where` needs the separating comma
      ...(comma || where !== null ? [','] : []),
    ]);
}

const pattern: fc.Arbitrary<Tokens> = fc.oneof(
  tokens('_'),
  fc.tuple(fc.constantFrom('<', '<=', '>', '>=', '!='), expr).map(([op, e]) => [op, '(', ...e, ')']),
  expr.map((e) => ['in', '(', ...e, ')']),
  expr.map((e) => ['(', ...e, ')']),
);

const row: fc.Arbitrary<Tokens> = fc
  .tuple(fc.array(pattern, { minLength: 2, maxLength: 2 }), fc.option(expr), expr)
  .map(([patterns, guard, result]) => [...commaJoin(patterns), ...(guard !== null ? ['when', ...guard] : []), '->', '(', ...result, ')']);

const ruleStatements: fc.Arbitrary<Tokens[]> = fc
  .tuple(expr, expr, expr, fc.array(expr, { maxLength: 2 }))
  .chain(([letValue, condition, suggestion, more]) =>
    fc.shuffledSubarray([
      ['severity', 'high'],
      ['let', 'z', '=', ...letValue],
      ['deny', 'when', ...condition],
      // one token: no comment may come between `because` and its template
      ['because "m {a} and {b.c}"'],
      ['suggest', 'q', '=', ...suggestion, ...more.flatMap((m, i) => ['suggest', `q${i}`, '=', ...m])],
    ]),
  );

const expectation: fc.Arbitrary<Tokens> = fc.oneof(
  tokens('expect', 'deny'),
  tokens('expect', 'deny', 'by', '[', 'r1', ',', 'r2', ']'),
  expr.map((e) => ['expect', 'score', ...e]),
  tokens('expect', 'outputs', '{', 'o', ':', '1', '}'),
  tokens('expect', 'suggest', 'r1', '{', 'q', ':', '1', ',', '}'),
  tokens('expect', 'invalid'),
);

const mapLiteral: fc.Arbitrary<Tokens> = fc
  .array(fc.tuple(fc.constantFrom('a', 'b', '"c"'), expr), { maxLength: 3 })
  .map((entries) => ['{', ...commaJoin(entries.map(([k, v]) => [k, ':', ...v])), '}']);

const declaration: fc.Arbitrary<Tokens> = fc.oneof(
  fc.array(fieldOf(type), { maxLength: 3 }).map((fields) => ['input', '{', ...fields.flat(), '}']),
  tokens('decision', 'deny', '>', 'allow'),
  tokens('weights', '{', 'critical', ':', '8', ',', 'low', ':', '1', '}'),
  tokens('on', 'error', 'skip'),
  fc.tuple(fc.option(type), expr).map(([t, e]) => ['const', 'K', ...(t ? [':', ...t] : []), '=', ...e]),
  fc.tuple(type, expr, fc.option(expr)).map(([t, e, w]) => ['param', 'p', ':', ...t, '=', ...e, ...(w ? ['where', ...w] : [])]),
  expr.map((e) => ['let', 'l', '=', ...e]),
  expr.map((e) => ['output', 'o', '=', ...e]),
  fc
    .array(row, { maxLength: 3 })
    .chain((rows) => expr.map((e) => ['table', 't', '(', 'x', ':', 'number', ',', 'y', ':', 'string', ')', '->', 'number', '{', ...rows.flat(), 'else', '->', '(', ...e, ')', '}'])),
  ruleStatements.map((statements) => ['rule', 'r1', '{', ...statements.flat(), '}']),
  fc
    .tuple(fc.option(mapLiteral), fc.option(mapLiteral), fc.array(expectation, { maxLength: 3 }))
    .map(([input, params, expectations]) => [
      'test',
      '"t"',
      '{',
      ...(input ? ['input', ...input] : []),
      ...expectations.flat(),
      ...(params ? ['params', ...params] : []),
      '}',
    ]),
);

const SEPARATORS = [' ', ' ', ' ', ' ', '\n', '  ', '\n  ', '\n\n', ' # note\n', '\n# own line\n', '\n\n# after empty\n\n', '\t'];

/** Random layout: separator i goes after token i. */
export function layout(tokens: Tokens, seeds: number[]): string {
  let out = '';
  tokens.forEach((t, i) => {
    out += t + (seeds.length === 0 ? ' ' : SEPARATORS[seeds[i % seeds.length]! % SEPARATORS.length]!);
  });
  return out;
}

/** Token lists of whole programs. */
export const programTokens: fc.Arbitrary<Tokens> = fc
  .array(declaration, { minLength: 1, maxLength: 5 })
  .map((decls) => ['ruleset', 'gen', '.', 'test', ...decls.flat()]);

/** Whole programs with random layout and comments. */
export const program: fc.Arbitrary<string> = fc
  .tuple(programTokens, fc.array(fc.nat(SEPARATORS.length - 1), { maxLength: 40 }), fc.boolean())
  .map(([tokens, seeds, docFirst]) => (docFirst ? '# file doc\n' : '') + layout(tokens, seeds));

/** Token soup: mostly invalid text, for "never throws". */
export const soup: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(
      ...LEAVES,
      ...BINARY,
      'ruleset', 'x', 'input', '{', '}', '(', ')', '[', ']', ',', ':', '->', 'rule', 'deny', 'when', 'because', '"t {a}"',
      'test', 'expect', 'table', 'else', '_', '#c\n', '\n', '"""', '"', "'", '\\', '$', '.', '?', '?.',
    ),
    { maxLength: 60 },
  )
  .map((tokens) => tokens.join(' '));
