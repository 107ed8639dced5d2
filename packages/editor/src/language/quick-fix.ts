/** Quick fixes: a diagnostic with a `fix` (e.g. "did you mean") becomes a code action on its marker. */
import type { Diagnostic } from '@verdict/language';
import { monaco } from '../monaco.ts';
import { MARKER_OWNER } from './diagnostics.ts';

export function registerQuickFixes(languageId: string, current: () => Diagnostic[]): monaco.IDisposable {
  return monaco.languages.registerCodeActionProvider(languageId, {
    provideCodeActions(model, _range, context) {
      const actions: monaco.languages.CodeAction[] = [];
      for (const marker of context.markers) {
        if (marker.source !== MARKER_OWNER) continue;
        const d = current().find((x) => x.code === marker.code && x.span.line === marker.startLineNumber && x.span.column === marker.startColumn && x.fix !== undefined);
        if (d?.fix === undefined) continue;
        const { span, replacement, title } = d.fix;
        actions.push({
          title,
          kind: 'quickfix',
          diagnostics: [marker],
          isPreferred: true,
          edit: { edits: [{ resource: model.uri, versionId: model.getVersionId(), textEdit: { range: new monaco.Range(span.line, span.column, span.endLine, span.endColumn), text: replacement } }] },
        });
      }
      return { actions, dispose: () => {} };
    },
  });
}
