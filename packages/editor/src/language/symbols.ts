/** Document symbols (outline, Ctrl+Shift+O): the ruleset's declarations and tests. */
import type { Decl, Span } from '@verdict/language';
import { monaco } from '../monaco.ts';
import { recentAnalysisOf } from './analysis-cache.ts';

const KIND: Partial<Record<Decl['kind'], monaco.languages.SymbolKind>> = {
  Rule: monaco.languages.SymbolKind.Function,
  Const: monaco.languages.SymbolKind.Constant,
  Param: monaco.languages.SymbolKind.Property,
  Let: monaco.languages.SymbolKind.Variable,
  Output: monaco.languages.SymbolKind.Field,
  Table: monaco.languages.SymbolKind.Struct,
  Test: monaco.languages.SymbolKind.Event,
  Input: monaco.languages.SymbolKind.Interface,
};

/** The analysis may be a few edits old: clamp its spans to the model. */
const rangeIn = (model: monaco.editor.ITextModel, s: Span) => model.validateRange(new monaco.Range(s.line, s.column, s.endLine, s.endColumn));

export function registerSymbols(languageId: string): monaco.IDisposable {
  return monaco.languages.registerDocumentSymbolProvider(languageId, {
    provideDocumentSymbols(model) {
      const symbols: monaco.languages.DocumentSymbol[] = [];
      for (const decl of recentAnalysisOf(model).ast.decls) {
        const kind = KIND[decl.kind];
        if (kind === undefined) continue;
        const name = decl.kind === 'Test' ? decl.name.value : 'name' in decl ? decl.name.name : decl.kind.toLowerCase();
        const selection = 'name' in decl && decl.name.span.start >= decl.span.start && decl.name.span.end <= decl.span.end ? decl.name.span : decl.span;
        symbols.push({ name, detail: decl.kind.toLowerCase(), kind, tags: [], range: rangeIn(model, decl.span), selectionRange: rangeIn(model, selection) });
      }
      return symbols;
    },
  });
}
