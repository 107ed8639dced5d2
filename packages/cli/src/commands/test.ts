import { parseArgs } from 'node:util';
import { compile, runTests, type TestRun } from '@verdict/engine';
import { analyze, hasErrors } from '@verdict/language';
import { collectPolicyFiles } from '../files.ts';
import { UsageError, type CommandIO } from '../io.ts';
import { renderDiagnostic } from '../render.ts';

/**
 * `verdict test`: runs every ruleset's `test` blocks. With --coverage, lists
 * rules never seen firing or passing and `&&`/`||` operands never seen
 * deciding; --min-coverage fails the run under that percentage, so CI can
 * hold it. Exit 1 on any failing test, checker error or coverage shortfall.
 */
export async function runTest(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { coverage: { type: 'boolean', default: false }, 'min-coverage': { type: 'string' }, format: { type: 'string', default: 'text' } },
  });
  if (positionals.length === 0) throw new UsageError('give the .policy files or directories to test');
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError('--format is text or json');
  const given = values['min-coverage'];
  // Number('') and Number(' ') are 0: an empty value is a mistake, not "no threshold"
  const minimum = given === undefined ? null : given.trim() === '' ? Number.NaN : Number(given);
  if (minimum !== null && !(minimum >= 0 && minimum <= 100)) throw new UsageError('--min-coverage is a percentage from 0 to 100');
  const showCoverage = values.coverage || minimum !== null;

  const runs: Array<{ file: string; run: TestRun }> = [];
  let broken = 0;
  for (const file of collectPolicyFiles(positionals, io.cwd)) {
    const analysis = analyze(file.text);
    const compiled = hasErrors(analysis.diagnostics) ? undefined : compile(analysis).ruleset;
    if (compiled === undefined) {
      broken++;
      for (const d of analysis.diagnostics.filter((x) => x.severity === 'error')) io.stderr(renderDiagnostic(file.display, file.text, d, io.isTTY));
      continue;
    }
    runs.push({ file: file.display, run: runTests(analysis.ast, file.text, compiled) });
  }

  const tests = runs.flatMap((r) => r.run.results);
  const failed = tests.filter((t) => !t.passed).length;
  const items = runs.reduce((n, r) => n + r.run.coverage.rules.length * 2 + r.run.coverage.operands.length, 0);
  const covered = runs.reduce((n, r) => n + (r.run.coverage.percent / 100) * (r.run.coverage.rules.length * 2 + r.run.coverage.operands.length), 0);
  const percent = items === 0 ? 100 : (covered / items) * 100;
  const short = minimum !== null && percent + 1e-9 < minimum;

  if (values.format === 'json') {
    io.stdout(JSON.stringify({ passed: tests.length - failed, failed, broken, coverage: Math.round(percent * 10) / 10, files: runs.map((r) => ({ file: r.file, ...r.run })) }, null, 2) + '\n');
  } else {
    for (const { file, run } of runs) io.stdout(renderRun(file, run, showCoverage));
    const coverageText = showCoverage ? `, coverage ${percent.toFixed(1)}%${minimum !== null ? ` (minimum ${minimum}%)` : ''}` : '';
    io.stdout(`\n${tests.length - failed} passed, ${failed} failed${broken > 0 ? `, ${broken} file${broken > 1 ? 's' : ''} did not compile` : ''}${coverageText}\n`);
    if (short) io.stdout(`coverage ${percent.toFixed(1)}% is under the minimum ${minimum}%\n`);
  }
  return failed > 0 || broken > 0 || short ? 1 : 0;
}

function renderRun(file: string, run: TestRun, coverage: boolean): string {
  const lines = [`${file} (${run.ruleset})`];
  for (const t of run.results) {
    lines.push(`  ${t.passed ? '✓' : '✗'} ${t.name}`);
    for (const f of t.failures) lines.push(`      ${file}:${t.line}: ${f}`);
  }
  if (coverage) {
    const { rules, operands, percent } = run.coverage;
    lines.push(`  coverage ${percent.toFixed(1)}%`);
    for (const r of rules) {
      const gaps = [r.fired === 0 ? 'never seen firing' : '', r.passed === 0 ? 'never seen passing' : ''].filter(Boolean);
      lines.push(`    ${gaps.length === 0 ? '✓' : '!'} ${r.rule.padEnd(36)} fired ${String(r.fired).padStart(3)}  passed ${String(r.passed).padStart(3)}${gaps.length ? '  ' + gaps.join(', ') : ''}`);
    }
    for (const o of operands.filter((x) => x.decisive === 0)) lines.push(`    ! ${file}:${o.line}:${o.column} \`${o.text}\` (in ${o.rule}) never decided its condition`);
  }
  return lines.join('\n') + '\n';
}
