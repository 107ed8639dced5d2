/** Document symbols (outline, Ctrl+Shift+O, sticky scroll): the ruleset's declarations and tests. */
import type { Span } from '@verdict/language';
import { monaco } from '../monaco.ts';
import { recentAnalysisOf } from './analysis-cache.ts';
import { outlineOf, type OutlineItem, type OutlineKind } from './outline.ts';

const KIND: Record<OutlineKind, monaco.languages.SymbolKind> = {
  rule: monaco.languages.SymbolKind.Function,
  const: monaco.languages.SymbolKind.Constant,
  param: monaco.languages.SymbolKind.Property,
  let: monaco.languages.SymbolKind.Variable,
  output: monaco.languages.SymbolKind.Field,
  table: monaco.languages.SymbolKind.Struct,
  test: monaco.languages.SymbolKind.Event,
  input: monaco.languages.SymbolKind.Interface,
};

/** The outline may be a few edits old: clamp its spans to the model. */
const rangeIn = (model: monaco.editor.ITextModel, s: Span) => model.validateRange(new monaco.Range(s.line, s.column, s.endLine, s.endColumn));

/**
 * `outlineFor` gives the analysis worker's outline for the models it checks
 * (sticky scroll asks on every edit; a main-thread analysis there would delay
 * the worker's reply). Other models (the diff editor's) are analyzed here.
 */
export function registerSymbols(languageId: string, outlineFor: (model: monaco.editor.ITextModel) => OutlineItem[] | null): monaco.IDisposable {
  return monaco.languages.registerDocumentSymbolProvider(languageId, {
    provideDocumentSymbols(model) {
      const items = outlineFor(model) ?? outlineOf(recentAnalysisOf(model).ast);
      return items.map((item) => ({ name: item.name, detail: item.kind, kind: KIND[item.kind], tags: [], range: rangeIn(model, item.span), selectionRange: rangeIn(model, item.selection) }));
    },
  });
}
