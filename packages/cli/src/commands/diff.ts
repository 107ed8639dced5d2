import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compile, literalValue } from '@verdict/engine';
import { analyze, hasErrors, parse, type Ruleset } from '@verdict/language';
import { computeImpact, diffRuleset, renderJson, renderMarkdown, renderText, type DiffReport, type ImpactSample, type RulesetVersion } from '@verdict/review';
import { openInputs } from '../inputs.ts';
import { collectPolicyFiles, type SourceFile } from '../files.ts';
import { isRevision, policyFilesAt } from '../git.ts';
import { UsageError, type CommandIO } from '../io.ts';

export const diffUsage = 'verdict diff <old> <new> | <rev>[..<rev>] [-- <paths>] [--inputs FILE.jsonl]... [--tests] [--format text|markdown|json]';

/**
 * `verdict diff`: what a change to rulesets means. Compares two files, two
 * directories, or git revisions (`main..HEAD -- rulesets/`; a single revision
 * compares it with the working tree). Rulesets are paired by name, so a
 * renamed file is still one ruleset. Exit 0 always when it could compare.
 */
export async function runDiff(argv: string[], io: CommandIO): Promise<number> {
  const dashes = argv.indexOf('--');
  const paths = dashes >= 0 ? argv.slice(dashes + 1) : [];
  const { values, positionals } = parseArgs({
    args: dashes >= 0 ? argv.slice(0, dashes) : argv,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, inputs: { type: 'string', multiple: true }, tests: { type: 'boolean', default: false } },
  });
  const format = values.format;
  if (format !== 'text' && format !== 'markdown' && format !== 'json') throw new UsageError('--format is text, markdown or json');
  const [before, after] = resolveSides(positionals, paths, io.cwd);
  const report = diffSides(before, after);
  const inputs: ImpactSample[] = [];
  for (const file of values.inputs ?? []) {
    const source = await openInputs(file, io);
    // One file may feed several rulesets: an input both versions of a ruleset refuse is not its input.
    for await (const item of source.items) if ('value' in item) inputs.push({ source: file, index: item.index, input: item.value, skipIfInvalidInBoth: true });
  }
  if (inputs.length > 0 || values.tests) addImpact(report, before, after, inputs, values.tests, io);
  if (format === 'json') io.stdout(renderJson(report));
  else if (format === 'markdown') io.stdout(renderMarkdown(report));
  else io.stdout(renderText(report, { color: io.isTTY }));
  return 0;
}

/** The two sets of files to compare, from the command's words. */
export function resolveSides(positionals: string[], paths: string[], cwd: string): [SourceFile[], SourceFile[]] {
  if (positionals.length === 2) {
    const [a, b] = positionals as [string, string];
    return [readSide(a, paths, cwd), readSide(b, paths, cwd)];
  }
  if (positionals.length === 1) {
    const spec = positionals[0]!;
    const range = spec.match(/^(.+?)\.\.(.*)$/);
    if (range) {
      const from = range[1]!;
      const to = range[2] === '' ? 'HEAD' : range[2]!;
      return [revisionSide(from, paths, cwd), revisionSide(to, paths, cwd)];
    }
    if (isRevision(spec, cwd)) return [revisionSide(spec, paths, cwd), collectPolicyFiles(paths.length > 0 ? paths : ['.'], cwd)];
  }
  throw new UsageError('compare two files or directories, or git revisions: `verdict diff main..HEAD -- rulesets/`');
}

function readSide(spec: string, paths: string[], cwd: string): SourceFile[] {
  try {
    statSync(resolve(cwd, spec));
    return collectPolicyFiles([spec], cwd);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (isRevision(spec, cwd)) return revisionSide(spec, paths, cwd);
    throw new UsageError(`not a file, directory or git revision: ${spec}`);
  }
}

function revisionSide(revision: string, paths: string[], cwd: string): SourceFile[] {
  if (!isRevision(revision, cwd)) throw new UsageError(`not a git revision: ${revision}`);
  return policyFilesAt(revision, paths, cwd);
}

/** Pairs rulesets by name and diffs each pair. */
export function diffSides(before: SourceFile[], after: SourceFile[]): DiffReport {
  const index = (files: SourceFile[]): Map<string, RulesetVersion> => {
    const map = new Map<string, RulesetVersion>();
    for (const file of files) {
      const { ast } = parse(file.text);
      map.set(ast.name.name || file.display, { source: file.text, ast });
    }
    return map;
  };
  const old = index(before);
  const now = index(after);
  const names = [...new Set([...old.keys(), ...now.keys()])].sort();
  return { rulesets: names.map((name) => diffRuleset(old.get(name) ?? null, now.get(name) ?? null)), impact: {} };
}

/**
 * Decision impact for every ruleset whose meaning changed and whose two
 * versions compile: the given inputs (those at least one version accepts)
 * and, with --tests, both versions' test inputs.
 */
function addImpact(report: DiffReport, before: SourceFile[], after: SourceFile[], inputs: ImpactSample[], withTests: boolean, io: CommandIO): void {
  const compiled = (files: SourceFile[]) => {
    const map = new Map<string, { ast: Ruleset; ruleset: NonNullable<ReturnType<typeof compile>['ruleset']> }>();
    for (const file of files) {
      const analysis = analyze(file.text);
      if (hasErrors(analysis.diagnostics)) continue;
      const ruleset = compile(analysis).ruleset;
      if (ruleset !== undefined) map.set(ruleset.name, { ast: analysis.ast, ruleset });
    }
    return map;
  };
  const old = compiled(before);
  const now = compiled(after);
  for (const diff of report.rulesets) {
    if (!diff.semanticChange) continue;
    const a = old.get(diff.name);
    const b = now.get(diff.name);
    if (a === undefined || b === undefined) {
      io.stderr(`verdict diff: no impact for ${diff.name}: ${a === undefined && b === undefined ? 'neither version' : a === undefined ? 'the old version' : 'the new version'} compiles or exists\n`);
      continue;
    }
    const samples: ImpactSample[] = [...inputs];
    if (withTests) {
      // Each test once: the new version's, plus old tests the new version dropped.
      const current = testSamples(b.ast);
      const names = new Set(current.map((t) => t.name));
      samples.push(...current, ...testSamples(a.ast).filter((t) => !names.has(t.name)));
    }
    report.impact[diff.name] = computeImpact(a.ruleset, b.ruleset, samples);
  }
}

function testSamples(ast: Ruleset): Array<ImpactSample & { name: string }> {
  const samples: Array<ImpactSample & { name: string }> = [];
  let index = 0;
  for (const decl of ast.decls) {
    if (decl.kind !== 'Test' || decl.input === null) continue;
    index++;
    try {
      const input = literalValue(decl.input);
      const params = decl.params === null ? undefined : (literalValue(decl.params) as Record<string, unknown>);
      samples.push({ source: 'tests', name: decl.name.value, index, input, ...(params === undefined ? {} : { params }) });
    } catch {
      // A test whose input is not a literal is reported by `verdict test`, not here.
    }
  }
  return samples;
}
