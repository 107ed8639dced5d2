/** Go to definition: an identifier or table call -> the span of the name it refers to (checker `references`). */
import { monaco } from '../monaco.ts';
import { analysisOf } from './analysis-cache.ts';
import { expressionAt } from './ast-walk.ts';

export function registerDefinition(languageId: string): monaco.IDisposable {
  return monaco.languages.registerDefinitionProvider(languageId, {
    provideDefinition(model, position) {
      const analysis = analysisOf(model);
      const expr = expressionAt(analysis.ast, model.getOffsetAt(position));
      if (expr === null) return null;
      const symbol = analysis.check.references.get(expr.id);
      if (symbol === undefined) return null;
      const { span } = symbol;
      return { uri: model.uri, range: new monaco.Range(span.line, span.column, span.endLine, span.endColumn) };
    },
  });
}
