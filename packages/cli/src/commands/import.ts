import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '@verdict/language';
import { formatImportIssue, importJsonRulesEngine } from '@verdict/engine';
import { UsageError, type CommandIO } from '../io.ts';

/** Every option, named when an import fails, so the way out is on the screen. */
const OPTIONS_HELP = [
  '--conditions FILE  shared conditions: a JSON object of name to condition (as engine.setCondition takes them), for { "condition": name } references',
  '--rename-facts     rename facts whose names are not identifiers (account-information → account_information); default: quoted fields (`account-information`) that take the facts as sent',
  '--records          a closed input: only the facts and fields the rules read (others refused); default: open records that accept them',
  '--name NAME        the ruleset name (default imported.<file name>)',
  '-o FILE            write the ruleset to FILE instead of standard output',
];

const FORMATS = ['json-rules-engine'];

const HELP = `usage: verdict import --from json-rules-engine <rules.json|-> [options]

Converts json-rules-engine rules (a rule, an array of rules or { "rules": [...] }) into a Verdict ruleset.
Every fact becomes an optional input field, typed by how the rules use it; objects reached by paths are
records of the fields the rules read. The input is open: a fact set may carry facts and fields the rules
never read (accepted and ignored), as json-rules-engine ignores them. With --records it is closed.

options:
${OPTIONS_HELP.map((o) => `  ${o}\n`).join('')}`;

/**
 * `verdict import`: convert another engine's rules into Verdict source, printed
 * or written with -o. Exit 1, listing every problem, when the rules use
 * features that cannot be translated.
 */
export async function runImport(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h', default: false }, from: { type: 'string' }, name: { type: 'string' }, conditions: { type: 'string' }, output: { type: 'string', short: 'o' }, records: { type: 'boolean', default: false }, 'rename-facts': { type: 'boolean', default: false } },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (values.from === undefined) throw new UsageError('--from is required (formats: json-rules-engine)');
  if (!FORMATS.includes(values.from)) throw new UsageError(`unknown format \`${values.from}\` (formats: ${FORMATS.join(', ')})`);
  if (positionals.length !== 1) throw new UsageError('give one rules file (or - for standard input)');
  const file = positionals[0]!;
  let text: string;
  if (file === '-') text = await io.readStdin();
  else {
    try {
      text = readFileSync(resolve(io.cwd, file), 'utf8');
    } catch {
      throw new UsageError(`cannot read \`${file}\``);
    }
  }
  let document: unknown;
  try {
    document = JSON.parse(text) as unknown;
  } catch (error) {
    io.stderr(`verdict import: ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  let conditions: Record<string, unknown> | undefined;
  if (values.conditions !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(resolve(io.cwd, values.conditions), 'utf8')) as unknown;
    } catch (error) {
      throw new UsageError(`cannot read the shared conditions \`${values.conditions}\` as JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`--conditions ${values.conditions} must be a JSON object of name to condition`);
    conditions = parsed as Record<string, unknown>;
  }
  const result = importJsonRulesEngine(document, {
    origin: file === '-' ? 'standard input' : file,
    name: values.name,
    records: values.records,
    renameFacts: values['rename-facts'],
    ...(conditions === undefined ? {} : { conditions }),
  });
  for (const warning of result.warnings) io.stderr(`warning: ${formatImportIssue(warning)}\n`);
  if (!result.ok) {
    io.stderr(`verdict import: cannot import ${file} (${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}):\n`);
    for (const error of result.errors) io.stderr(`  ${formatImportIssue(error)}\n`);
    io.stderr(`options:\n${OPTIONS_HELP.map((o) => `  ${o}\n`).join('')}`);
    return 1;
  }
  // A safety net: what we write must pass `verdict check`.
  const problems = analyze(result.source).diagnostics.filter((d) => d.severity === 'error');
  if (problems.length > 0) {
    io.stderr(`verdict import: internal error: the generated source does not check:\n${problems.map((d) => `  ${d.span.line}:${d.span.column} ${d.code} ${d.message}\n`).join('')}`);
    return 70;
  }
  if (values.output === undefined) {
    io.stdout(result.source);
    return 0;
  }
  writeFileSync(resolve(io.cwd, values.output), result.source);
  io.stdout(`imported ${result.rules.length} rule${result.rules.length === 1 ? '' : 's'} into ${values.output} (ruleset ${result.name})\n`);
  return 0;
}
