/** Hover in Monaco: the language service's, over the model's exact analysis. */
import { hover } from '@verdict/language-service';
import { monaco } from '../monaco.ts';
import { sourceOf } from './analysis-cache.ts';
import { toMonacoRange } from './lsp-monaco.ts';

export function registerHover(languageId: string): monaco.IDisposable {
  return monaco.languages.registerHoverProvider(languageId, {
    provideHover(model, position) {
      const found = hover(sourceOf(model), model.getOffsetAt(position));
      if (found === null) return null;
      const value = typeof found.contents === 'object' && 'value' in found.contents ? found.contents.value : String(found.contents);
      return { contents: [{ value }], ...(found.range ? { range: toMonacoRange(found.range) } : {}) };
    },
  });
}
