import { compile, type CompiledRuleset } from '@verdict/engine';
import { analyze, hasErrors, type Analysis } from '@verdict/language';
import { collectPolicyFiles, type SourceFile } from './files.ts';
import { UsageError, type CommandIO } from './io.ts';
import { renderDiagnostic } from './render.ts';

export interface LoadedRuleset {
  file: SourceFile;
  analysis: Analysis;
}

/**
 * Reads the rulesets under `targets` and picks one: the one named by
 * `--ruleset`, or the only one. Prints errors and returns null when the
 * chosen ruleset does not check.
 */
export function loadOneRuleset(targets: string[], name: string | undefined, io: CommandIO): LoadedRuleset | null {
  const all = collectPolicyFiles(targets, io.cwd).map((file) => ({ file, analysis: analyze(file.text) }));
  const chosen = name === undefined ? all : all.filter((a) => a.analysis.ast.name.name === name);
  if (chosen.length === 0) {
    const names = all.map((a) => a.analysis.ast.name.name).join(', ');
    throw new UsageError(`no ruleset named \`${name ?? ''}\` (found: ${names || 'none'})`);
  }
  if (chosen.length > 1) {
    throw new UsageError(`several rulesets found; pick one with --ruleset (${chosen.map((a) => a.analysis.ast.name.name).join(', ')})`);
  }
  const loaded = chosen[0]!;
  if (hasErrors(loaded.analysis.diagnostics)) {
    for (const d of loaded.analysis.diagnostics) {
      if (d.severity === 'error') io.stderr(renderDiagnostic(loaded.file.display, loaded.file.text, d, io.isTTY));
    }
    return null;
  }
  return loaded;
}

/**
 * Compiles a loaded ruleset; when the engine refuses it (a diagnostic only the engine reports,
 * such as VD5006), prints the errors as `loadOneRuleset` does and answers null.
 */
export function compileLoaded(loaded: LoadedRuleset, io: CommandIO): CompiledRuleset | null {
  const compiled = compile(loaded.analysis);
  if (compiled.ruleset !== undefined) return compiled.ruleset;
  for (const d of compiled.diagnostics) {
    if (d.severity === 'error') io.stderr(renderDiagnostic(loaded.file.display, loaded.file.text, d, io.isTTY));
  }
  return null;
}
