import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { compile, literalValue, type CompiledRuleset } from '@verdict/engine';
import { analyze, hasErrors, parse, type Ruleset } from '@verdict/language';
import {
  compareTests,
  computeImpact,
  diffRuleset,
  renderJson,
  renderMarkdown,
  renderText,
  summarizeReport,
  type DiffReport,
  type ImpactSample,
  type InputChange,
  type ReviewSummary,
  type RulesetVersion,
} from '@verdict/review';
import { parseCommandArgs } from '../args.ts';
import { openInputs } from '../inputs.ts';
import { collectPolicyFiles, type SourceFile } from '../files.ts';
import { isRevision, policyFilesAt } from '../git.ts';
import { UsageError, type CommandIO } from '../io.ts';
import { repositoryRoot, shareablePath } from '../paths.ts';

const FAIL_ON = ['breaking', 'decision-change', 'test-failure'] as const;
type FailOn = (typeof FAIL_ON)[number];

const OPTIONS = {
  format: { type: 'string', default: 'text' },
  inputs: { type: 'string', multiple: true },
  tests: { type: 'boolean', default: false },
  examples: { type: 'string' },
  'exit-code': { type: 'boolean', default: false },
  'fail-on': { type: 'string', multiple: true },
} as const;

/**
 * `verdict diff`: what a change to rulesets means. Compares two files, two
 * directories, or git revisions (`main..HEAD -- rulesets/`; a single revision
 * compares it with the working tree) of the repository the command runs in.
 * Rulesets are paired by name, so a renamed file is still one ruleset.
 *
 * Exit codes: 0 when it could compare; with --exit-code 0 for no semantic change,
 * 2 for changes and 1 for an error; with --fail-on, 2 only when one of the named
 * conditions holds (and 1 for an error).
 */
export async function runDiff(argv: string[], io: CommandIO): Promise<number> {
  // Decided before parsing, so a usage error is exit 1 in CI mode as promised.
  const ciMode = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length).some((a) => a === '--exit-code' || a.startsWith('--fail-on'));
  try {
    return await diff(argv, io);
  } catch (error) {
    if (!ciMode) throw error;
    io.stderr(`verdict diff: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function diff(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals, paths } = parseCommandArgs('diff', argv, OPTIONS, io);
  const format = values.format;
  if (format !== 'text' && format !== 'markdown' && format !== 'json') throw new UsageError('--format is text, markdown or json');
  const maxExamples = values.examples === undefined ? 5 : Number(values.examples);
  if (!Number.isInteger(maxExamples) || maxExamples < 0 || values.examples?.trim() === '') throw new UsageError('--examples is a whole number, 0 or more');
  const failOn = (values['fail-on'] ?? []).flatMap((v) => v.split(',')).map((v) => v.trim());
  for (const f of failOn) if (!(FAIL_ON as readonly string[]).includes(f)) throw new UsageError(`--fail-on is ${FAIL_ON.join(', ')} (got \`${f}\`)`);
  const withTests = values.tests || failOn.includes('test-failure');

  const [before, after] = resolveSides(positionals, paths, io.cwd);
  const root = repositoryRoot(io.cwd);
  const report = diffSides(before, after);
  report.paths = rulesetPaths(before, after, io.cwd, root);
  const inputs: ImpactSample[] = [];
  for (const file of values.inputs ?? []) {
    const source = await openInputs(file, io);
    const name = shareablePath(file, io.cwd, root);
    // One file may feed several rulesets: an input both versions of a ruleset refuse is not its input.
    for await (const item of source.items) if ('value' in item) inputs.push({ source: name, index: item.index, input: item.value, skipIfInvalidInBoth: true });
  }
  if (inputs.length > 0 || withTests) addImpact(report, before, after, inputs, withTests, maxExamples, io);

  if (format === 'json') io.stdout(renderJson(report));
  else if (format === 'markdown') io.stdout(renderMarkdown(report));
  else io.stdout(renderText(report, { color: io.isTTY }));

  const summary = summarizeReport(report);
  if (failOn.length > 0) return failOn.some((f) => holds(f as FailOn, summary)) ? 2 : 0;
  if (values['exit-code']) return summary.semanticChange ? 2 : 0;
  return 0;
}

/** Whether a `--fail-on` condition holds for the report. */
function holds(condition: FailOn, s: ReviewSummary): boolean {
  if (condition === 'breaking') return s.breakingInputChanges > 0 || s.becameInvalid > 0 || s.rulesets.removed > 0;
  // A decision whose outcome stays but whose `compliant` flips is a changed decision for a caller too.
  if (condition === 'decision-change') return s.decisions.changed > 0 || s.complianceChanged > 0;
  return s.tests !== null && s.tests.failing > 0;
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
  if (!isRevision(revision, cwd)) throw new UsageError(`not a git revision: ${revision} (in ${cwd})`);
  return policyFilesAt(revision, paths, cwd);
}

/** Each file's parse, read once for the diff and the file's ruleset name. */
const parsed = new WeakMap<SourceFile, RulesetVersion>();

function parsedOf(file: SourceFile): RulesetVersion {
  let version = parsed.get(file);
  if (version === undefined) {
    version = { source: file.text, ast: parse(file.text).ast };
    parsed.set(file, version);
  }
  return version;
}

function rulesetName(file: SourceFile): string {
  return parsedOf(file).ast.name.name || file.display;
}

/** Each ruleset's file (the new side's, else the old one's), as a path fit to share. */
function rulesetPaths(before: SourceFile[], after: SourceFile[], cwd: string, root: string | null): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const file of [...before, ...after]) {
    // Files read from git already carry their path in the repository.
    paths[rulesetName(file)] = file.revision !== undefined ? file.path : shareablePath(file.path, cwd, root);
  }
  return paths;
}

