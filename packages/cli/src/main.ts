#!/usr/bin/env node
import { resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { COMMANDS } from './commands.ts';
import { processIO, UsageError, type CommandIO } from './io.ts';

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([, c]) => `  ${c.usage}\n      ${c.summary}`);
  return `usage: verdict [-C DIR] <command> [options] [-- paths]\n\n${lines.join('\n')}\n\n-C DIR runs the command as if started in DIR (files, git revisions and paths are read there).\n`;
}

/**
 * Takes the global `-C DIR` out of the arguments (anywhere before `--`, as often as given,
 * each relative to the last, as git does) and answers the directory it names.
 */
export function takeDirectory(argv: string[], cwd: string): { argv: string[]; cwd: string } {
  const out: string[] = [];
  let dir = cwd;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg === '-C') {
      const value = argv[i + 1];
      if (value === undefined || value === '--') throw new UsageError('-C needs a directory');
      dir = resolve(dir, value);
      i++;
      continue;
    }
    if (arg.startsWith('-C') && !arg.startsWith('--')) {
      dir = resolve(dir, arg.slice(2));
      continue;
    }
    out.push(arg);
  }
  return { argv: out, cwd: dir };
}

/**
 * Runs one CLI invocation; returns the exit code. Never throws. `ownProcess`: the process is this
 * command's alone, so it may be tuned for it (not when a test calls `main`).
 */
export async function main(argv: string[], io: CommandIO, ownProcess = false): Promise<number> {
  let args: string[];
  try {
    const taken = takeDirectory(argv, io.cwd);
    args = taken.argv;
    io = { ...io, cwd: taken.cwd };
  } catch (error) {
    io.stderr(`verdict: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`verdict: unknown command \`${name}\`\n${usage()}`);
    return 2;
  }
  // TurboFan's compiles outlast a `fmt --stdout` run (about 50 ms of 300 on two cores; docs/benchmarks.md)
  if (ownProcess && command.brief?.(rest) === true) setFlagsFromString('--no-opt');
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`verdict ${name}: ${error.message}\nusage: ${command.usage}\n`);
      return 2;
    }
    io.stderr(`verdict ${name}: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 70;
  }
}

/** Whether this module is the program node was started with (through a symlink such as npm's `bin` too). */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2), processIO(), true).then((code) => {
    process.exitCode = code;
  });
}
