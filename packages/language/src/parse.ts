/** Text -> AST: lexing, parsing with recovery, message templates and doc comments. */
import { EOF, type ILexingError, type IRecognitionException, type IToken } from 'chevrotain';
import type * as A from './ast.ts';
import { resolveAliases } from './aliases.ts';
import { diagnostic, sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { getParser, type VerdictParser } from './parser.ts';
import { advancePosition, spanAt, spanFrom, spanOfTokens, spanRange, type LineColumn } from './spans.ts';
import { decodeEscapes, escapeLength } from './strings.ts';
import * as T from './tokens.ts';

export interface ParseResult {
  ast: A.Ruleset;
  diagnostics: Diagnostic[];
}

export interface ExpressionParseResult {
  expr: A.Expr;
  diagnostics: Diagnostic[];
}

const DECLARATION_STARTS = new Set([
  T.Ruleset, T.Input, T.Decision, T.Weights, T.On, T.Const, T.Param, T.Let, T.Output, T.Table, T.Rule, T.Test, T.TypeKeyword,
]);

/** Parses a ruleset file. Never throws: every problem becomes a diagnostic. */
export function parse(text: string): ParseResult {
  const { ast, diagnostics } = parseKeepingTokens(text);
  return { ast, diagnostics };
}

/**
 * `parse`, also answering the file's tokens as the parser read them (comments apart; a keyword
 * read as a name has the type Identifier), for the formatter, which would otherwise lex the text again.
 */
export function parseKeepingTokens(text: string): ParseResult & { tokens: readonly IToken[] } {
  try {
    return parseUnguarded(text);
  } catch (error) {
    return { ast: emptyRuleset(text), diagnostics: [tooDeep(text, error)], tokens: [] };
  }
}

function parseUnguarded(text: string): ParseResult & { tokens: readonly IToken[] } {
  const diagnostics: Diagnostic[] = [];
  const { tokens, comments } = lex(text, diagnostics);
  const parser = getParser();
  parser.nextId = 0;
  parser.templates = [];
  parser.extraDiagnostics = [];

  let name: A.Name | null = null;
  let rulesetStart: IToken | undefined;
  const decls: A.Decl[] = [];
  let rest = tokens;
  for (let round = 0; ; round++) {
    parser.input = rest;
    parser.stoppedAt = undefined;
    parser.headers = [];
    parser.decls = [];
    parser.rulesetFile();
    collectParserErrors(parser.errors, text, diagnostics);
    for (const header of parser.headers) {
      if (name === null) {
        name = header.name;
        rulesetStart = header.first;
      } else {
        diagnostics.push(
          diagnostic('VD1010', 'error', 'a file holds one ruleset; this is a second `ruleset` header', header.name.span, {
            hint: 'put each ruleset in its own file',
          }),
        );
      }
    }
    decls.push(...parser.decls.filter(Boolean));
    const stopped = parser.stoppedAt as IToken | undefined;
    if (stopped === undefined || stopped.tokenType === EOF) break;
    // Junk the parser could not start a declaration with: report it, skip to the next declaration.
    const at = rest.findIndex((t) => t.startOffset >= stopped.startOffset);
    if (at < 0) break;
    // A second header: the next round reads it (and reports VD1010) instead of skipping it as junk.
    if (stopped.tokenType === T.Ruleset && at > 0) {
      rest = rest.slice(at);
      continue;
    }
    let next = at + 1;
    while (next < rest.length && !DECLARATION_STARTS.has(rest[next]!.tokenType)) next++;
    const last = rest[next - 1]!;
    diagnostics.push(
      diagnostic('VD1003', 'error', `unexpected \`${abbreviate(stopped.image)}\``, spanOfTokens(stopped, stopped), {
        hint: 'a ruleset holds declarations: `input`, `decision`, `const`, `param`, `let`, `table`, `output`, `rule`, `test`',
        related: next - 1 > at ? [{ message: 'skipped up to here', span: spanOfTokens(last, last) }] : undefined,
      }),
    );
    if (next >= rest.length) break;
    rest = rest.slice(next);
  }
  diagnostics.push(...parser.extraDiagnostics);
  parser.extraDiagnostics = [];

  const templates = parser.templates;
  parser.templates = [];
  for (const pending of templates) fillTemplate(parser, pending.node, pending.token, text, diagnostics);

  const fileStart = spanAt(text, 0);
  if (name === null) {
    diagnostics.push(
      diagnostic('VD1004', 'error', 'a ruleset file starts with `ruleset <name>`', tokens[0] ? spanOfTokens(tokens[0], tokens[0]) : fileStart, {
        hint: 'add a first line such as `ruleset marketplace.admission`',
      }),
    );
  }
  resolveAliases(decls, diagnostics);
  const docs = new DocComments(text, comments);
  for (const decl of decls) attachDocs(decl, docs);
  const end = spanAt(text, text.length);
  const ast: A.Ruleset = {
    kind: 'Ruleset',
    name: name ?? { name: '', span: fileStart },
    doc: rulesetStart ? docs.before(rulesetStart.startOffset) : null,
    decls,
    comments,
    span: { start: 0, end: text.length, line: 1, column: 1, endLine: end.line, endColumn: end.column },
  };
  return { ast, diagnostics: dedupe(sortDiagnostics(diagnostics)), tokens };
}

/** Parses a single expression (conformance cases, `where` clauses in tools, the REPL). */
export function parseExpression(text: string): ExpressionParseResult {
  try {
    return parseExpressionUnguarded(text);
  } catch (error) {
    return { expr: { kind: 'ErrorExpr', id: 0, span: spanRange(text, 0, text.length) }, diagnostics: [tooDeep(text, error)] };
  }
}

/**
 * The parser recurses once per nesting level; thousands of nested brackets
 * exhaust the stack. That is the only way it can fail, and it becomes a
 * diagnostic, never an exception (the editor parses on every keystroke).
 */
export function tooDeep(text: string, error: unknown, stage: 'read' | 'check' = 'read'): Diagnostic {
  const overflow = error instanceof RangeError;
  const failed = stage === 'read' ? 'the parser failed' : 'the checker failed';
  return diagnostic('VD1011', 'error', overflow ? `this text nests too deeply to ${stage}` : `${failed}: ${error instanceof Error ? error.message : String(error)}`, spanRange(text, 0, Math.min(text.length, 1)), {
    hint: overflow ? 'split deeply nested expressions (or very long chains of `&&`, `||`, `+`) with `let`' : 'please report this file',
  });
}

function emptyRuleset(text: string): A.Ruleset {
  const start = spanAt(text, 0);
  const end = spanAt(text, text.length);
  return { kind: 'Ruleset', name: { name: '', span: start }, doc: null, decls: [], comments: [], span: { start: 0, end: text.length, line: 1, column: 1, endLine: end.line, endColumn: end.column } };
}

function parseExpressionUnguarded(text: string): ExpressionParseResult {
  const diagnostics: Diagnostic[] = [];
  const { tokens } = lex(text, diagnostics);
  const parser = getParser();
  parser.nextId = 0;
  parser.templates = [];
  parser.extraDiagnostics = [];
  const expr = parseHole(parser, tokens, text, diagnostics);
  diagnostics.push(...parser.extraDiagnostics);
  parser.extraDiagnostics = [];
  return { expr, diagnostics: dedupe(sortDiagnostics(diagnostics)) };
}

/** `endAt`: for a `{}` hole, the offset of its closing `}` (where a missing operand is reported). */
function parseHole(parser: VerdictParser, tokens: IToken[], text: string, diagnostics: Diagnostic[], endAt?: number): A.Expr {
  parser.input = tokens;
  parser.stoppedAt = undefined;
  const expr = parser.standaloneExpression();
  collectParserErrors(parser.errors, text, diagnostics, endAt);
  const stopped = parser.stoppedAt as IToken | undefined;
  if (stopped !== undefined && stopped.tokenType !== EOF && parser.errors.length === 0) {
    diagnostics.push(
      diagnostic('VD1003', 'error', `unexpected \`${abbreviate(stopped.image)}\` after the expression`, spanOfTokens(stopped, stopped), {
        hint: 'join expressions with an operator such as `&&`, or remove the extra text',
      }),
    );
  }
  return expr ?? { kind: 'ErrorExpr', id: parser.nextId++, span: spanAt(text, 0) };
}

function fillTemplate(parser: VerdictParser, node: A.TemplateLiteral, token: IToken, text: string, diagnostics: Diagnostic[]): void {
  const raw = token.image;
  const base = token.startOffset;
  const quote = raw.startsWith('"""') ? 3 : 1;
  // Positions inside the message are counted from the token's own (a triple-quoted message spans
  // lines), by one cursor moving forward only: linear in the message however many holes it has.
  let cursorIndex = 0;
  let cursor: LineColumn = { line: token.startLine ?? 1, column: token.startColumn ?? 1 };
  const moveTo = (index: number): LineColumn => {
    cursor = advancePosition(raw, cursorIndex, index, cursor);
    cursorIndex = index;
    return cursor;
  };
  const spanIn = (from: number, to: number): A.Span => spanFrom(raw, from, to, moveTo(from), base);
  let chunk = '';
  let chunkStart = quote;
  const flush = (): void => {
    const decoded = decodeEscapes(chunk);
    if (decoded.error) {
      const at = chunkStart + decoded.error.offset;
      diagnostics.push(diagnostic('VD1005', 'error', decoded.error.message, spanIn(at, at + escapeLength(raw, at))));
    }
    if (decoded.value !== '') node.parts.push(decoded.value);
    chunk = '';
  };
  for (let i = quote; i < raw.length - quote; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      chunk += raw.slice(i, i + 2);
      i++;
      continue;
    }
    if (c !== '{') {
      chunk += c;
      continue;
    }
    flush();
    const close = T.scanHole(raw, i + 1);
    const holeStart = base + i + 1;
    const holeEnd = base + close;
    if (raw.slice(i + 1, close).trim() === '') {
      diagnostics.push(
        diagnostic('VD1006', 'error', 'an empty `{}` in a message', spanIn(i, close + 1), {
          hint: 'put an expression inside the braces, or write `\\{` for a literal brace',
        }),
      );
    } else {
      const { line, column } = moveTo(i + 1);
      const tokens = lexFragment(text, holeStart, holeEnd, line, column, diagnostics);
      node.parts.push(parseHole(parser, tokens, text, diagnostics, holeEnd));
    }
    i = close;
    chunkStart = i + 1;
  }
  flush();
}