/** Pairs rulesets by name and diffs each pair. */
export function diffSides(before: SourceFile[], after: SourceFile[]): DiffReport {
  const index = (files: SourceFile[]): Map<string, RulesetVersion> => {
    const map = new Map<string, RulesetVersion>();
    for (const file of files) map.set(rulesetName(file), parsedOf(file));
    return map;
  };
  const old = index(before);
  const now = index(after);
  const names = [...new Set([...old.keys(), ...now.keys()])].sort();
  return { rulesets: names.map((name) => diffRuleset(old.get(name) ?? null, now.get(name) ?? null)), impact: {} };
}

interface Compiled {
  ast: Ruleset;
  source: string;
  ruleset: CompiledRuleset;
}

function compileAll(files: SourceFile[]): Map<string, Compiled> {
  const map = new Map<string, Compiled>();
  for (const file of files) {
    const analysis = analyze(file.text);
    if (hasErrors(analysis.diagnostics)) continue;
    const ruleset = compile(analysis).ruleset;
    if (ruleset !== undefined) map.set(ruleset.name, { ast: analysis.ast, source: file.text, ruleset });
  }
  return map;
}

/**
 * Decision impact for every ruleset whose meaning changed and whose two
 * versions compile: the given inputs (those at least one version accepts)
 * and, with --tests, both versions' test inputs; and with --tests each
 * version's tests run on that version.
 */
function addImpact(report: DiffReport, before: SourceFile[], after: SourceFile[], inputs: ImpactSample[], withTests: boolean, maxExamples: number, io: CommandIO): void {
  const old = compileAll(before);
  const now = compileAll(after);
  for (const diff of report.rulesets) {
    if (!diff.semanticChange) continue;
    const a = old.get(diff.name);
    const b = now.get(diff.name);
    if (withTests && b !== undefined && (a !== undefined || diff.status === 'added')) {
      const tested = (c: Compiled) => ({ ast: c.ast, source: c.source, compiled: c.ruleset });
      // A new ruleset is compared with one that has no tests.
      const none = { ...tested(b), ast: { ...b.ast, decls: [] } };
      (report.tests ??= {})[diff.name] = compareTests(a === undefined ? none : tested(a), tested(b));
    }
    if (diff.status !== 'changed') continue;
    if (a === undefined || b === undefined) {
      io.stderr(`verdict diff: no impact for ${diff.name}: ${a === undefined && b === undefined ? 'neither version' : a === undefined ? 'the old version' : 'the new version'} does not compile\n`);
      continue;
    }
    const samples: ImpactSample[] = [...inputs];
    if (withTests) samples.push(...testSamples(a.ast, b.ast, diff.input));
    report.impact[diff.name] = computeImpact(a.ruleset, b.ruleset, samples, { maxExamples });
  }
}

interface TestInput {
  line: number;
  input: unknown;
  params?: Record<string, unknown>;
}

/**
 * Each test once, named: a test both versions have runs in its own form on each; a test one
 * side has runs on both, its input carried over renamed fields for the other side.
 */
function testSamples(before: Ruleset, after: Ruleset, input: InputChange[]): ImpactSample[] {
  const renames = input.filter((c) => c.change === 'renamed').map((c) => ({ from: c.from ?? '', to: c.to ?? '' }));
  const forward = (value: unknown): unknown => renameFields(value, renames.map((r) => [r.from, r.to]));
  const backward = (value: unknown): unknown => renameFields(value, renames.map((r) => [r.to, r.from]));
  const oldTests = testInputs(before);
  const newTests = testInputs(after);
  const samples: ImpactSample[] = [];
  let index = 0;
  for (const [name, test] of newTests) {
    index++;
    const was = oldTests.get(name);
    const own = was ?? { ...test, input: backward(test.input) };
    samples.push({ source: 'tests', index, label: `test "${name}"`, input: own.input, ...(own.params ? { params: own.params } : {}), after: { input: test.input, ...(test.params ? { params: test.params } : {}) } });
  }
  for (const [name, test] of oldTests) {
    if (newTests.has(name)) continue;
    index++;
    samples.push({ source: 'tests', index, label: `test "${name}"`, input: test.input, ...(test.params ? { params: test.params } : {}), after: { input: forward(test.input), ...(test.params ? { params: test.params } : {}) } });
  }
  return samples;
}

function testInputs(ast: Ruleset): Map<string, TestInput> {
  const tests = new Map<string, TestInput>();
  for (const decl of ast.decls) {
    if (decl.kind !== 'Test' || decl.input === null) continue;
    try {
      const input = literalValue(decl.input);
      const params = decl.params === null ? undefined : (literalValue(decl.params) as Record<string, unknown>);
      tests.set(decl.name.value, { line: decl.span.line, input, ...(params === undefined ? {} : { params }) });
    } catch {
      // A test whose input is not a literal is reported by `verdict test`, not here.
    }
  }
  return tests;
}

/** A copy of `value` with the fields at dotted paths moved to their new names (`a.b` -> `a.c`). */
export function renameFields(value: unknown, renames: Array<[string, string]>): unknown {
  if (renames.length === 0) return value;
  const copy = structuredClone(value);
  for (const [from, to] of renames) {
    const fromPath = from.split('.');
    const toLeaf = to.split('.').at(-1)!;
    let parent: unknown = copy;
    for (const key of fromPath.slice(0, -1)) parent = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
    if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) continue;
    const record = parent as Record<string, unknown>;
    const leaf = fromPath.at(-1)!;
    if (!(leaf in record)) continue;
    record[toLeaf] = record[leaf];
    delete record[leaf];
  }
  return copy;
}
