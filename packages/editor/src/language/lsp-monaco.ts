/** LSP-shaped results of @verdict/language-service as Monaco's: 0-based positions -> 1-based, kinds by name. */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver-types';
import { monaco } from '../monaco.ts';

export function toMonacoRange(range: Range): monaco.IRange {
  return { startLineNumber: range.start.line + 1, startColumn: range.start.character + 1, endLineNumber: range.end.line + 1, endColumn: range.end.character + 1 };
}

export function toLspPosition(position: monaco.IPosition): Position {
  return { line: position.lineNumber - 1, character: position.column - 1 };
}

const KIND_NAMES = new Map<number, string>(Object.entries(CompletionItemKind).map(([name, value]) => [value, name]));

function completionKind(kind: CompletionItemKind | undefined): monaco.languages.CompletionItemKind {
  const name = kind === undefined ? undefined : KIND_NAMES.get(kind);
  const kinds = monaco.languages.CompletionItemKind as unknown as Record<string, monaco.languages.CompletionItemKind>;
  return (name !== undefined ? kinds[name] : undefined) ?? monaco.languages.CompletionItemKind.Text;
}

export function toMonacoCompletion(item: CompletionItem, wordRange: monaco.IRange): monaco.languages.CompletionItem {
  const edit = item.textEdit !== undefined && 'range' in item.textEdit ? item.textEdit : undefined;
  const description = item.labelDetails?.description;
  const doc = item.documentation;
  // Markdown docs (a keyword's, with `code`) render as Markdown; plain ones as text.
  const documentation = typeof doc === 'string' || doc === undefined ? doc : doc.kind === MarkupKind.Markdown ? { value: doc.value } : doc.value;
  return {
    label: description === undefined ? item.label : { label: item.label, description },
    kind: completionKind(item.kind),
    insertText: edit?.newText ?? item.insertText ?? item.label,
    insertTextRules: item.insertTextFormat === InsertTextFormat.Snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : monaco.languages.CompletionItemInsertTextRule.None,
    range: edit !== undefined ? toMonacoRange(edit.range) : wordRange,
    ...(item.detail !== undefined ? { detail: item.detail } : {}),
    ...(documentation !== undefined ? { documentation } : {}),
    ...(item.sortText !== undefined ? { sortText: item.sortText } : {}),
    ...(item.filterText !== undefined ? { filterText: item.filterText } : {}),
  };
}
