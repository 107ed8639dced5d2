import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
// the formatter alone: `verdict fmt` (git's textconv, once per file version) loads no checker, analysis or RE2
import { format } from '@verdict/language/format';
import { collectPolicyFiles } from '../files.ts';
import type { CommandIO } from '../io.ts';
import { renderDiagnostic } from '../render.ts';

/**
 * `verdict fmt`: rewrite files canonically; with --check, list the files that would change and exit 1;
 * with --stdout, print the canonical text instead of writing it (git's `textconv`; a file that cannot be
 * formatted is printed as it is, so `git diff` still shows something).
 */
export async function runFmt(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { check: { type: 'boolean', default: false }, stdout: { type: 'boolean', default: false } } });
  const files = collectPolicyFiles(positionals, io.cwd);
  if (values.stdout) {
    for (const file of files) io.stdout(format(file.text).text ?? file.text);
    return 0;
  }
  let failed = false;
  let changed = 0;
  for (const file of files) {
    const result = format(file.text);
    if (result.text === null) {
      failed = true;
      io.stderr(`${file.display}: not formatted: it has syntax errors\n`);
      for (const d of result.diagnostics) if (d.severity === 'error') io.stderr(renderDiagnostic(file.display, file.text, d, io.isTTY));
      continue;
    }
    if (result.text === file.text) continue;
    changed++;
    if (values.check) io.stdout(`${file.display}\n`);
    else writeFileSync(file.path, result.text);
  }
  if (values.check && changed > 0) {
    io.stderr(`${changed} file${changed === 1 ? '' : 's'} would be reformatted; run \`verdict fmt\`\n`);
    return 1;
  }
  if (!values.check && changed > 0) io.stderr(`formatted ${changed} file${changed === 1 ? '' : 's'}\n`);
  return failed ? 1 : 0;
}
