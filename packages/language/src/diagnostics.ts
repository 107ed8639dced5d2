import type { Span } from './ast.ts';

/** LSP-compatible severities, so editor markers are a direct mapping. */
export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface RelatedInformation {
  message: string;
  span: Span;
}

/** A problem found in policy source: always data, never an exception. */
export interface Diagnostic {
  /** Stable code, e.g. `VD1003`; every code is documented in grammar/diagnostics.md. */
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  span: Span;
  /** How to fix it, when we know. */
  hint?: string;
  related?: RelatedInformation[];
  /** A replacement that fixes the problem (editor quick fix), e.g. "did you mean". */
  fix?: { span: Span; replacement: string; title: string };
}

export function diagnostic(
  code: string,
  severity: DiagnosticSeverity,
  message: string,
  span: Span,
  extra: Pick<Diagnostic, 'hint' | 'related' | 'fix'> = {},
): Diagnostic {
  const d: Diagnostic = { code, severity, message, span };
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.related !== undefined) d.related = extra.related;
  if (extra.fix !== undefined) d.fix = extra.fix;
  return d;
}

/** Sort by position, then code; keep at most `cap` (the rest summarised by the caller). */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

export const emptySpan: Span = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
