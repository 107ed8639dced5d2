/**
 * The token set of the Verdict language, declared once. The parser, the
 * formatter and the editor's syntax highlighting all read it from here, so
 * highlighting never drifts from the parser.
 */
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

/** Every word that can name a field; keywords are soft where a name is expected. */
export const AnyName = createToken({ name: 'AnyName', pattern: Lexer.NA });

/**
 * Operator families as token categories: each binary precedence level
 * consumes one category instead of choosing among alternatives, which keeps
 * the expression parser cheap (it runs on every keystroke in the editor).
 */
export const MultiplicativeOperator = createToken({ name: 'MultiplicativeOperator', pattern: Lexer.NA });
export const AdditiveOperator = createToken({ name: 'AdditiveOperator', pattern: Lexer.NA });
export const RelationalOperator = createToken({ name: 'RelationalOperator', pattern: Lexer.NA });
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, categories: [AnyName] });

function keyword(word: string): TokenType {
  return createToken({
    name: word.charAt(0).toUpperCase() + word.slice(1),
    pattern: new RegExp(`${word}\\b`),
    longer_alt: Identifier,
    categories: [AnyName],
  });
}

export const Ruleset = keyword('ruleset');
export const Input = keyword('input');
export const Decision = keyword('decision');
export const Weights = keyword('weights');
export const On = keyword('on');
export const Const = keyword('const');
export const Param = keyword('param');
export const Let = keyword('let');
export const Output = keyword('output');
export const Table = keyword('table');
export const Rule = keyword('rule');
export const Severity = keyword('severity');
export const When = keyword('when');
export const Because = keyword('because');
export const Suggest = keyword('suggest');
export const Test = keyword('test');
export const Expect = keyword('expect');
export const By = keyword('by');
export const Where = keyword('where');
export const Else = keyword('else');
export const Sensitive = keyword('sensitive');
export const Params = keyword('params');
export const Outputs = keyword('outputs');
export const True = keyword('true');
export const False = keyword('false');
export const Null = keyword('null');
export const In = createToken({ name: 'In', pattern: /in\b/, longer_alt: Identifier, categories: [AnyName, RelationalOperator] });

export const KEYWORDS: readonly TokenType[] = [
  Ruleset, Input, Decision, Weights, On, Const, Param, Let, Output, Table, Rule, Severity, When, Because,
  Suggest, Test, Expect, By, Where, Else, Sensitive, Params, Outputs, True, False, Null, In,
];

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\uFEFF]+/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: 'comments' });

