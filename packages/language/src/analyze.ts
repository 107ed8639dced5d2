import type { Ruleset } from './ast.ts';
import { analyzeRules } from './analysis/index.ts';
import { check, type CheckResult } from './checker/index.ts';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { parse, tooDeep } from './parse.ts';

export interface Analysis {
  ast: Ruleset;
  /** Syntax and checker diagnostics together, sorted by position. */
  diagnostics: Diagnostic[];
  check: CheckResult;
}

export interface AnalyzeOptions {
  /**
   * The rule analysis's warnings (VD4xxx: rules that never fire, shadowed rules, unreachable table
   * rows). On by default; a server loading a version that was checked when it was published leaves
   * them out (they change nothing it compiles, and on a large ruleset they take a while).
   */
  findings?: boolean;
}

/** Parse, check and analyse a ruleset source: what `verdict check`, the editor and the engine start from. */
export function analyze(source: string, options: AnalyzeOptions = {}): Analysis {
  const parsed = parse(source);
  try {
    const checked = check(parsed.ast);
    const diagnostics = [...parsed.diagnostics, ...checked.diagnostics];
    // Rule analysis reasons about conditions; on a ruleset with errors it would only add noise.
    if (options.findings !== false && !hasErrors(diagnostics)) diagnostics.push(...analyzeRules(parsed.ast, checked));
    return { ast: parsed.ast, diagnostics: sortDiagnostics(diagnostics), check: checked };
  } catch (error) {
    // The checker and the analysis recurse over expressions: a chain of thousands of `&&` the
    // parser read (iteratively) can still exhaust the stack here. A diagnostic, never an exception.
    return { ast: parsed.ast, diagnostics: sortDiagnostics([...parsed.diagnostics, tooDeep(source, error, 'check')]), check: uncheckable() };
  }
}

/** The check result of a ruleset that could not be checked: nothing known, nothing to compile. */
function uncheckable(): CheckResult {
  return { diagnostics: [], types: new Map(), references: new Map(), symbols: new Map(), input: { kind: 'error' }, outcomes: [], compliant: [] };
}
