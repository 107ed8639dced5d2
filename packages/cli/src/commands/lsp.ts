import { parseArgs } from 'node:util';
import { startStdioServer } from '@verdict/language-server';
import { UsageError, type CommandIO } from '../io.ts';

export const lspUsage = 'verdict lsp --stdio';

/** `verdict lsp --stdio`: the language server for editors (VS Code, Neovim, Zed, Helix), speaking LSP on stdin/stdout. */
export async function runLsp(argv: string[], _io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { stdio: { type: 'boolean', default: false } } });
  if (!values.stdio) throw new UsageError('the language server speaks over stdio: run `verdict lsp --stdio`');
  await startStdioServer();
  return 0;
}
