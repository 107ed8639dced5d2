/** Hover: the type of the expression under the cursor, what a name refers to (param defaults, docs), builtin signatures, rule docs. */
import { monaco } from '../monaco.ts';
import { analysisOf } from './analysis-cache.ts';
import { hoverAt } from './hover-info.ts';

export function registerHover(languageId: string): monaco.IDisposable {
  return monaco.languages.registerHoverProvider(languageId, {
    provideHover(model, position) {
      const analysis = analysisOf(model);
      const found = hoverAt(analysis, model.getOffsetAt(position));
      if (found === null) return null;
      const start = model.getPositionAt(found.span.start);
      const end = model.getPositionAt(found.span.end);
      return { contents: found.lines.map((value) => ({ value })), range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column) };
    },
  });
}
