import { parseArgs } from 'node:util';
import { analyze } from '@verdict/language';
import { collectPolicyFiles } from '../files.ts';
import type { CommandIO } from '../io.ts';
import { renderDiagnostic, summary } from '../render.ts';

/** `verdict check`: parse and type-check rulesets; exit 1 when any has an error. */
export async function runCheck(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string', default: 'text' } } });
  const files = collectPolicyFiles(positionals, io.cwd);
  let errors = 0;
  let warnings = 0;
  const report: Array<{ file: string; ruleset: string; diagnostics: unknown[] }> = [];
  for (const file of files) {
    const analysis = analyze(file.text);
    for (const d of analysis.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      if (values.format === 'text') io.stdout(renderDiagnostic(file.display, file.text, d, io.isTTY));
    }
    report.push({ file: file.display, ruleset: analysis.ast.name.name, diagnostics: analysis.diagnostics });
  }
  if (values.format === 'json') io.stdout(JSON.stringify({ files: report, errors, warnings }, null, 2) + '\n');
  else io.stdout(summary(errors, warnings, files.length));
  return errors > 0 ? 1 : 0;
}
