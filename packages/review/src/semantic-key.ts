import type { Span } from '@verdict/language';

/** Keys that carry presentation, not meaning: positions, ids, spelling of literals, comments, statement order. */
const PRESENTATION_KEYS = new Set([
  'span', 'id', 'raw', 'raws', 'doc', 'comments', 'order', 'propertySpan', 'calleeSpan', 'variableSpan', 'valueVariableSpan', 'nameSpan',
]);

/**
 * A canonical string for a node's meaning: two nodes have the same key
 * exactly when they differ only in formatting, comments, literal spelling
 * (`0.10` vs `0.1`) or the order of a rule's statements.
 */
export function semanticKey(node: unknown): string {
  return JSON.stringify(node, (key, value: unknown) => (PRESENTATION_KEYS.has(key) ? undefined : value));
}

export function sameMeaning(a: unknown, b: unknown): boolean {
  return semanticKey(a) === semanticKey(b);
}

/** The source text under a span, on one line with runs of white space folded. */
export function textOf(source: string, span: Span | undefined | null): string | null {
  if (span === undefined || span === null) return null;
  return source.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
}
