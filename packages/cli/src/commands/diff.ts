import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from '@verdict/language';
import { diffRuleset, renderJson, renderMarkdown, renderText, type DiffReport, type RulesetVersion } from '@verdict/review';
import { collectPolicyFiles, type SourceFile } from '../files.ts';
import { isRevision, policyFilesAt } from '../git.ts';
import { UsageError, type CommandIO } from '../io.ts';

export const diffUsage = 'verdict diff <old> <new> | <rev>[..<rev>] [-- <paths>] [--format text|markdown|json]';

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
    options: { format: { type: 'string', default: 'text' } },
  });
  const format = values.format;
  if (format !== 'text' && format !== 'markdown' && format !== 'json') throw new UsageError('--format is text, markdown or json');
  const [before, after] = resolveSides(positionals, paths, io.cwd);
  const report = diffSides(before, after);
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
