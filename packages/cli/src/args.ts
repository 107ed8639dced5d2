import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CommandIO } from './io.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * A command's arguments: options and positionals anywhere before `--`, only paths after it.
 * A path after `--` spelled like one of the command's options (`-- rulesets/ --tests`) is
 * almost always an option put in the wrong place, so it gets a warning; it stays a path.
 */
export function parseCommandArgs<T extends Options>(command: string, argv: string[], options: T, io: CommandIO) {
  const dashes = argv.indexOf('--');
  const before = dashes >= 0 ? argv.slice(0, dashes) : argv;
  const paths = dashes >= 0 ? argv.slice(dashes + 1) : [];
  for (const path of paths) {
    const name = /^--?([^=]+)/.exec(path)?.[1];
    if (name === undefined) continue;
    const known = Object.entries(options).find(([long, spec]) => long === name || spec.short === name);
    if (known !== undefined) {
      io.stderr(`verdict ${command}: warning: \`${path}\` comes after \`--\`, so it is read as a path, not as the option --${known[0]}; put options before \`--\`\n`);
    }
  }
  const { values, positionals } = parseArgs({ args: before, allowPositionals: true, strict: true, options });
  return { values, positionals, paths };
}
