/**
 * What every grammar area of the parser shares: the state the rules fill
 * (ids, diagnostics, pending templates), node and span helpers, error
 * recovery, the table-row gate the expression rules consult, and literal
 * decoding.
 *
 * The parser is one chevrotain parser built in layers, one class per grammar
 * area, each extending the one before it: this base, types, tables,
 * declarations, rules, tests, the file's top level, expressions, and
 * `VerdictParser` in `../parser.ts`, which runs `performSelfAnalysis` once
 * every layer's rules exist. A layer's rules are fields defined with
 * `this.RULE`; rules reach the rules of earlier layers as `this.<rule>`, typed
 * by the class chain, and the expression rules that other areas read through
 * the abstract fields below. Every call resolves on the one instance.
 *
 * Expressions come last because fields are defined in layer order and
 * chevrotain analyses the grammar in the order its rules were defined: with
 * the expression rules defined after the others, building the parser takes
 * a fifth fewer instructions than with them first (callgrind, 361 M against
 * 451 M; the trees it builds are the same).
 */
import { EmbeddedActionsParser, EOF, type ILookaheadStrategy, type IToken, type ParserMethod, type TokenType } from 'chevrotain';
import * as T from '../tokens.ts';
import type * as A from '../ast.ts';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { decodeEscapes, escapeLength, literalParts } from '../strings.ts';
import { messages } from '../parser-messages.ts';
import { NOWHERE, spanInToken, spanOfTokens } from '../spans.ts';
import { StoredLookaheadStrategy } from './lookahead.ts';
import { LOOKAHEAD_TABLE } from './lookahead-table.ts';

/** The keywords that begin a declaration. */
export const DECLARATION_KEYWORDS = new Set<TokenType>([
  T.Ruleset, T.Input, T.Decision, T.Weights, T.On, T.Const, T.Param, T.Let, T.Output, T.Table, T.Rule, T.Test, T.TypeKeyword,
]);

/** The part of chevrotain's recovery trait that is not in its typings. */
interface InsertionRecovery {
  canRecoverWithSingleTokenInsertion(expected: TokenType, follows: TokenType[]): boolean;
}

interface PendingTemplate {
  node: A.TemplateLiteral;
  token: IToken;
}

export interface ParserOptions {
  /** Run chevrotain's grammar validations while building (see the constructor). */
  validateGrammar?: boolean;
  /**
   * How the lookahead of the grammar's decisions is found: by default read from the table computed
   * ahead of time (`./lookahead.ts`); the table's generator and its test pass chevrotain's own.
   */
  lookaheadStrategy?: ILookaheadStrategy;
}

const MAX_LOOKAHEAD = 3;

export abstract class ParserBase extends EmbeddedActionsParser {
  /** Expression rules that the other grammar areas read (defined in `expressions.ts`). */
  abstract expression: ParserMethod<[], A.Expr>;
  abstract additive: ParserMethod<[], A.Expr>;
  abstract mapLiteral: ParserMethod<[], A.MapExpr>;

  nextId = 0;
  templates: PendingTemplate[] = [];
  extraDiagnostics: Diagnostic[] = [];
  /** What the top-level rule has read so far (kept even when it aborts). */
  headers: Array<{ name: A.Name; first: IToken }> = [];
  decls: A.Decl[] = [];
  /** The first token the top-level rule did not consume (to resume after junk). */
  stoppedAt: IToken | undefined;
  /** Index in the token vector where the table row result being read starts; -1 outside one. */
  protected rowResultStart = -1;

  /**
   * `validateGrammar`: run chevrotain's grammar validations (ambiguities, left recursion, ...) while
   * building. They take a third of the start-up of a short command (`verdict fmt --stdout` runs once
   * per file version as git's textconv) and find nothing in a grammar that already passed them, so
   * the shared parser skips them; a test builds the parser with them (test/parser/grammar.test.ts).
   */
  constructor({ validateGrammar = false, lookaheadStrategy }: ParserOptions = {}) {
    super(T.ALL_TOKENS, {
      recoveryEnabled: true,
      maxLookahead: MAX_LOOKAHEAD,
      errorMessageProvider: messages,
      skipValidations: !validateGrammar,
      lookaheadStrategy: lookaheadStrategy ?? new StoredLookaheadStrategy(LOOKAHEAD_TABLE, T.ALL_TOKENS, { maxLookahead: MAX_LOOKAHEAD }),
    });
  }

  protected id(): number {
    return this.nextId++;
  }

  protected span(first: IToken): A.Span {
    return spanOfTokens(first, this.LA(0));
  }

  protected errorExpr(first: IToken): A.ErrorExpr {
    return { kind: 'ErrorExpr', id: this.id(), span: this.span(first) };
  }

  protected name(token: IToken): A.Name {
    // A token inserted by recovery has no position: point at the last real token read instead.
    const at = Number.isNaN(token.startOffset) ? this.lastRealToken() : token;
    return { name: token.image, span: at === undefined ? NOWHERE : spanOfTokens(at, at) };
  }

  private lastRealToken(): IToken | undefined {
    // `currIdx` is chevrotain's position in the token vector (exportLexerState() in its JS, untyped).
    for (let i = (this as unknown as { currIdx: number }).currIdx; i >= 0; i--) {
      const t = this.input[i];
      if (t !== undefined && !Number.isNaN(t.startOffset)) return t;
    }
    return undefined;
  }

