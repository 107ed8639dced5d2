/**
 * The buffer's `ruleset` header against the ruleset it is edited as: a marker
 * on the header when they differ (the server would refuse the publish with
 * name_mismatch), with a quick fix that renames the header.
 */
import { monaco } from '../monaco.ts';

export const NAME_OWNER = 'ruleset-name';

const HEADER = /^(\s*ruleset\s+)([A-Za-z_][A-Za-z0-9_.]*)/m;

export function nameMarkers(model: monaco.editor.ITextModel, expected: string | null): monaco.editor.IMarkerData[] {
  if (expected === null) return [];
  const text = model.getValue();
  const match = HEADER.exec(text);
  if (match === null || match[2] === expected) return [];
  const start = model.getPositionAt(match.index + match[1]!.length);
  const end = model.getPositionAt(match.index + match[1]!.length + match[2]!.length);
  return [
    {
      severity: monaco.MarkerSeverity.Error,
      code: 'name_mismatch',
      source: NAME_OWNER,
      message: `This buffer declares ruleset \`${match[2]}\` but is edited as \`${expected}\`: publishing would be refused.\nhint: change the header to \`ruleset ${expected}\`, or use New ruleset to start \`${match[2]}\``,
      startLineNumber: start.lineNumber,
      startColumn: start.column,
      endLineNumber: end.lineNumber,
      endColumn: end.column,
    },
  ];
}

export function registerNameFix(languageId: string, expected: () => string | null): monaco.IDisposable {
  return monaco.languages.registerCodeActionProvider(languageId, {
    provideCodeActions(model, _range, context) {
      const name = expected();
      const actions = context.markers
        .filter((m) => m.source === NAME_OWNER && name !== null)
        .map((marker) => ({
          title: `Rename the header to \`${name}\``,
          kind: 'quickfix',
          diagnostics: [marker],
          isPreferred: true,
          edit: { edits: [{ resource: model.uri, versionId: model.getVersionId(), textEdit: { range: new monaco.Range(marker.startLineNumber, marker.startColumn, marker.endLineNumber, marker.endColumn), text: name! } }] },
        }));
      return { actions, dispose: () => {} };
    },
  });
}
