/** Document symbols (outline, Ctrl+Shift+O, sticky scroll) and folding in Monaco: the language service's. */
import { documentSymbols, foldingRanges, outlineOf, type OutlineItem } from '@verdict/language-service';
import { monaco } from '../monaco.ts';
import { recentAnalysisOf, recentSourceOf } from './analysis-cache.ts';
import { toMonacoRange } from './lsp-monaco.ts';

/**
 * `outlineFor` gives the analysis worker's outline for the models it checks
 * (sticky scroll asks on every edit; a main-thread analysis there would delay
 * the worker's reply). Other models (the diff editor's) are analyzed here.
 * The outline may be a few edits old: its ranges are clamped to the model.
 */
export function registerSymbols(languageId: string, outlineFor: (model: monaco.editor.ITextModel) => OutlineItem[] | null): monaco.IDisposable[] {
  return [
    monaco.languages.registerDocumentSymbolProvider(languageId, {
      provideDocumentSymbols(model) {
        const items = outlineFor(model) ?? outlineOf(recentAnalysisOf(model).ast);
        return documentSymbols(items).map((s) => ({ name: s.name, detail: s.detail ?? '', kind: (s.kind - 1) as monaco.languages.SymbolKind, tags: [], range: model.validateRange(toMonacoRange(s.range)), selectionRange: model.validateRange(toMonacoRange(s.selectionRange)) }));
      },
    }),
    monaco.languages.registerFoldingRangeProvider(languageId, {
      provideFoldingRanges(model) {
        return foldingRanges(recentSourceOf(model)).map((r) => ({ start: r.startLine + 1, end: r.endLine + 1, ...(r.kind === 'comment' ? { kind: monaco.languages.FoldingRangeKind.Comment } : {}) }));
      },
    }),
  ];
}
