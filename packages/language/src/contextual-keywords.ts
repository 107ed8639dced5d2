/**
 * Words that are keywords in one place only: `cases {` in a test, `compliant` in a decision,
 * `expect message r contains "..."`, a `contains` table pattern, ... Elsewhere they are ordinary
 * names (an input field `score`, CEL's `type(x)`), so the lexer reads them as identifiers and the
 * parser decides by the tokens around them. Editors need the same answer to colour and complete
 * them; `isContextualKeyword` gives it from the neighbouring tokens, mirroring the parser's gates.
 *
 * Each entry carries an example line where the word is a keyword and one where it is a name: the
 * highlighters' tests (web editor, TextMate grammar) read them, so a word added here is tested there.
 */
import type { TokenType } from 'chevrotain';
import * as T from './tokens.ts';

/** Where the example sits in a ruleset: a whole declaration, a statement of a test, a table row or a rule condition. */
export type KeywordContext = 'declaration' | 'test' | 'table-row' | 'rule';

export interface ContextualKeyword {
  word: string;
  /** What the word means where it is a keyword (Markdown, one or two sentences; hover and completion show it). */
  doc: string;
  /** A line where the word is a keyword, and its context. */
  example: { context: KeywordContext; line: string };
  /** A line, in the same context kind `rule`, where the same word is a plain name. */
  asName: string;
}

export const CONTEXTUAL_KEYWORDS: readonly ContextualKeyword[] = [
  {
    word: 'type',
    doc: '`type Name = T` names a type for use in `input`, params, tables and annotations.',
    example: { context: 'declaration', line: 'type Port = { number: number, ... }' },
    asName: 'deny when type == "x"',
  },
  {
    word: 'compliant',
    doc: '`decision a > b > c compliant b, c`: the outcomes a decision is compliant with (without it, the default outcome alone). A rule producing a compliant outcome is a grant.',
    example: { context: 'declaration', line: 'decision deny > allow > refer compliant allow' },
    asName: 'deny when compliant == false',
  },
  {
    word: 'error',
    doc: '`on error fire | skip`: what a rule whose condition fails counts as. `expect error <rule> <code>`: the rule\'s evaluation fails with this error code.',
    example: { context: 'test', line: 'expect error big division_by_zero' },
    asName: 'deny when error > 1',
  },
  {
    word: 'score',
    doc: '`expect score <number>`: the decision\'s score.',
    example: { context: 'test', line: 'expect score 0.75' },
    asName: 'deny when score > 1',
  },
  {
    word: 'invalid',
    doc: '`expect invalid`: the input is refused by the schema (no rule runs); `expect invalid at "path", ...`: at (at least) these paths.',
    example: { context: 'test', line: 'expect invalid at "amount"' },
    asName: 'deny when invalid > 1',
  },
  {
    word: 'at',
    doc: '`expect invalid at "path", ...`: the failing paths of the refused input, as the decision\'s `details` name them (`a.b`, `items[0].price`).',
    example: { context: 'test', line: 'expect invalid at "amount", "tier"' },
    asName: 'deny when at > 1',
  },
  {
    word: 'message',
    doc: '`expect message <rule> "text"`: the rule fired with exactly this message (holes filled in).',
    example: { context: 'test', line: 'expect message big "Amount 500 is too large"' },
    asName: 'deny when message > 1',
  },
  {
    word: 'contains',
    doc: '`expect message <rule> contains "text"`: the rule fired with a message containing the text. As a table pattern, `contains x`: the cell (a list or map) holds `x`.',
    example: { context: 'test', line: 'expect message big contains "too large"' },
    asName: 'deny when contains > 1',
  },
  {
    word: 'exactly',
    doc: '`expect outputs exactly { ... }`: the outputs are exactly these (an output not listed fails); `expect suggest <rule> exactly { ... }`: the suggestion has exactly these fields.',
    example: { context: 'test', line: 'expect outputs exactly { fee: 5 }' },
    asName: 'deny when exactly > 1',
  },
  {
    word: 'within',
    doc: '`expect outputs { ... } within 0.001`: numbers and decimals may differ from the expected values by this much (an absolute difference); without it they compare exactly.',
    example: { context: 'test', line: 'expect outputs { fee: 5 } within 0.01' },
    asName: 'deny when within > 1',
  },
  {
    word: 'cases',
    doc: '`cases { { field: value } -> outcome by [rules] ... }`: one row per input, the test\'s `input` with the row\'s fields merged in, each expected to give its outcome (and, with `by`, exactly those rules).',
    example: { context: 'test', line: 'cases { { amount: 500 } -> deny by [big] }' },
    asName: 'deny when cases > 1',
  },
];

