/** Go to definition, find references and rename, over the occurrence index (one key per named thing). */
import type { Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { occurrences, type Occurrence } from './occurrences.ts';
import { spanRange, type SourceFile } from './source.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function occurrencesOf(source: SourceFile, offset: number): { at: Occurrence; all: Occurrence[] } | null {
  const index = occurrences(source.analysis);
  const at = index.at(offset);
  return at === null ? null : { at, all: index.byKey(at.key) };
}

export function definition(source: SourceFile, uri: string, offset: number): Location[] {
  const found = occurrencesOf(source, offset);
  if (found === null) return [];
  return found.all.filter((o) => o.definition).map((o) => ({ uri, range: spanRange(o.span) }));
}

export function references(source: SourceFile, uri: string, offset: number, includeDeclaration: boolean): Location[] {
  const found = occurrencesOf(source, offset);
  if (found === null) return [];
  return found.all.filter((o) => includeDeclaration || !o.definition).map((o) => ({ uri, range: spanRange(o.span) }));
}

/** The range of the name under the cursor when it can be renamed (a declared name, not a builtin or `value`). */
export function prepareRename(source: SourceFile, offset: number): { range: Range; placeholder: string } | null {
  const found = occurrencesOf(source, offset);
  if (found === null || !found.all.some((o) => o.definition)) return null;
  return { range: spanRange(found.at.span), placeholder: found.at.name };
}

/** Thrown for a rename the language cannot express; the server answers it as a request error. */
export class RenameError extends Error {}

export function rename(source: SourceFile, uri: string, offset: number, newName: string): WorkspaceEdit | null {
  const found = occurrencesOf(source, offset);
  if (found === null || !found.all.some((o) => o.definition)) return null;
  if (!NAME.test(newName)) throw new RenameError(`\`${newName}\` is not a name: use letters, digits and _, not starting with a digit`);
  const edits: TextEdit[] = found.all.map((o) => {
    // A quoted key in a test's map (`"tier": ...`) keeps its quotes.
    const written = source.text.slice(o.span.start, o.span.end);
    const quote = /^["']/.exec(written)?.[0];
    return { range: spanRange(o.span), newText: quote === undefined ? newName : `${quote}${newName}${quote}` };
  });
  return { changes: { [uri]: edits } };
}