/**
 * Numbers: decimal, exponent and hex forms; a trailing `u`/`U` (CEL's
 * unsigned marker) is accepted and ignored, since Verdict has one number type.
 * `1000.` (no digits after the point, and no field name right after it, as in
 * `1.f`) is lexed as a number too, so the parser reports it there instead of
 * reading the next line's first word as a field. `.99` (no digits before the
 * point) is a number as in CEL.
 */
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /0[xX][0-9a-fA-F]+[uU]?|(?:\d+\.\d+|\d+\.(?![A-Za-z_`])|\d+|\.\d+)(?:[eE][+-]?\d+)?[uU]?/,
});

/** Scans a quoted string starting at `offset`; returns its end (exclusive) or -1. */
function scanQuoted(text: string, offset: number, templateHoles: boolean): number {
  const quote = text[offset];
  let i = offset + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '\n' || c === '\r') return -1;
    if (c === quote) return i + 1;
    if (templateHoles && c === '{') {
      const close = scanHole(text, i + 1);
      if (close < 0) return -1;
      i = close + 1;
      continue;
    }
    i++;
  }
  return -1;
}

/** Scans an interpolation hole from just after `{` to its matching `}`; returns the index of `}` or -1. */
export function scanHole(text: string, offset: number): number {
  let depth = 0;
  let i = offset;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n' || c === '\r') return -1;
    if (c === '"' || c === "'") {
      const end = scanQuoted(text, i, false);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
    i++;
  }
  return -1;
}

/** The end (exclusive) of a triple-quoted template whose body starts at `offset`, holes included; -1 when it never closes. */
function scanTripleTemplate(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text.startsWith('"""', i)) return i + 3;
    if (text[i] === '{') {
      const close = scanHole(text, i + 1);
      if (close < 0) return -1;
      i = close + 1;
      continue;
    }
    i++;
  }
  return -1;
}

function matchResult(text: string, offset: number, end: number): RegExpExecArray {
  const result = [text.slice(offset, end)] as unknown as RegExpExecArray;
  result.index = offset;
  result.input = text;
  return result;
}

/**
 * A `because` message: a double-quoted string whose `{expr}` holes are
 * interpolated. Only recognised right after the `because` keyword, so braces
 * in ordinary strings stay plain text.
 */
export const TemplateString = createToken({
  name: 'TemplateString',
  line_breaks: true,
  start_chars_hint: ['"'],
  pattern: {
    exec: (text: string, offset: number, matched: IToken[]): RegExpExecArray | null => {
      if (text[offset] !== '"') return null;
      const previous = matched[matched.length - 1];
      if (previous === undefined || previous.tokenType !== Because) return null;
      if (text.startsWith('"""', offset)) {
        const close = scanTripleTemplate(text, offset + 3);
        return close < 0 ? null : matchResult(text, offset, close);
      }
      const end = scanQuoted(text, offset, true);
      return end < 0 ? null : matchResult(text, offset, end);
    },
  },
});

/** `"..."`, `'...'`, raw `r"..."`, triple-quoted `"""..."""` and CEL bytes `b"..."` (read as text). */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  line_breaks: true,
  start_chars_hint: ['"', "'", 'r', 'R', 'b', 'B'],
  pattern: {
    exec: (text: string, offset: number): RegExpExecArray | null => {
      let i = offset;
      let c = text[i];
      // prefixes: r, b, rb, br (any case)
      let prefix = 0;
      while (prefix < 2 && (c === 'r' || c === 'R' || c === 'b' || c === 'B')) {
        i++;
        prefix++;
        c = text[i];
      }
      if (c !== '"' && c !== "'") return null;
      const raw = /[rR]/.test(text.slice(offset, i));
      if (text.startsWith(c.repeat(3), i)) {
        const close = text.indexOf(c.repeat(3), i + 3);
        let j = i + 3;
        while (j < text.length) {
          if (!raw && text[j] === '\\') {
            j += 2;
            continue;
          }
          if (text.startsWith(c.repeat(3), j)) return matchResult(text, offset, j + 3);
          j++;
        }
        return close < 0 ? null : matchResult(text, offset, close + 3);
      }
      if (raw) {
        let j = i + 1;
        // A lone `\r` ends the line too (as in scanQuoted): the string stays unterminated.
        while (j < text.length && text[j] !== c && text[j] !== '\n' && text[j] !== '\r') j++;
        return text[j] === c ? matchResult(text, offset, j + 1) : null;
      }
      const end = scanQuoted(text, i, false);
      return end < 0 ? null : matchResult(text, offset, end);
    },
  },
});

/**
 * A string that never closes on its line: lexed as one token so we can report it well.
 * Prefixes included, so an unclosed `r"...` is not read as the name `r` and a stray quote.
 */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /[rRbB]{0,2}["'][^\n\r]*/ });

/** CEL's quoted field name, `` a.`content-type` ``: any characters but a backquote or a line break. */
export const QuotedName = createToken({ name: 'QuotedName', pattern: /`[^`\r\n]+`/ });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/ });
export const QuestionDot = createToken({ name: 'QuestionDot', pattern: /\?\./ });
export const QuestionQuestion = createToken({ name: 'QuestionQuestion', pattern: /\?\?/ });
export const Question = createToken({ name: 'Question', pattern: /\?/ });
export const AndAnd = createToken({ name: 'AndAnd', pattern: /&&/ });
export const OrOr = createToken({ name: 'OrOr', pattern: /\|\|/ });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/ });
export const EqualEqual = createToken({ name: 'EqualEqual', pattern: /==/, categories: [RelationalOperator] });
export const NotEqual = createToken({ name: 'NotEqual', pattern: /!=/, categories: [RelationalOperator] });
export const LessEqual = createToken({ name: 'LessEqual', pattern: /<=/, categories: [RelationalOperator] });
export const GreaterEqual = createToken({ name: 'GreaterEqual', pattern: />=/, categories: [RelationalOperator] });
export const Less = createToken({ name: 'Less', pattern: /</, categories: [RelationalOperator] });
export const Greater = createToken({ name: 'Greater', pattern: />/, categories: [RelationalOperator] });
export const Bang = createToken({ name: 'Bang', pattern: /!/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, categories: [AdditiveOperator] });
export const Minus = createToken({ name: 'Minus', pattern: /-/, categories: [AdditiveOperator] });
export const Star = createToken({ name: 'Star', pattern: /\*/, categories: [MultiplicativeOperator] });
export const Slash = createToken({ name: 'Slash', pattern: /\//, categories: [MultiplicativeOperator] });
export const Percent = createToken({ name: 'Percent', pattern: /%/, categories: [MultiplicativeOperator] });
/** `type` where it declares an alias (`type Name =`); never matched by the lexer: `lex` marks it. */
export const TypeKeyword = createToken({ name: 'Type', pattern: Lexer.NA, categories: [AnyName] });
/** `...` at the end of a record type: other fields are allowed. */
export const Ellipsis = createToken({ name: 'Ellipsis', pattern: /\.\.\./ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/ });
export const LBrace = createToken({ name: 'LBrace', pattern: /{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /}/ });

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  TemplateString,
  StringLiteral,
  UnterminatedString,
  NumberLiteral,
  ...KEYWORDS,
  Identifier,
  AnyName,
  TypeKeyword,
  MultiplicativeOperator,
  AdditiveOperator,
  RelationalOperator,
  QuotedName,
  Arrow,
  QuestionDot,
  QuestionQuestion,
  Question,
  AndAnd,
  OrOr,
  Pipe,
  EqualEqual,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Bang,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Ellipsis,
  Dot,
  Comma,
  Colon,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
];

/** Token kinds by highlighting class, for the editor's tokenizer. */
export const TOKEN_CLASSES = {
  keyword: KEYWORDS.map((t) => t.name),
  string: [StringLiteral.name, TemplateString.name, UnterminatedString.name],
  number: [NumberLiteral.name],
  comment: [Comment.name],
  identifier: [Identifier.name],
} as const;

/**
 * The lexer. Chevrotain's checks of the token definitions are skipped here (they cost start-up on
 * every short command); `validatedLexer` runs them, in a test.
 */
export const verdictLexer = new Lexer(ALL_TOKENS, {
  ensureOptimizations: false,
  positionTracking: 'full',
  skipValidations: true,
});

/** The lexer built with chevrotain's checks of the token definitions, which throws on a mistake (for tests). */
export function validatedLexer(): Lexer {
  return new Lexer(ALL_TOKENS, { ensureOptimizations: false, positionTracking: 'full', skipValidations: false });
}
