import { parseArgs } from 'node:util';
import { inputJsonSchema } from '@verdict/language';
import type { CommandIO } from '../io.ts';
import { compileLoaded, loadOneRuleset } from '../load.ts';

/**
 * `verdict schema`: print the JSON Schema (draft 2020-12) of a ruleset's input, or with `--output`
 * of its decisions (outcomes, each rule's violation, typed outputs and suggestions), for services
 * to generate types from.
 */
export async function runSchema(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ruleset: { type: 'string' }, output: { type: 'boolean' } } });
  const loaded = loadOneRuleset(positionals, values.ruleset, io);
  if (loaded === null) return 1;
  const { analysis } = loaded;
  if (values.output !== true) {
    io.stdout(JSON.stringify(inputJsonSchema(analysis.ast), null, 2) + '\n');
    return 0;
  }
  const ruleset = compileLoaded(loaded, io);
  if (ruleset === null) return 1;
  io.stdout(JSON.stringify(ruleset.decisionSchema(), null, 2) + '\n');
  return 0;
}
