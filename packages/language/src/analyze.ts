import type { Ruleset } from './ast.ts';
import { check, type CheckResult } from './checker/index.ts';
import { sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { parse } from './parse.ts';

export interface Analysis {
  ast: Ruleset;
  /** Syntax and checker diagnostics together, sorted by position. */
  diagnostics: Diagnostic[];
  check: CheckResult;
}

/** Parse and check a ruleset source: what `verdict check`, the editor and the engine start from. */
export function analyze(source: string): Analysis {
  const parsed = parse(source);
  const checked = check(parsed.ast);
  return { ast: parsed.ast, diagnostics: sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]), check: checked };
}
