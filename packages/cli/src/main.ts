#!/usr/bin/env node
import { processIO, UsageError, type CommandIO } from './io.ts';
import { runCheck, checkUsage } from './commands/check.ts';
import { runFmt, fmtUsage } from './commands/fmt.ts';
import { runSchema, schemaUsage } from './commands/schema.ts';
import { runServe, serveUsage } from './commands/serve.ts';
import { runDiff, diffUsage } from './commands/diff.ts';
import { runEval, evalUsage } from './commands/eval.ts';
import { runTest, testUsage } from './commands/test.ts';
import { runImport, importUsage } from './commands/import.ts';
import { runPublish, publishUsage } from './commands/publish.ts';
import { runPromote, promoteUsage } from './commands/promote.ts';
import { runAudit, auditUsage } from './commands/audit.ts';
import { runLsp, lspUsage } from './commands/lsp.ts';

type Command = { run: (argv: string[], io: CommandIO) => Promise<number>; usage: string; summary: string };

export const COMMANDS: Record<string, Command> = {
  check: { run: runCheck, usage: checkUsage, summary: 'parse and type-check rulesets' },
  fmt: { run: runFmt, usage: fmtUsage, summary: 'format rulesets canonically' },
  schema: { run: runSchema, usage: schemaUsage, summary: "print a ruleset's input JSON Schema" },
  diff: { run: runDiff, usage: diffUsage, summary: 'semantic diff of rulesets: files, directories or git revisions' },
  test: { run: runTest, usage: testUsage, summary: 'run the rulesets\' tests, with rule and condition coverage' },
  eval: { run: runEval, usage: evalUsage, summary: 'evaluate inputs (JSON, JSONL or stdin); one decision per line' },
  import: { run: runImport, usage: importUsage, summary: 'convert json-rules-engine rules into Verdict source' },
  serve: { run: runServe, usage: serveUsage, summary: 'run the HTTP API and editor' },
  publish: { run: runPublish, usage: publishUsage, summary: 'publish a ruleset version to a server' },
  promote: { run: runPromote, usage: promoteUsage, summary: 'point a channel at a version' },
  audit: { run: runAudit, usage: auditUsage, summary: "verify the decision log's hash chain" },
  lsp: { run: runLsp, usage: lspUsage, summary: 'run the language server for editors (LSP over stdio)' },
};

export function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(60)} ${c.summary}`);
  return `usage: verdict <command> [options]\n\n${lines.join('\n')}\n`;
}

/** Runs one CLI invocation; returns the exit code. Never throws. */
export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`verdict: unknown command \`${name}\`\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`verdict ${name}: ${error.message}\nusage: ${command.usage}\n`);
      return 2;
    }
    io.stderr(`verdict ${name}: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 70;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  main(process.argv.slice(2), processIO()).then((code) => {
    process.exitCode = code;
  });
}
