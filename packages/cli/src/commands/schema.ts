import { parseArgs } from 'node:util';
import { inputJsonSchema } from '@verdict/language';
import type { CommandIO } from '../io.ts';
import { loadOneRuleset } from '../load.ts';

export const schemaUsage = 'verdict schema <file|dir> [--ruleset NAME]';

/** `verdict schema`: print the JSON Schema (draft 2020-12) of a ruleset's input. */
export async function runSchema(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ruleset: { type: 'string' } } });
  const loaded = loadOneRuleset(positionals, values.ruleset, io);
  if (loaded === null) return 1;
  const { analysis } = loaded;
  io.stdout(JSON.stringify(inputJsonSchema(analysis.ast), null, 2) + '\n');
  return 0;
}
