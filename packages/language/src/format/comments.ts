/**
 * Comment re-attachment. The printer walks the AST in source order and, at
 * every "slot" (a declaration, field, rule statement, table row, test
 * statement, list item, map entry, argument, `&&`/`||`/`??` operand), takes
 * from this queue the comments that belong before it (leading), the comments
 * left inside it that no inner slot claimed (leftovers, printed at the end of
 * its line) and the comment on the same source line after it (trailing).
 * Because the walk is in source order, every comment is taken exactly once.
 */
import type { IToken } from 'chevrotain';
import type { Comment } from '../ast.ts';
import { verdictLexer } from '../tokens.ts';
import { breakParent, comment, hardline, lineSuffix, type Doc } from './doc.ts';

/** A slot's comments and body, for the caller to lay out. */
export interface Slot {
  start: number;
  /** Comments before the slot, in order. */
  leading: Comment[];
  /** The slot's own doc. */
  body: Doc;
  /** The first comment left inside the slot or after it on its line, as a line suffix (or ''). */
  trailing: Doc;
  /** Further such comments: the caller prints them on lines of their own after the slot. */
  extra: Comment[];
  /** Where the slot ends in the source, its trailing comment included. */
  end: number;
}

export class CommentQueue {
  private next = 0;
  private readonly tokens: readonly IToken[];

  /** `tokens`: the text's tokens when the caller has them (the parser's), else lexed here. */
  constructor(
    readonly text: string,
    private readonly comments: readonly Comment[],
    tokens?: readonly IToken[],
  ) {
    this.tokens = tokens ?? verdictLexer.tokenize(text).tokens;
  }

  peek(): Comment | undefined {
    return this.comments[this.next];
  }

  /** Whether a comment not yet taken starts inside [start, end). */
  hasCommentIn(start: number, end: number): boolean {
    for (let i = this.next; i < this.comments.length; i++) {
      const c = this.comments[i]!;
      if (c.span.start >= end) return false;
      if (c.span.start >= start) return true;
    }
    return false;
  }

  /** Takes every remaining comment that starts before `offset`. */
  takeBefore(offset: number): Comment[] {
    const out: Comment[] = [];
    for (let c = this.peek(); c !== undefined && c.span.start < offset; c = this.peek()) {
      out.push(c);
      this.next++;
    }
    return out;
  }

  /** Takes the next comment when it sits on the line that `from` is on, before `limit`. */
  takeSameLine(from: number, limit: number): Comment | undefined {
    const c = this.peek();
    if (c === undefined || c.span.start >= limit || c.span.start < from) return undefined;
    if (/[\n\r]/.test(this.text.slice(from, c.span.start))) return undefined;
    this.next++;
    return c;
  }

  /** True when only whitespace precedes the comment on its line. */
  isFullLine(c: Comment): boolean {
    const lineStart = this.text.lastIndexOf('\n', c.span.start - 1) + 1;
    return this.text.slice(lineStart, c.span.start).trim() === '';
  }

  /** True when the source has an empty line between offsets a and b. */
  blankBetween(a: number, b: number): boolean {
    return /\n[ \t\r\f\v\uFEFF]*\n/.test(this.text.slice(a, b));
  }

  /** The index of the first token starting at or after `offset` (tokens.length when none). */
  private indexAfter(offset: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid]!.startOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first token starting at or after `offset`. */
  tokenAfter(offset: number): IToken | undefined {
    return this.tokens[this.indexAfter(offset)];
  }

  /** The last token starting before `offset`. */
  tokenBefore(offset: number): IToken | undefined {
    return this.tokens[this.indexAfter(offset) - 1];
  }

  /** Tokens inside [start, end). */
  tokensIn(start: number, end: number): IToken[] {
    return this.tokens.slice(this.indexAfter(start), this.indexAfter(end));
  }

  /**
   * Runs `print` for a slot spanning [start, end) and collects its comments;
   * `limit` is where the next slot (or the enclosing closing bracket) starts.
   */
  slot(start: number, end: number, limit: number, print: () => Doc, carried: readonly Comment[] = []): Slot {
    const leading = [...carried, ...this.takeBefore(start)];
    const body = print();
    const leftovers = this.takeBefore(end);
    const realEnd = Math.max(end, ...leftovers.map((c) => c.span.end));
    const trailingComment = this.takeSameLine(realEnd, limit);
    const after = trailingComment ? [...leftovers, trailingComment] : leftovers;
    return {
      start,
      leading,
      body,
      trailing: suffixComments(after.slice(0, 1)),
      extra: after.slice(1),
      end: trailingComment ? trailingComment.span.end : realEnd,
    };
  }

  /**
   * Leading comments as full lines (each followed by a newline), keeping one
   * empty line where the source had at least one between them or before `itemStart`.
   * `blankAfter` is a comment that must be followed by an empty line.
   */
  leadingLines(comments: readonly Comment[], itemStart: number, blankAfter?: Comment): Doc {
    const out: Doc[] = [];
    comments.forEach((c, i) => {
      out.push(comment(commentText(c)), hardline);
      const nextStart = comments[i + 1]?.span.start ?? itemStart;
      // An empty line unless the next comment (or the item) sat on the very next line: one kept where
      // the author left one, and one where code stood between, so that a comment which was not part
      // of the item's doc comment does not become part of it.
      const adjacent = /^[ \t\r\f\v]*\n[ \t\r\f\v]*$/.test(this.text.slice(c.span.end, nextStart));
      if (c === blankAfter || !adjacent) out.push(hardline);
    });
    return out;
  }
}

export function commentText(c: Comment): string {
  return c.text.trimEnd();
}

/** Comments printed at the end of the current line (the first) and on lines below it (the rest). */
export function suffixComments(comments: readonly Comment[]): Doc {
  if (comments.length === 0) return '';
  return [...comments.map((c) => lineSuffix(commentText(c))), breakParent];
}
