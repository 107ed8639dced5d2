import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openInputs, progressBar } from '../inputs.ts';
import { UsageError, type CommandIO } from '../io.ts';
import { compileLoaded, loadOneRuleset } from '../load.ts';

/**
 * `verdict eval`: one decision JSON per input, one per line, in input order.
 * A line that is not JSON, or an input the schema refuses, yields an error
 * object on its line and the rest go on. Exit 1 when any line failed.
 */
export async function runEval(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ruleset: { type: 'string' },
      input: { type: 'string' },
      params: { type: 'string' },
      explain: { type: 'boolean', default: false },
    },
  });
  if (values.input === undefined) throw new UsageError('--input is required (a .json or .jsonl file, or - for standard input)');
  const params = values.params === undefined ? undefined : readParams(values.params, io.cwd);
  const loaded = loadOneRuleset(positionals, values.ruleset, io);
  if (loaded === null) return 1;
  const ruleset = compileLoaded(loaded, io);
  if (ruleset === null) return 1;

  const source = await openInputs(values.input, io);
  const bar = progressBar(io, source.totalBytes);
  let failures = 0;
  let done = 0;
  for await (const item of source.items) {
    done++;
    if ('error' in item) {
      failures++;
      io.stdout(JSON.stringify({ line: item.index, error: item.error }) + '\n');
    } else {
      const result = ruleset.evaluate(item.value, { params, explain: values.explain });
      if (!result.ok) failures++;
      io.stdout(JSON.stringify(result.ok ? withoutOk(result) : { line: item.index, error: result.error }) + '\n');
    }
    bar.update(done, source.bytesRead());
  }
  bar.finish();
  return failures > 0 ? 1 : 0;
}

function withoutOk<T extends { ok: true }>(result: T): Omit<T, 'ok'> {
  const { ok: _ok, ...rest } = result;
  return rest;
}

function readParams(path: string, cwd: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch {
    throw new UsageError(`no such params file: ${path}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--params ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`--params ${path} must hold a JSON object of param names to values`);
  }
  return value as Record<string, unknown>;
}
