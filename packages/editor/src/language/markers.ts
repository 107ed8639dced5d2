import type { Diagnostic } from '@verdict/language';
import { toLspDiagnostic } from '@verdict/language-service';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { monaco } from '../monaco.ts';
import { toMonacoRange } from './lsp-monaco.ts';

const SEVERITY: Record<DiagnosticSeverity, monaco.MarkerSeverity> = {
  [DiagnosticSeverity.Error]: monaco.MarkerSeverity.Error,
  [DiagnosticSeverity.Warning]: monaco.MarkerSeverity.Warning,
  [DiagnosticSeverity.Information]: monaco.MarkerSeverity.Info,
  [DiagnosticSeverity.Hint]: monaco.MarkerSeverity.Hint,
};

const RELATED_URI = 'inmemory://ruleset';

/** A diagnostic as a Monaco marker: the language service's LSP diagnostic (code, hint in the message, related spans), in Monaco's shape. */
export function toMarker(d: Diagnostic): monaco.editor.IMarkerData {
  const lsp = toLspDiagnostic(d, RELATED_URI);
  return {
    code: d.code,
    severity: SEVERITY[lsp.severity ?? DiagnosticSeverity.Error],
    message: typeof lsp.message === 'string' ? lsp.message : lsp.message.value,
    ...toMonacoRange(lsp.range),
    source: lsp.source ?? 'verdict',
    ...(lsp.relatedInformation ? { relatedInformation: lsp.relatedInformation.map((r) => ({ resource: monaco.Uri.parse(r.location.uri), message: r.message, ...toMonacoRange(r.location.range) })) } : {}),
  };
}
