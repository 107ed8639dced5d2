/** Completion in Monaco: the language service's, on the current text with a recent analysis. */
import { completion } from '@verdict/language-service';
import { monaco } from '../monaco.ts';
import { recentSourceOf } from './analysis-cache.ts';
import { toMonacoCompletion } from './lsp-monaco.ts';

export function registerCompletion(languageId: string): monaco.IDisposable {
  return monaco.languages.registerCompletionItemProvider(languageId, {
    triggerCharacters: ['.', '"', '['],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const items = completion(recentSourceOf(model), model.getOffsetAt(position));
      return { suggestions: items.map((item) => toMonacoCompletion(item, range)) };
    },
  });
}
