/**
 * The document outline as plain data. The analysis worker computes it from the
 * AST it already has, so the symbol provider (outline, sticky scroll) never
 * runs `analyze()` on the main thread. No Monaco import: this runs in the worker.
 */
import type { Decl, Ruleset, Span } from '@verdict/language';

export type OutlineKind = 'rule' | 'const' | 'param' | 'let' | 'output' | 'table' | 'test' | 'input';

export interface OutlineItem {
  name: string;
  kind: OutlineKind;
  span: Span;
  /** The name's span when it lies inside the declaration, else the declaration's. */
  selection: Span;
}

const KINDS: Partial<Record<Decl['kind'], OutlineKind>> = { Rule: 'rule', Const: 'const', Param: 'param', Let: 'let', Output: 'output', Table: 'table', Test: 'test', Input: 'input' };

export function outlineOf(ast: Ruleset): OutlineItem[] {
  const items: OutlineItem[] = [];
  for (const decl of ast.decls) {
    const kind = KINDS[decl.kind];
    if (kind === undefined) continue;
    const name = decl.kind === 'Test' ? decl.name.value : 'name' in decl ? decl.name.name : kind;
    const selection = 'name' in decl && decl.name.span.start >= decl.span.start && decl.name.span.end <= decl.span.end ? decl.name.span : decl.span;
    items.push({ name, kind, span: decl.span, selection });
  }
  return items;
}
