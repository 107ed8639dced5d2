/** Quick fixes in Monaco: the language service's code actions over the worker's latest diagnostics. */
import type { Diagnostic } from '@verdict/language';
import { codeActions } from '@verdict/language-service';
import { monaco } from '../monaco.ts';
import { MARKER_OWNER } from './diagnostics.ts';
import { toLspPosition, toMonacoRange } from './lsp-monaco.ts';

export function registerQuickFixes(languageId: string, current: () => Diagnostic[]): monaco.IDisposable {
  return monaco.languages.registerCodeActionProvider(languageId, {
    provideCodeActions(model, range, context) {
      const ours = context.markers.filter((m) => m.source === MARKER_OWNER);
      const lspRange = { start: toLspPosition(range.getStartPosition()), end: toLspPosition(range.getEndPosition()) };
      const actions = codeActions(current(), model.uri.toString(), lspRange).map((action): monaco.languages.CodeAction => {
        const edits = action.edit?.changes?.[model.uri.toString()] ?? [];
        const marker = ours.filter((m) => action.diagnostics?.some((d) => d.code === m.code && d.range.start.line + 1 === m.startLineNumber && d.range.start.character + 1 === m.startColumn));
        return {
          title: action.title,
          kind: 'quickfix',
          diagnostics: marker,
          isPreferred: true,
          edit: { edits: edits.map((e) => ({ resource: model.uri, versionId: model.getVersionId(), textEdit: { range: toMonacoRange(e.range), text: e.newText } })) },
        };
      });
      return { actions, dispose: () => {} };
    },
  });
}
