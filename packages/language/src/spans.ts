/**
 * Source spans: line and column counting (`\r\n`, `\r` and `\n` end lines, as in the
 * lexer and Monaco) and the spans of tokens and text ranges.
 */
import type { IToken } from 'chevrotain';
import type * as A from './ast.ts';

/** Where a token inserted by error recovery (no position) is reported when nothing better is known. */
export const NOWHERE: A.Span = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };

/** A 1-based line and column (columns count UTF-16 code units, as chevrotain and Monaco do). */
export interface LineColumn {
  line: number;
  column: number;
}

/**
 * The position of `s[to]`, given `from`'s position `at` (`from <= to`); O(to - from).
 * `\r\n`, a lone `\r` and `\n` each end a line, as in chevrotain's token lines and in
 * the editor (Monaco): counting only `\n` put markers after a lone `\r` a line too high.
 * The `\n` of a `\r\n` is still on the line the `\r` is on.
 */
export function advancePosition(s: string, from: number, to: number, at: LineColumn): LineColumn {
  let { line, column } = at;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { line, column };
}

/**
 * The span of `image[from..to)` inside a token, which may span lines (a triple-quoted
 * string): positions are counted from the token's own, never from the start of the file,
 * so this costs the length of the token only.
 */
export function spanInToken(token: IToken, from: number, to: number): A.Span {
  const at = advancePosition(token.image, 0, from, { line: token.startLine ?? 1, column: token.startColumn ?? 1 });
  return spanFrom(token.image, from, to, at, token.startOffset);
}

/**
 * The span of `s[from..to)` (`from <= to`) when `from`'s position `at` is known; O(to - from).
 * `base` is where `s` starts in the file (a token's or fragment's offset; 0 for the file itself).
 */
export function spanFrom(s: string, from: number, to: number, at: LineColumn, base = 0): A.Span {
  const b = advancePosition(s, from, to, at);
  return { start: base + from, end: base + to, line: at.line, column: at.column, endLine: b.line, endColumn: b.column };
}

export function spanOfTokens(first: IToken, last: IToken): A.Span {
  if (Number.isNaN(first.startOffset)) return Number.isNaN(last.startOffset) ? NOWHERE : spanOfTokens(last, last);
  const endToken = Number.isNaN(last.startOffset) || last.startOffset < first.startOffset ? first : last;
  return {
    start: first.startOffset,
    end: (endToken.endOffset ?? endToken.startOffset) + 1,
    line: first.startLine ?? 1,
    column: first.startColumn ?? 1,
    endLine: endToken.endLine ?? endToken.startLine ?? 1,
    endColumn: (endToken.endColumn ?? endToken.startColumn ?? 0) + 1,
  };
}

export function joinSpans(a: A.Span, b: A.Span): A.Span {
  return { start: a.start, end: b.end, line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}

/**
 * Line and column (1-based) of an offset; `\r\n`, `\r` and `\n` end lines (see advancePosition).
 * O(offset): for diagnostics only, never per token or declaration.
 */
export function spanAt(text: string, offset: number): A.Span {
  const { line, column } = advancePosition(text, 0, offset, { line: 1, column: 1 });
  return { start: offset, end: offset, line, column, endLine: line, endColumn: column };
}

export function spanRange(text: string, start: number, end: number): A.Span {
  const a = spanAt(text, start);
  if (end >= start) return spanFrom(text, start, end, a);
  const b = spanAt(text, end);
  return { start, end, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}