/** Tokens of a one-line fragment text[start..end], shifted to their place in the file. */
function lexFragment(text: string, start: number, end: number, line: number, column: number, diagnostics: Diagnostic[]): IToken[] {
  const result = T.verdictLexer.tokenize(text.slice(start, end));
  for (const error of result.errors) {
    // The fragment is one line (a hole never spans lines).
    diagnostics.push(lexingDiagnostic({ ...error, offset: error.offset + start }, text, { line, column: column + error.offset }));
  }
  for (const t of result.tokens) {
    t.startOffset += start;
    t.endOffset = (t.endOffset ?? t.startOffset) + start;
    t.startLine = line;
    t.endLine = line;
    t.startColumn = (t.startColumn ?? 1) + column - 1;
    t.endColumn = (t.endColumn ?? 1) + column - 1;
  }
  return result.tokens;
}

/** Tokens of a whole text, with lexing errors as diagnostics and comments kept apart. */
export function lex(text: string, diagnostics: Diagnostic[]): { tokens: IToken[]; comments: A.Comment[] } {
  const result = T.verdictLexer.tokenize(text);
  // Errors come in text order: one cursor finds all their positions in a single pass over the text.
  let at = 0;
  let position: LineColumn = { line: 1, column: 1 };
  for (const error of result.errors) {
    if (error.offset < at) [at, position] = [0, { line: 1, column: 1 }];
    position = advancePosition(text, at, error.offset, position);
    at = error.offset;
    diagnostics.push(lexingDiagnostic(error, text, position));
  }
  markTypeAliases(result.tokens);
  const commentTokens = (result.groups['comments'] ?? []) as IToken[];
  const comments = commentTokens.map((t) => ({ text: t.image, span: spanOfTokens(t, t) }));
  return { tokens: result.tokens, comments };
}

