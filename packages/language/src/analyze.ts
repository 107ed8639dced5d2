import type { Ruleset } from './ast.ts';
import { analyzeRules } from './analysis/index.ts';
import { check, type CheckResult } from './checker/index.ts';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { parse } from './parse.ts';

export interface Analysis {
  ast: Ruleset;
  /** Syntax and checker diagnostics together, sorted by position. */
  diagnostics: Diagnostic[];
  check: CheckResult;
}

/** Parse, check and analyse a ruleset source: what `verdict check`, the editor and the engine start from. */
export function analyze(source: string): Analysis {
  const parsed = parse(source);
  const checked = check(parsed.ast);
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics];
  // Rule analysis reasons about conditions; on a ruleset with errors it would only add noise.
  if (!hasErrors(diagnostics)) diagnostics.push(...analyzeRules(parsed.ast, checked));
  return { ast: parsed.ast, diagnostics: sortDiagnostics(diagnostics), check: checked };
}
