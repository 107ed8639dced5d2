/** Finding AST nodes by offset, generically: every node has a `span`; expressions also have an `id`. */
import type { Expr, Ruleset, Span } from '@verdict/language';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isSpan(v: unknown): v is Span {
  return isObject(v) && typeof v['start'] === 'number' && typeof v['end'] === 'number' && typeof v['line'] === 'number';
}

/** The innermost expression whose span contains `offset` (end inclusive, so a cursor right after a name finds it). */
export function expressionAt(ast: Ruleset, offset: number): Expr | null {
  let best: Expr | null = null;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isObject(node)) return;
    const span = node['span'];
    if (isSpan(span) && (offset < span.start || offset > span.end)) return;
    if (isSpan(span) && typeof node['id'] === 'number' && typeof node['kind'] === 'string') {
      if (best === null || span.end - span.start <= best.span.end - best.span.start) best = node as unknown as Expr;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'span' && key !== 'comments' && isObject(value)) visit(value);
  };
  visit(ast.decls);
  return best;
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

/** Every expression of the ruleset, outer before inner. */
export function expressionsOf(ast: Ruleset): Expr[] {
  const out: Expr[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isObject(node)) return;
    if (typeof node['id'] === 'number' && typeof node['kind'] === 'string' && isSpan(node['span'])) out.push(node as unknown as Expr);
    for (const [key, value] of Object.entries(node)) if (key !== 'span' && key !== 'comments' && isObject(value)) visit(value);
  };
  visit(ast.decls);
  return out;
}