/**
 * `type` is a keyword only where it declares an alias, `type Name =`; everywhere else it stays a
 * name (an input field `type`, a call `type(x)`), so no ruleset that uses the word breaks.
 */
function markTypeAliases(tokens: IToken[]): void {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.image !== 'type' || token.tokenType !== T.Identifier) continue;
    if (tokens[i + 1]!.tokenType !== T.Identifier || tokens[i + 2]!.tokenType !== T.Equals) continue;
    token.tokenType = T.TypeKeyword;
    token.tokenTypeIdx = T.TypeKeyword.tokenTypeIdx!;
  }
}

/** `position`: the line and column of `error.offset`. */
function lexingDiagnostic(error: ILexingError, text: string, position: LineColumn): Diagnostic {
  const ch = text.slice(error.offset, error.offset + error.length);
  const span = spanFrom(text, error.offset, error.offset + Math.max(1, error.length), position);
  return diagnostic('VD1001', 'error', `unexpected character${ch.length > 1 ? 's' : ''} \`${abbreviate(ch)}\``, span, {
    hint: ch.startsWith('"') || ch.startsWith("'") ? 'close the string on the same line' : 'remove it; comments start with `#`',
  });
}

/**
 * `endAt`: where "the input ended" is reported; by default the last character of the text (the
 * empty span at 0 for an empty text); a `{}` hole passes the offset of its closing `}`.
 */
