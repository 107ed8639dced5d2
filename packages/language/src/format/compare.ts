/**
 * Structural equality of two parses, for the formatter's safety net: spans,
 * node ids and comment positions are layout, everything else is meaning
 * (doc comments included, since tools show them).
 */
import type { Comment, Ruleset } from '../ast.ts';

const LAYOUT_KEYS = new Set(['span', 'id', 'propertySpan', 'calleeSpan', 'nameSpan', 'variableSpan', 'valueVariableSpan', 'comments']);

/** A copy of `node` without spans, ids or comment positions; doc comments lose trailing spaces. */
export function stripSpans(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSpans);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (LAYOUT_KEYS.has(key)) continue;
    // where an open record's `...` sits is layout; that it is there is meaning
    if (key === 'rest') out[key] = value !== null;
    else out[key] = key === 'doc' && typeof value === 'string' ? normalizeDoc(value) : stripSpans(value);
  }
  return out;
}

function normalizeDoc(doc: string): string {
  return doc
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/** The comments' texts as a sorted list (the formatter trims trailing spaces). */
export function commentTexts(comments: readonly Comment[]): string[] {
  return comments.map((c) => c.text.trimEnd()).sort();
}

/**
 * The parser gives a doc comment to every item whose line follows a comment
 * line, even to an item that does not start its line (`service: {id: string`
 * gives `id` the doc of `service`). Such docs are an accident of layout, and
 * formatting moves the item to a line of its own: the paths of these items
 * (found in the input), whose docs are not compared.
 */
function midLineDocPaths(node: unknown, text: string, path: string[], out: string[][]): string[][] {
  // `path` is one stack for the whole walk: a copy is made only for the (few) paths kept
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      if (item === null || typeof item !== 'object') continue;
      path.push(String(i));
      midLineDocPaths(item, text, path, out);
      path.pop();
    }
    return out;
  }
  if (node === null || typeof node !== 'object') return out;
  const record = node as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (key === 'span' || key === 'comments' || value === null || typeof value !== 'object') continue;
    path.push(key);
    midLineDocPaths(value, text, path, out);
    path.pop();
  }
  const span = record['span'] as { start: number } | undefined;
  if ('doc' in record && record['kind'] !== 'Ruleset' && span !== undefined && !startsLine(text, span.start)) out.push([...path]);
  return out;
}

/** Whether only white space stands before `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).trim() === '';
}

function clearDocs(tree: unknown, paths: readonly string[][]): unknown {
  for (const path of paths) {
    let node: unknown = tree;
    for (const part of path) node = node === null || typeof node !== 'object' ? undefined : (node as Record<string, unknown>)[part];
    if (node !== null && typeof node === 'object' && 'doc' in node) (node as Record<string, unknown>)['doc'] = null;
  }
  return tree;
}

/** What differs between two parses (of `beforeText` and `afterText`), or null when they mean the same. */
export function meaningDiff(before: Ruleset, beforeText: string, after: Ruleset, afterText: string): string | null {
  const a = commentTexts(before.comments);
  const b = commentTexts(after.comments);
  if (a.length !== b.length) return `${a.length} comments became ${b.length}`;
  if (a.some((text, i) => text !== b[i])) return 'a comment changed';
  const paths = midLineDocPaths(before, beforeText, [], []);
  const x = JSON.stringify(clearDocs(stripSpans(before), paths));
  const y = JSON.stringify(clearDocs(stripSpans(after), paths));
  return x === y ? null : 'the syntax tree changed';
}
