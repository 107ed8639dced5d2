/** Go to definition, find references and rename in Monaco: the language service's, over the model's exact analysis. */
import { definition, prepareRename, references, rename, RenameError } from '@verdict/language-service';
import { monaco } from '../monaco.ts';
import { sourceOf } from './analysis-cache.ts';
import { toMonacoRange } from './lsp-monaco.ts';

export function registerNavigation(languageId: string): monaco.IDisposable[] {
  return [
    monaco.languages.registerDefinitionProvider(languageId, {
      provideDefinition(model, position) {
        return definition(sourceOf(model), model.uri.toString(), model.getOffsetAt(position)).map((l) => ({ uri: model.uri, range: toMonacoRange(l.range) }));
      },
    }),
    monaco.languages.registerReferenceProvider(languageId, {
      provideReferences(model, position, context) {
        return references(sourceOf(model), model.uri.toString(), model.getOffsetAt(position), context.includeDeclaration).map((l) => ({ uri: model.uri, range: toMonacoRange(l.range) }));
      },
    }),
    monaco.languages.registerRenameProvider(languageId, {
      resolveRenameLocation(model, position) {
        const found = prepareRename(sourceOf(model), model.getOffsetAt(position));
        if (found === null) return { range: new monaco.Range(position.lineNumber, position.column, position.lineNumber, position.column), text: '', rejectReason: 'Only declared names can be renamed.' };
        return { range: toMonacoRange(found.range), text: found.placeholder };
      },
      provideRenameEdits(model, position, newName) {
        try {
          const edit = rename(sourceOf(model), model.uri.toString(), model.getOffsetAt(position), newName);
          const edits = edit?.changes?.[model.uri.toString()] ?? [];
          return { edits: edits.map((e) => ({ resource: model.uri, versionId: model.getVersionId(), textEdit: { range: toMonacoRange(e.range), text: e.newText } })) };
        } catch (error) {
          if (error instanceof RenameError) return { edits: [], rejectReason: error.message };
          throw error;
        }
      },
    }),
  ];
}
