/** The checker's diagnostics as LSP diagnostics: code, severity, the hint appended to the message, related spans. */
import type { Diagnostic as VerdictDiagnostic } from '@verdict/language';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { spanRange, type SourceFile } from './source.ts';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

export const DIAGNOSTIC_SOURCE = 'verdict';

export function toLspDiagnostic(d: VerdictDiagnostic, uri: string): Diagnostic {
  const range = spanRange(d.span);
  // An empty span (a missing token) is shown on one character so it can be seen.
  if (range.start.line === range.end.line && range.end.character <= range.start.character) range.end = { line: range.start.line, character: range.start.character + 1 };
  const result: Diagnostic = { range, severity: SEVERITY[d.severity], code: d.code, source: DIAGNOSTIC_SOURCE, message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message };
  if (d.related) result.relatedInformation = d.related.map((r) => ({ location: { uri, range: spanRange(r.span) }, message: r.message }));
  return result;
}

export function diagnostics(source: SourceFile, uri: string): Diagnostic[] {
  return source.analysis.diagnostics.map((d) => toLspDiagnostic(d, uri));
}
