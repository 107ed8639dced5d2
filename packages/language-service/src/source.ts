/**
 * One version of a ruleset's text: offsets <-> LSP positions and its analysis,
 * computed once and shared by every feature asked about that version.
 * LSP positions are 0-based lines and UTF-16 characters; `\r\n`, `\r` and `\n`
 * end lines, as in the lexer's spans.
 */
import { analyze, type Analysis, type Span } from '@verdict/language';
import type { Position, Range } from 'vscode-languageserver-types';

export class SourceFile {
  private lineStarts: number[] | null = null;
  private analysisValue: Analysis | null;

  /** `analysis` may be given when the caller already has one (possibly of an earlier version: completion while typing). */
  constructor(
    readonly text: string,
    analysis?: Analysis,
  ) {
    this.analysisValue = analysis ?? null;
  }

  get analysis(): Analysis {
    this.analysisValue ??= analyze(this.text);
    return this.analysisValue;
  }

  private starts(): number[] {
    if (this.lineStarts !== null) return this.lineStarts;
    const starts = [0];
    const text = this.text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
    return starts;
  }

  positionAt(offset: number): Position {
    const starts = this.starts();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - starts[low]! };
  }

  offsetAt(position: Position): number {
    const starts = this.starts();
    if (position.line < 0) return 0;
    if (position.line >= starts.length) return this.text.length;
    const start = starts[position.line]!;
    const next = position.line + 1 < starts.length ? starts[position.line + 1]! : this.text.length;
    return Math.max(start, Math.min(start + position.character, next));
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/** A span's LSP range, from its own lines and columns (no text needed). */
export function spanRange(span: Span): Range {
  return { start: { line: span.line - 1, character: span.column - 1 }, end: { line: span.endLine - 1, character: span.endColumn - 1 } };
}
