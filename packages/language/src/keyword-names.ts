/**
 * The token pre-pass that lets keywords name input fields in expressions.
 */
import type { IToken, TokenType } from 'chevrotain';
import * as T from './tokens.ts';

/**
 * Input fields may be named with keywords (`input { test: number }`), so an
 * expression must be able to read them. Rather than letting every keyword
 * start an expression (which would make a missing value swallow the next
 * declaration: `let x =` then `rule r {`), a keyword is re-read as a plain
 * identifier where an operand is expected and it does not begin its own
 * construct (`test > 1`, but not `test "name" {`). Runs once per parse,
 * before the grammar looks at the tokens.
 */
export function markKeywordNames(tokens: IToken[], startsWithOperand: boolean): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // Indexed by tokenTypeIdx rather than a Map: this runs on every token of every parse.
    const startsConstruct = CONSTRUCT_BY_INDEX[token.tokenTypeIdx];
    if (startsConstruct === undefined) continue;
    const previous = tokens[i - 1];
    if (previous === undefined ? !startsWithOperand : !OPERAND_BEFORE.has(previous.tokenType)) continue;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    // `a, test: string` declares a name (table column, field); a conditional's `? test :` reads one.
    if (next?.tokenType === T.Colon && previous?.tokenType !== T.Question) continue;
    if (startsConstruct(next?.tokenType, after?.tokenType)) continue;
    token.tokenType = T.Identifier;
    token.tokenTypeIdx = T.Identifier.tokenTypeIdx!;
  }
}

type Follow = TokenType | undefined;
const isName = (t: Follow): boolean => t !== undefined && (t === T.Identifier || T.KEYWORDS.includes(t));
const isOperandStart = (t: Follow): boolean =>
  t !== undefined && (isName(t) || OPERAND_STARTS.has(t));
const OPERAND_STARTS = new Set<TokenType>([
  T.NumberLiteral, T.StringLiteral, T.TemplateString, T.UnterminatedString, T.LParen, T.LBracket, T.LBrace, T.Bang, T.Minus,
]);

/** Tokens after which an operand is expected. */
const OPERAND_BEFORE = new Set<TokenType>([
  T.When, T.Where, T.Equals, T.Arrow, T.Question, T.Colon, T.Comma, T.LParen, T.LBracket, T.Bang, T.AndAnd, T.OrOr,
  T.QuestionQuestion, T.EqualEqual, T.NotEqual, T.Less, T.LessEqual, T.Greater, T.GreaterEqual, T.In, T.Plus, T.Minus,
  T.Star, T.Slash, T.Percent,
]);

/**
 * The keywords that may name a field read in an expression, each with the
 * test (on the two tokens after it) that says it starts its own construct
 * instead. `true`, `false`, `null`, `in`, `when`, `else` and `because` are
 * never names there.
 */
const CONSTRUCTS = new Map<TokenType, (next: Follow, after: Follow) => boolean>([
  [T.Ruleset, (n) => n === T.Identifier],
  [T.Input, (n) => n === T.LBrace],
  [T.Weights, (n) => n === T.LBrace],
  [T.Params, (n) => n === T.LBrace],
  [T.Outputs, (n) => n === T.LBrace],
  [T.Decision, (n) => n === T.Identifier],
  [T.On, (n) => n === T.Identifier],
  [T.Severity, (n) => n === T.Identifier],
  [T.Expect, (n) => isName(n)],
  [T.Const, (n, a) => n === T.Identifier && (a === T.Equals || a === T.Colon)],
  [T.Param, (n, a) => n === T.Identifier && (a === T.Equals || a === T.Colon)],
  [T.Let, (n, a) => n === T.Identifier && (a === T.Equals || a === T.Colon)],
  [T.Output, (n, a) => n === T.Identifier && (a === T.Equals || a === T.Colon)],
  [T.Table, (n, a) => n === T.LParen || (n === T.Identifier && a === T.LParen)],
  [T.Rule, (n, a) => n === T.LBrace || (isName(n) && a === T.LBrace)],
  [T.Test, (n) => n === T.StringLiteral || n === T.LBrace],
  [T.Suggest, (n, a) => isName(n) && a === T.Equals],
  [T.By, (n) => n === T.LBracket],
  [T.Where, (n) => isOperandStart(n)],
  [T.Sensitive, () => false],
]);
const CONSTRUCT_BY_INDEX: Array<((next: Follow, after: Follow) => boolean) | undefined> = [];
for (const [type, test] of CONSTRUCTS) CONSTRUCT_BY_INDEX[type.tokenTypeIdx!] = test;