/** A table pattern `contains x` (not a keyword-only entry above: the same word, in another place). */
export const CONTAINS_PATTERN_EXAMPLE = 'in ["a"], contains "KP" -> 1';

/** The built-in type names (`list` and `map` take `<T>`); an alias may not take one of them (VD3051). */
export const BUILT_IN_TYPE_NAMES: readonly string[] = ['string', 'number', 'boolean', 'timestamp', 'duration', 'decimal', 'any', 'list', 'map'];

/** What `isContextualKeyword` reads of a token: the lexer's tokens fit. */
export interface WordToken {
  readonly image: string;
  readonly tokenType: TokenType;
}

const WORDS = new Set(CONTEXTUAL_KEYWORDS.map((k) => k.word));

const isType = (t: WordToken | undefined, type: TokenType): boolean => t !== undefined && t.tokenType === type;
const isWord = (t: WordToken | undefined, word: string): boolean => t !== undefined && t.tokenType === T.Identifier && t.image === word;
const isName = (t: WordToken | undefined): boolean => t !== undefined && (t.tokenType === T.Identifier || T.KEYWORDS.includes(t.tokenType));
const isString = (t: WordToken | undefined): boolean => isType(t, T.StringLiteral) || isType(t, T.UnterminatedString);

/** Tokens that may begin the value of a `contains` pattern (a call `contains(` is the function). */
const PATTERN_VALUE_STARTS = new Set<TokenType>([
  T.StringLiteral, T.UnterminatedString, T.NumberLiteral, T.LBracket, T.LBrace, T.Identifier, T.Minus, T.True, T.False, T.Null,
]);

/**
 * Whether `tokens[i]` is a contextual keyword where it stands. `tokens` are the lexer's, without
 * comments; a window of a few tokens either side is enough (a line and the end of the line before it).
 * The tests here are the parser's gates, loosened where the parser waits for a token not typed yet.
 */
export function isContextualKeyword(tokens: readonly WordToken[], i: number): boolean {
  const t = tokens[i];
  if (t === undefined) return false;
  if (t.tokenType === T.TypeKeyword) return true;
  if (t.tokenType !== T.Identifier || !WORDS.has(t.image)) return false;
  const [p1, p2, p3] = [tokens[i - 1], tokens[i - 2], tokens[i - 3]];
  const [n1, n2] = [tokens[i + 1], tokens[i + 2]];
  const afterExpect = isType(p1, T.Expect);
  switch (t.image) {
    case 'type':
      // `type Name =`, a declaration (parse.ts marks the same tokens)
      return isType(n1, T.Identifier) && isType(n2, T.Equals);
    case 'compliant':
      // `decision a > b compliant b`: after the last outcome of the precedence list
      return isType(p1, T.Identifier) && isType(p2, T.Greater) && (n1 === undefined || isType(n1, T.Identifier));
    case 'error':
      // `on error skip`; `expect error rule code`
      return isType(p1, T.On) || (afterExpect && (n1 === undefined || (isName(n1) && !isType(n1, T.By))));
    case 'score':
    case 'invalid':
      // `expect score 0.75`, `expect invalid`: an outcome of that name is `expect score by [...]`
      return afterExpect && !isType(n1, T.By);
    case 'message':
      return afterExpect && (n1 === undefined || (isName(n1) && !isType(n1, T.By)));
    case 'at':
      // `expect invalid at "path"`
      return isWord(p1, 'invalid') && isType(p2, T.Expect);
    case 'exactly':
      // `expect outputs exactly {`, `expect suggest rule exactly {`
      return (isType(p1, T.Outputs) || (isName(p1) && isType(p2, T.Suggest))) && (n1 === undefined || isType(n1, T.LBrace));
    case 'within':
      // `expect outputs { ... } within 0.01`
      return isType(p1, T.RBrace) && (n1 === undefined || isType(n1, T.NumberLiteral));
    case 'cases':
      // `cases {` as a statement of a test; not the rule `rule cases {` nor `expect suggest cases {`
      return isType(n1, T.LBrace) && !isType(p1, T.Rule) && !isType(p1, T.Suggest) && !isType(p1, T.Dot) && !isType(p1, T.QuestionDot);
    case 'contains':
      // `expect message rule contains "text"`; a table pattern `contains "KP"` (never an expression: a name
      // followed by a value); `x.contains(y)` and `contains(x, y)` are the function
      if (isName(p1) && isWord(p2, 'message') && isType(p3, T.Expect)) return n1 === undefined || isString(n1);
      return !isType(p1, T.Dot) && !isType(p1, T.QuestionDot) && n1 !== undefined && PATTERN_VALUE_STARTS.has(n1.tokenType);
    default:
      return false;
  }
}