function collectParserErrors(errors: IRecognitionException[], text: string, diagnostics: Diagnostic[], endAt?: number): void {
  // Only computed when an error is at the end: this runs for every hole and declaration of a file.
  const end = (): A.Span => {
    if (endAt !== undefined) return spanRange(text, endAt, endAt + 1);
    const last = text.trimEnd().length;
    return spanRange(text, Math.max(0, last - 1), Math.min(text.length, Math.max(1, last)));
  };
  for (const error of errors) {
    const token = error.token;
    const atEnd = token.tokenType === EOF || Number.isNaN(token.startOffset);
    const span = atEnd ? end() : spanOfTokens(token, token);
    diagnostics.push(diagnostic('VD1003', 'error', error.message, span, { hint: hintFor(error) }));
  }
}

function hintFor(error: IRecognitionException): string {
  // Only what was expected matters: "unexpected `}`" must not read as "expected `}`".
  const m = /(?:^|: )expected (.*)$/.exec(error.message)?.[1] ?? '';
  if (m.startsWith('`}`')) return 'a block opened with `{` needs its closing `}`';
  if (m.startsWith('`)`')) return 'close the parenthesis';
  if (m.startsWith('`]`')) return 'close the list with `]`';
  if (m.includes('an expression')) return 'expressions are literals, names, calls, lists `[...]`, maps `{...}` and operators';
  if (m.includes('a rule statement')) return 'a rule reads: `severity high`, `deny when <condition>`, `because "<message>"`';
  return 'check the syntax against grammar/README.md';
}

function abbreviate(s: string): string {
  return s.length > 30 ? s.slice(0, 30) + '…' : s;
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.code}:${d.span.start}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Full-line comments by line, to find the doc comment above a declaration. */
class DocComments {
  private byLine = new Map<number, string>();
  constructor(
    private text: string,
    comments: A.Comment[],
  ) {
    for (const c of comments) {
      // From the comment's own column: its line may start after a lone `\r`.
      const lineStart = c.span.start - (c.span.column - 1);
      if (text.slice(lineStart, c.span.start).trim() === '') this.byLine.set(c.span.line, c.text);
    }
  }

  /** The consecutive full-line comments directly above the line holding `offset`. */
  before(offset: number): string | null {
    const line = spanAt(this.text, offset).line;
    const lines: string[] = [];
    for (let l = line - 1; this.byLine.has(l); l--) lines.unshift(this.byLine.get(l)!.replace(/^#\s?/, ''));
    return lines.length > 0 ? lines.join('\n') : null;
  }

  /** Same, for a node whose line is already known (avoids rescanning). */
  beforeLine(line: number): string | null {
    const lines: string[] = [];
    for (let l = line - 1; this.byLine.has(l); l--) lines.unshift(this.byLine.get(l)!.replace(/^#\s?/, ''));
    return lines.length > 0 ? lines.join('\n') : null;
  }
}

function attachDocs(decl: A.Decl, docs: DocComments): void {
  decl.doc = docs.beforeLine(decl.span.line);
  const fields = decl.kind === 'Input' ? decl.fields : decl.kind === 'TypeAlias' && decl.type.kind === 'RecordType' ? decl.type.fields : null;
  if (fields) attachFieldDocs(fields, docs);
  if (decl.kind === 'Rule') for (const l of decl.lets) l.doc = docs.beforeLine(l.span.line);
}

function attachFieldDocs(fields: A.FieldDecl[], docs: DocComments): void {
  for (const f of fields) {
    f.doc = docs.beforeLine(f.span.line);
    if (f.type.kind === 'RecordType') attachFieldDocs(f.type.fields, docs);
  }
}
