import { parseArgs } from 'node:util';
import { analyze, hasErrors, inputJsonSchema } from '@verdict/language';
import { collectPolicyFiles } from '../files.ts';
import { UsageError, type CommandIO } from '../io.ts';
import { renderDiagnostic } from '../render.ts';

export const schemaUsage = 'verdict schema <file|dir> [--ruleset NAME]';

/** `verdict schema`: print the JSON Schema (draft 2020-12) of a ruleset's input. */
export async function runSchema(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ruleset: { type: 'string' } } });
  const analyses = collectPolicyFiles(positionals, io.cwd).map((file) => ({ file, analysis: analyze(file.text) }));
  const chosen = values.ruleset === undefined ? analyses : analyses.filter((a) => a.analysis.ast.name.name === values.ruleset);
  if (chosen.length === 0) {
    const names = analyses.map((a) => a.analysis.ast.name.name).join(', ');
    throw new UsageError(`no ruleset named \`${values.ruleset ?? ''}\` (found: ${names || 'none'})`);
  }
  if (chosen.length > 1) {
    throw new UsageError(`several rulesets found; pick one with --ruleset (${chosen.map((a) => a.analysis.ast.name.name).join(', ')})`);
  }
  const { file, analysis } = chosen[0]!;
  if (hasErrors(analysis.diagnostics)) {
    for (const d of analysis.diagnostics) if (d.severity === 'error') io.stderr(renderDiagnostic(file.display, file.text, d, io.isTTY));
    return 1;
  }
  io.stdout(JSON.stringify(inputJsonSchema(analysis.ast), null, 2) + '\n');
  return 0;
}
