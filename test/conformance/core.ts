/** The runner's core: every case through Verdict and cel-js, tallied per file. */
import { caseKey, loadCases, type CelCase } from './cases.ts';
import { runCelJs } from './celjs.ts';
import { DEVIATIONS, type Deviation } from './deviations.ts';
import { runVerdict, type Outcome } from './verdict.ts';

export interface CaseResult {
  case: CelCase;
  verdict: Outcome;
  celjs: Outcome;
  /** Set when the case is a listed deviation (its Verdict result does not count). */
  deviation?: Deviation;
}

export interface FileReport {
  file: string;
  total: number;
  passed: number;
  failed: number;
  deviations: number;
  celPassed: number;
  celFailed: number;
  results: CaseResult[];
}

export interface Report {
  files: FileReport[];
  total: number;
  passed: number;
  failed: number;
  deviations: number;
  /** Listed deviations that Verdict now passes (the list should drop them). */
  staleDeviations: string[];
  /** Listed deviations that match no case in the corpus. */
  unknownDeviations: string[];
}

export function runFile(path: string): FileReport {
  const cases = loadCases(path);
  const results = cases.map((c): CaseResult => {
    const deviation = DEVIATIONS[caseKey(c)];
    const r: CaseResult = { case: c, verdict: runVerdict(c), celjs: runCelJs(c) };
    if (deviation) r.deviation = deviation;
    return r;
  });
  const count = (f: (r: CaseResult) => boolean) => results.filter(f).length;
  return {
    file: cases[0]?.file ?? path,
    total: results.length,
    passed: count((r) => r.verdict.pass && !r.deviation),
    failed: count((r) => !r.verdict.pass && !r.deviation),
    deviations: count((r) => r.deviation !== undefined),
    celPassed: count((r) => r.celjs.pass),
    celFailed: count((r) => !r.celjs.pass),
    results,
  };
}

export function runConformance(paths: string[]): Report {
  const files = paths.map(runFile);
  const sum = (f: (r: FileReport) => number) => files.reduce((n, r) => n + f(r), 0);
  const all = files.flatMap((f) => f.results);
  const seen = new Set(all.map((r) => caseKey(r.case)));
  return {
    files,
    total: sum((f) => f.total),
    passed: sum((f) => f.passed),
    failed: sum((f) => f.failed),
    deviations: sum((f) => f.deviations),
    staleDeviations: all.filter((r) => r.deviation && r.verdict.pass).map((r) => caseKey(r.case)),
    unknownDeviations: paths.length > 0 ? Object.keys(DEVIATIONS).filter((k) => !seen.has(k) && files.some((f) => k.startsWith(`${f.file}/`))) : [],
  };
}
