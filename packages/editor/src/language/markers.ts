import type { Diagnostic } from '@verdict/language';
import { monaco } from '../monaco.ts';

const SEVERITY = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
} as const;

/** A diagnostic as a Monaco marker: the code shown, the hint appended to the message. */
export function toMarker(d: Diagnostic): monaco.editor.IMarkerData {
  const oneChar = d.span.endLine === d.span.line && d.span.endColumn <= d.span.column;
  return {
    code: d.code,
    severity: SEVERITY[d.severity],
    message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
    startLineNumber: d.span.line,
    startColumn: d.span.column,
    endLineNumber: d.span.endLine,
    endColumn: oneChar ? d.span.column + 1 : d.span.endColumn,
    source: 'verdict',
    ...(d.related
      ? { relatedInformation: d.related.map((r) => ({ resource: monaco.Uri.parse('inmemory://ruleset'), message: r.message, startLineNumber: r.span.line, startColumn: r.span.column, endLineNumber: r.span.endLine, endColumn: r.span.endColumn })) }
      : {}),
  };
}
