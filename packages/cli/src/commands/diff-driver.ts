import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderText } from '@verdict/review';
import type { SourceFile } from '../files.ts';
import { UsageError, type CommandIO } from '../io.ts';
import { diffSides } from './diff.ts';

/**
 * `verdict diff-driver`: git's external diff command (`diff.verdict.command`), so `git diff`
 * shows a `.policy` change by meaning. Git passes `path old-file old-hex old-mode new-file
 * new-hex new-mode` (and the new path for a rename); `/dev/null` is a side that does not exist.
 * It answers 0 whatever it finds: git stops the whole diff on any other exit code.
 */
export async function runDiffDriver(argv: string[], io: CommandIO): Promise<number> {
  if (argv.length !== 7 && argv.length !== 9) throw new UsageError('git runs this with 7 or 9 arguments; configure it as `git config diff.verdict.command "verdict diff-driver"`');
  const [path, oldFile, , , newFile] = argv as [string, string, string, string, string];
  const newPath = argv.length === 9 ? argv[7]! : path;
  const side = (file: string, shown: string): SourceFile[] => (file === '/dev/null' ? [] : [{ display: shown, path: shown, text: readFileSync(resolve(io.cwd, file), 'utf8') }]);
  io.stdout(`verdict diff ${path === newPath ? path : `${path} -> ${newPath}`}\n`);
  try {
    io.stdout(renderText(diffSides(side(oldFile, path), side(newFile, newPath)), { color: io.isTTY }).replace(/^Summary: .*\n/, ''));
  } catch (error) {
    io.stdout(`  (could not compare: ${error instanceof Error ? error.message : String(error)})\n`);
  }
  return 0;
}
