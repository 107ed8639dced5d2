import { parseArgs } from 'node:util';
import { compile, letCovered, runTests, type TestRun } from '@verdict/engine';
import { analyze, hasErrors } from '@verdict/language';
import { collectPolicyFiles } from '../files.ts';
import { UsageError, type CommandIO } from '../io.ts';
import { renderDiagnostic } from '../render.ts';

/**
 * `verdict test`: runs every ruleset's `test` blocks. With --coverage, lists
 * rules never seen firing or passing, `&&`/`||` operands never seen
 * deciding, table rows never matched, table patterns never seen not
 * matching and lets never computed (a boolean let: never seen true, or
 * false); a file that does not compile has no coverage, and fails the run; --min-coverage fails the run under that percentage, so CI can
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
    // the generic closures report the lets, table rows and cells coverage counts (generated code does not)
    const compiled = hasErrors(analysis.diagnostics) ? undefined : compile(analysis, { codegen: false }).ruleset;
    if (compiled === undefined) {
      broken++;
      for (const d of analysis.diagnostics.filter((x) => x.severity === 'error')) io.stderr(renderDiagnostic(file.display, file.text, d, io.isTTY));
      continue;
    }
    runs.push({ file: file.display, run: runTests(analysis.ast, file.text, compiled) });
  }

  const tests = runs.flatMap((r) => r.run.results);
  const failed = tests.filter((t) => !t.passed).length;
  const items = runs.reduce((n, r) => n + r.run.coverage.items, 0);
  const covered = runs.reduce((n, r) => n + r.run.coverage.covered, 0);
  // a file that did not compile has no coverage to report: no percentage stands for it
  const percent = broken > 0 ? null : items === 0 ? 100 : (covered / items) * 100;
  const short = minimum !== null && (percent === null || percent + 1e-9 < minimum);

  if (values.format === 'json') {
    io.stdout(JSON.stringify({ passed: tests.length - failed, failed, broken, coverage: percent === null ? null : Math.round(percent * 10) / 10, files: runs.map((r) => ({ file: r.file, ...r.run })) }, null, 2) + '\n');
  } else {
    for (const { file, run } of runs) io.stdout(renderRun(file, run, showCoverage));
    const coverageText = !showCoverage ? '' : percent === null ? ', no coverage (a file did not compile)' : `, coverage ${percent.toFixed(1)}%${minimum !== null ? ` (minimum ${minimum}%)` : ''}`;
    io.stdout(`\n${tests.length - failed} passed, ${failed} failed${broken > 0 ? `, ${broken} file${broken > 1 ? 's' : ''} did not compile` : ''}${coverageText}\n`);
    if (short && percent !== null) io.stdout(`coverage ${percent.toFixed(1)}% is under the minimum ${minimum}%\n`);
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
    for (const r of run.coverage.rows.filter((x) => x.matched === 0)) lines.push(`    ! ${file}:${r.line} row ${r.row} of table ${r.table} never matched`);
    for (const c of run.coverage.cells.filter((x) => x.rejected === 0)) lines.push(`    ! ${file}:${c.line}:${c.column} \`${c.text}\` (table ${c.table}, row ${c.row}, ${c.param}) never seen not matching`);
    for (const l of run.coverage.lets.filter((x) => !letCovered(x))) {
      lines.push(`    ! ${file}:${l.line} let ${l.let} ${l.computed === 0 ? 'never computed' : `never seen ${l.seenTrue ? 'false' : 'true'}`}`);
    }
  }
  return lines.join('\n') + '\n';
}