  /**
   * chevrotain's single-token insertion needs the next token in the follow
   * set, which the end of the file never is: allow a missing `}` there too, so
   * a block left open at the end of the file is kept (mid-file it already is).
   */
  canRecoverWithSingleTokenInsertion(expected: TokenType, follows: TokenType[]): boolean {
    if (expected === T.RBrace && this.LA(1).tokenType === EOF) return true;
    return (EmbeddedActionsParser.prototype as unknown as InsertionRecovery).canRecoverWithSingleTokenInsertion.call(this, expected, follows);
  }

  protected errorRecovery = (): A.Expr => ({ kind: 'ErrorExpr', id: -1, span: this.lastRealToken() ? spanOfTokens(this.lastRealToken()!, this.lastRealToken()!) : NOWHERE });

  /**
   * Table rows have no separator and line breaks are not tokens, so a row
   * whose first pattern starts with `-`, `(` or `[` would continue the
   * previous row's result (a subtraction, a call, an index). Inside a row
   * result, such a token at the start of a line, outside any bracket opened
   * in the result, begins the next row instead.
   */
  private continuesRowResult(): boolean {
    if (this.rowResultStart < 0) return true;
    const next = this.LA(1);
    const type = next.tokenType;
    if (type !== T.Minus && type !== T.LParen && type !== T.LBracket && type !== T.Dot) return true;
    if (this.onSameLine(this.LA(0), next)) return true;
    let depth = 0;
    for (let i = this.rowResultStart; i <= this.tokenIndex(); i++) {
      const t = this.input[i]?.tokenType;
      if (t === T.LParen || t === T.LBracket || t === T.LBrace) depth++;
      else if (t === T.RParen || t === T.RBracket || t === T.RBrace) depth--;
    }
    return depth > 0;
  }

  /**
   * The repetition or option `def`, gated by continuesRowResult inside a row
   * result only: the expression rules run for every operand, and a GATE costs
   * chevrotain a closure per call, so elsewhere the plain function is passed.
   * (GATEs are runtime-only: the grammar recorded is the same either way.)
   */
  protected rowGated(def: () => void): (() => void) | { GATE: () => boolean; DEF: () => void } {
    return this.rowResultStart < 0 ? def : { GATE: this.rowResultGate, DEF: def };
  }

  private readonly rowResultGate = (): boolean => this.continuesRowResult();

  /** Index of the last token read (chevrotain's `currIdx`, untyped in its API). */
  protected tokenIndex(): number {
    return (this as unknown as { currIdx: number }).currIdx;
  }

  /** Skips the tokens on the current line, up to (not including) a `}` that closes the enclosing block. */
  protected skipRestOfLine(): void {
    const line = this.LA(0).endLine;
    let depth = 0;
    for (let t = this.LA(1); t.tokenType !== EOF && t.startLine === line; t = this.LA(1)) {
      if (t.tokenType === T.LBrace) depth++;
      else if (t.tokenType === T.RBrace && depth-- === 0) return;
      this.SKIP_TOKEN();
    }
  }

  protected onSameLine(before: IToken | undefined, after: IToken): boolean {
    return before !== undefined && after.tokenType !== EOF && before.endLine !== undefined && after.startLine === before.endLine;
  }

  /** The value of a number token; `1000.` (lexed whole so the error lands on it) is reported at its point. */
  protected numberOf(t: IToken): number {
    const dot = t.image.indexOf('.');
    if (dot >= 0 && !/\d/.test(t.image.charAt(dot + 1)) && !Number.isNaN(t.startOffset)) {
      const start = t.startOffset + dot;
      const line = t.startLine ?? 1;
      const column = (t.startColumn ?? 1) + dot;
      this.extraDiagnostics.push(
        diagnostic('VD1003', 'error', 'a number needs digits after its decimal point', { start, end: start + 1, line, column, endLine: line, endColumn: column + 1 }, {
          hint: `write \`${t.image.slice(0, dot)}.0\`, or \`${t.image.slice(0, dot)}\` without the point`,
        }),
      );
    }
    return numberValue(t.image);
  }

  decodeString(t: IToken): string {
    // A string token inserted by recovery has no text.
    if (Number.isNaN(t.startOffset) || t.image.length < 2) return '';
    const parts = literalParts(t.image);
    const decoded = decodeEscapes(parts.body, parts.raw);
    if (decoded.error) {
      // A triple-quoted string spans lines: the escape's line and column are counted inside the token.
      const at = parts.bodyStart + decoded.error.offset;
      const span = spanInToken(t, at, at + escapeLength(t.image, at));
      this.extraDiagnostics.push(
        diagnostic('VD1005', 'error', decoded.error.message, span, {
          hint: 'escapes are \\n \\t \\r \\\\ \\" \\\' \\{ \\} \\xHH \\uHHHH \\UHHHHHHHH; write \\\\ for a backslash',
        }),
      );
    }
    return decoded.value;
  }
}

export function numberValue(image: string): number {
  const text = image.replace(/[uU]$/, '');
  if (/^0[xX]/.test(text)) return parseInt(text.slice(2), 16);
  return Number(text);
}
