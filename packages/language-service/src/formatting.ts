/** Formatting: the canonical text as one edit; refused (with the syntax errors) when the text does not parse. */
import { format, type Diagnostic } from '@verdict/language';
import type { TextEdit } from 'vscode-languageserver-types';
import type { SourceFile } from './source.ts';

export type FormatOutcome = { edits: TextEdit[] } | { refused: Diagnostic[] };

export function formatting(source: SourceFile): FormatOutcome {
  const result = format(source.text);
  if (result.text === null) return { refused: result.diagnostics.filter((d) => d.severity === 'error') };
  if (result.text === source.text) return { edits: [] };
  return { edits: [{ range: source.rangeOf(0, source.text.length), newText: result.text }] };
}
