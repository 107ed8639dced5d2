/**
 * The type checker. PLACEHOLDER: the real checker replaces this file's body
 * (same exported names and shapes).
 */
import type { Ruleset } from '../ast.ts';
import type { Diagnostic } from '../diagnostics.ts';

export interface CheckResult {
  diagnostics: Diagnostic[];
}

export function check(_ast: Ruleset): CheckResult {
  return { diagnostics: [] };
}
