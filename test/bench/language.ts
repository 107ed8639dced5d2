/**
 * Language benchmarks: parse + check (+ analysis) of a 10,000-rule ruleset and of a 1,000-line file.
 *
 * Timed twice: as shipped (the package bundled by esbuild, as the editor's Vite build and a deployed
 * service load it) and from source under tsx, whose esbuild transform keeps function names
 * (`keepNames`), which costs the parser's many small closures about a factor of two. The goals are
 * judged on the shipped form.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { analyze as analyzeFromSource } from '@verdict/language';
import { generatedRuleset, rulesetOfLines } from './generate.ts';
import { measure, type BenchResult } from './measure.ts';

type Analyze = typeof analyzeFromSource;

async function bundledAnalyze(): Promise<{ analyze: Analyze; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-bench-'));
  const outfile = join(dir, 'language.mjs');
  await build({ entryPoints: [new URL('../../packages/language/src/index.ts', import.meta.url).pathname], bundle: true, platform: 'neutral', format: 'esm', outfile, logLevel: 'error', mainFields: ['module', 'main'] });
  const module = (await import(pathToFileURL(outfile).href)) as { analyze: Analyze };
  return { analyze: module.analyze, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function languageBenchmarks(): Promise<BenchResult[]> {
  const big = generatedRuleset(10_000);
  const editor = rulesetOfLines(1_000);
  for (const source of [big, editor]) {
    const errors = analyzeFromSource(source).diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`generated ruleset does not check: ${errors[0]!.code} ${errors[0]!.message}`);
  }
  const bundled = await bundledAnalyze();
  try {
    return [
      measure('analyze 10,000 rules (shipped)', () => bundled.analyze(big), { iterations: 5, goalMs: 1000, note: `${big.split('\n').length} lines` }),
      measure('analyze 1,000 lines (shipped)', () => bundled.analyze(editor), { iterations: 50, goalMs: 20, note: 'editor re-check per keystroke' }),
      measure('analyze 10,000 rules (tsx)', () => analyzeFromSource(big), { iterations: 3, note: 'from source, keepNames' }),
      measure('analyze 1,000 lines (tsx)', () => analyzeFromSource(editor), { iterations: 20, note: 'from source, keepNames' }),
    ];
  } finally {
    bundled.cleanup();
  }
}
