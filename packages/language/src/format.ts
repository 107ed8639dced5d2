import type { Diagnostic } from './diagnostics.ts';

export interface FormatResult {
  /** The canonical text, or null when the source has syntax errors (nothing is rewritten). */
  text: string | null;
  diagnostics: Diagnostic[];
}

/** Formats a ruleset canonically. Placeholder until the formatter lands. */
export function format(source: string): FormatResult {
  return { text: source, diagnostics: [] };
}
