/** Quick fixes: every diagnostic with a `fix` (e.g. "did you mean") that touches the range becomes a code action. */
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver-types';
import type { Diagnostic } from '@verdict/language';
import { toLspDiagnostic } from './diagnostics.ts';
import { spanRange } from './source.ts';

function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** `diagnostics`: the checker's, of the text the range is in (the editor passes its worker's, the server its analysis'). */
export function codeActions(diagnostics: readonly Diagnostic[], uri: string, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.fix === undefined) continue;
    const diagnostic = toLspDiagnostic(d, uri);
    if (!overlaps(diagnostic.range, range)) continue;
    actions.push({ title: d.fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: { changes: { [uri]: [{ range: spanRange(d.fix.span), newText: d.fix.replacement }] } } });
  }
  return actions;
}
