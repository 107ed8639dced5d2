/** Span checks shared by the golden and property tests: every span of a tree must fit the text it came from. */
import type { Span } from '../../src/ast.ts';

export interface FoundSpan {
  path: string;
  span: Span;
}

const SPAN_KEYS = ['start', 'end', 'line', 'column', 'endLine', 'endColumn'] as const;

function isSpan(value: unknown): value is Span {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return SPAN_KEYS.every((k) => typeof record[k] === 'number');
}

/** Every span in a tree (`span`, `nameSpan`, `propertySpan`, ...), with the JSON path that holds it. */
export function collectSpans(node: unknown, path = '$', out: FoundSpan[] = []): FoundSpan[] {
  if (typeof node !== 'object' || node === null) return out;
  if (Array.isArray(node)) {
    node.forEach((item, i) => collectSpans(item, `${path}[${i}]`, out));
    return out;
  }
  for (const [key, value] of Object.entries(node)) {
    if (isSpan(value)) out.push({ path: `${path}.${key}`, span: value });
    else collectSpans(value, `${path}.${key}`, out);
  }
  return out;
}

/**
 * Line and column (1-based) of offsets, counted independently of the parser, the way the
 * editor (Monaco) splits lines: at `\r\n`, a lone `\r` and `\n`.
 */
export class Positions {
  private lineStarts: number[] = [0];

  constructor(text: string) {
    for (const m of text.matchAll(/\r\n|\r|\n/g)) this.lineStarts.push(m.index + m[0].length);
  }

  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }
}

/** Problems with one span: outside the text, reversed, or (given positions) line/column not matching its offsets. */
export function spanProblem(text: string, span: Span, positions: Positions | null): string | null {
  const { start, end } = span;
  if (!Number.isInteger(start) || !Number.isInteger(end)) return `non-integer offsets ${start}..${end}`;
  if (start < 0 || end > text.length) return `offsets ${start}..${end} outside the text (length ${text.length})`;
  if (start > end) return `start ${start} after end ${end}`;
  if (span.line > span.endLine || (span.line === span.endLine && span.column > span.endColumn)) {
    return `line/column reversed ${span.line}:${span.column}..${span.endLine}:${span.endColumn}`;
  }
  if (positions !== null) {
    const a = positions.at(start);
    const b = positions.at(end);
    if (a.line !== span.line || a.column !== span.column) return `start ${start} is ${a.line}:${a.column}, span says ${span.line}:${span.column}`;
    if (b.line !== span.endLine || b.column !== span.endColumn) {
      return `end ${end} is ${b.line}:${b.column}, span says ${span.endLine}:${span.endColumn}`;
    }
  }
  return null;
}

/** All span problems in a tree, as `path: problem` lines (empty when every span is sound). */
export function spanProblems(text: string, root: unknown, checkLines = true): string[] {
  const positions = checkLines ? new Positions(text) : null;
  const problems: string[] = [];
  for (const { path, span } of collectSpans(root)) {
    const problem = spanProblem(text, span, positions);
    if (problem !== null) problems.push(`${path}: ${problem}`);
  }
  return problems;
}

/** Nodes whose `span` does not contain the `span` of a node nested inside them. */
export function containmentProblems(root: unknown): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, path: string, outer: { path: string; span: Span } | null): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${path}[${i}]`, outer));
      return;
    }
    const record = node as Record<string, unknown>;
    let here = outer;
    const span = record['span'];
    if (isSpan(span)) {
      if (outer !== null && (span.start < outer.span.start || span.end > outer.span.end)) {
        problems.push(`${path} (${span.start}..${span.end}) is outside ${outer.path} (${outer.span.start}..${outer.span.end})`);
      }
      here = { path, span };
    }
    for (const [key, value] of Object.entries(record)) {
      // The file's comment list is not nested syntax.
      if (key !== 'span' && key !== 'comments') visit(value, `${path}.${key}`, here);
    }
  };
  visit(root, '$', null);
  return problems;
}
