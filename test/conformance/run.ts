/**
 * `pnpm conformance [--cel FILE.jsonl ...] [--verbose] [--markdown]`: the CEL
 * conformance cases through Verdict's expression compiler, with
 * @marcbachmann/cel-js side by side. Exit 1 when a case fails that is not a
 * listed deviation. `--verbose` also lists the deviations; `--markdown` prints
 * the per-file table for docs/conformance.md first.
 */
import { caseKey, corpusDir, corpusFiles } from './cases.ts';
import { runConformance } from './core.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose') || args.includes('-v');
const markdown = args.includes('--markdown');
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--cel') {
    const f = args[++i];
    if (!f) throw new Error('--cel needs a file');
    files.push(f);
  }
}
const paths = files.length > 0 ? files : corpusFiles();
if (paths.length === 0) {
  process.stderr.write(`no CEL cases found in ${corpusDir()} (set VERDICT_CEL_CORPUS)\n`);
  process.exit(1);
}

const report = runConformance(paths);
if (markdown) {
  const rows = report.files.map((f) => `| ${f.file} | ${f.total} | ${f.passed} | ${f.failed} | ${f.deviations} | ${f.celPassed} | ${f.celFailed} |`);
  const celPassed = report.files.reduce((n, f) => n + f.celPassed, 0);
  process.stdout.write(
    [
      '| file | cases | Verdict passed | Verdict failed | Verdict deviations | cel-js passed | cel-js failed |',
      '|---|--:|--:|--:|--:|--:|--:|',
      ...rows,
      `| **all** | ${report.total} | ${report.passed} | ${report.failed} | ${report.deviations} | ${celPassed} | ${report.total - celPassed} |`,
      '',
      '',
    ].join('\n'),
  );
}
const pad = (s: string | number, n: number) => String(s).padEnd(n);
for (const f of report.files) {
  process.stdout.write(
    `${pad(f.file, 14)} ${pad(f.total, 4)} cases   verdict: ${pad(f.passed, 4)} passed ${pad(f.failed, 3)} failed ${pad(f.deviations, 3)} deviations   cel-js: ${pad(f.celPassed, 4)} passed ${f.celFailed} failed\n`,
  );
  for (const r of f.results) {
    if (!r.verdict.pass && !r.deviation) process.stdout.write(`  FAIL ${caseKey(r.case)}: ${r.case.expr}  ->  ${r.verdict.got}\n`);
    else if (verbose && !r.verdict.pass) process.stdout.write(`  deviation ${caseKey(r.case)}: ${r.case.expr}  ->  ${r.verdict.got}\n`);
  }
}
for (const k of report.staleDeviations) process.stdout.write(`note: listed deviation now passes: ${k}\n`);
const share = report.total === 0 ? 0 : (100 * report.deviations) / report.total;
process.stdout.write(`${report.deviations} deviations of ${report.total} cases (${share.toFixed(1)}%), counted apart\n`);
process.stdout.write(`${report.passed} passed, ${report.failed} failed\n`);
process.exit(report.failed > 0 ? 1 : 0);
