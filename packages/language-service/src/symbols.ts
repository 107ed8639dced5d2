/** Document symbols (outline, breadcrumbs, sticky scroll): the ruleset's declarations and tests. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { OutlineItem, OutlineKind } from './outline.ts';
import { spanRange } from './source.ts';

export const SYMBOL_KINDS: Record<OutlineKind, SymbolKind> = {
  rule: SymbolKind.Function,
  const: SymbolKind.Constant,
  param: SymbolKind.Property,
  let: SymbolKind.Variable,
  output: SymbolKind.Field,
  table: SymbolKind.Struct,
  test: SymbolKind.Event,
  input: SymbolKind.Interface,
};

export function documentSymbols(outline: readonly OutlineItem[]): DocumentSymbol[] {
  return outline.map((item) => ({ name: item.name, detail: item.kind, kind: SYMBOL_KINDS[item.kind], range: spanRange(item.span), selectionRange: spanRange(item.selection) }));
}
