/**
 * Decision impact: evaluate the same inputs with two versions of a ruleset
 * and report what changes: decisions (by transition and by rule), inputs that
 * become invalid (with the failing path), outputs (with relative change for
 * numbers), scores and compliance, with a few examples of each.
 */
import type { CompiledRuleset, EvaluationResult } from '@verdict/engine';
import type { ImpactReport, OutputImpact } from './model.ts';

export interface ImpactSample {
  /** Where the input came from: a file name, `tests`, `decision_log`. */
  source: string;
  /** Its position there (line, test number, log sequence). */
  index: number;
  /** How examples name it instead of `source#index` (a test's name). */
  label?: string;
  input: unknown;
  /** Param overrides for this input (a test's `params`); else the defaults. */
  params?: Record<string, unknown>;
  /** What the new version evaluates instead, when the sample has a form of its own there (a test of the same name). */
  after?: { input: unknown; params?: Record<string, unknown> };
  /** Leave this sample out, uncounted, when both versions refuse it (an input meant for another ruleset). */
  skipIfInvalidInBoth?: boolean;
}

export interface ImpactOptions {
  /** Examples kept per list (decision changes, invalid inputs, each output, score); default 5. */
  maxExamples?: number;
  /** Params for both versions (e.g. a channel's), under each sample's own. */
  params?: Record<string, unknown>;
}

const INVALID = '(invalid)';

export function computeImpact(before: CompiledRuleset, after: CompiledRuleset, samples: Iterable<ImpactSample>, options: ImpactOptions = {}): ImpactReport {
  const maxExamples = options.maxExamples ?? 5;
  const sources = new Set<string>();
  const transitions = new Map<string, { from: string; to: string; count: number }>();
  const rules = new Map<string, { rule: string; nowFires: number; noLongerFires: number }>();
  const outputs = new Map<string, OutputImpact>();
  const report: ImpactReport = {
    sources: [],
    evaluated: 0,
    changed: 0,
    validityChanged: 0,
    transitions: [],
    rules: [],
    examples: [],
    becameInvalid: { count: 0, examples: [] },
    becameValid: 0,
    outputs: [],
    score: { changed: 0, examples: [] },
    compliance: { changed: 0, becameCompliant: 0, becameNonCompliant: 0, examples: [] },
  };
  for (const sample of samples) {
    const old = run(before, sample.input, sample.params, options.params);
    const now = sample.after === undefined ? run(after, sample.input, sample.params, options.params) : run(after, sample.after.input, sample.after.params, options.params);
    if (sample.skipIfInvalidInBoth === true && !old.ok && !now.ok) continue;
    sources.add(sample.source);
    report.evaluated++;
    const where = { source: sample.source, index: sample.index, ...(sample.label === undefined ? {} : { label: sample.label }) };
    const from = old.ok ? old.decision : INVALID;
    const to = now.ok ? now.decision : INVALID;
    if (old.ok !== now.ok) report.validityChanged++;
    if (old.ok && !now.ok) {
      report.becameInvalid.count++;
      const detail = now.error.details[0];
      if (report.becameInvalid.examples.length < maxExamples) {
        report.becameInvalid.examples.push({ ...where, path: detail?.path ?? '', message: detail?.message ?? now.error.message });
      }
    }
    if (!old.ok && now.ok) report.becameValid++;
    if (old.ok && now.ok) {
      compareOutputs(old.outputs, now.outputs, outputs, where, maxExamples);
      if (old.score !== now.score) {
        report.score.changed++;
        if (report.score.examples.length < maxExamples) report.score.examples.push({ ...where, from: old.score, to: now.score });
      }
      // The same outcome may be compliant in one version only (`decision ... compliant` changed).
      if (old.compliant !== now.compliant) {
        const c = report.compliance;
        c.changed++;
        if (now.compliant) c.becameCompliant++;
        else c.becameNonCompliant++;
        // Examples where the outcome stays: a changed outcome is among the decision examples already.
        if (old.decision === now.decision && c.examples.length < maxExamples) {
          c.examples.push({ ...where, from: { decision: old.decision, compliant: old.compliant }, to: { decision: now.decision, compliant: now.compliant } });
        }
      }
    }
    const oldFired = new Set(old.ok ? old.violations.map((v) => v.rule) : []);
    const newFired = new Set(now.ok ? now.violations.map((v) => v.rule) : []);
    const differing: string[] = [];
    for (const rule of newFired) if (!oldFired.has(rule)) {
      entry(rules, rule).nowFires++;
      differing.push(rule);
    }
    for (const rule of oldFired) if (!newFired.has(rule)) {
      entry(rules, rule).noLongerFires++;
      differing.push(rule);
    }
    if (from === to) continue;
    report.changed++;
    const key = `${from}\u0000${to}`;
    const t = transitions.get(key) ?? { from, to, count: 0 };
    t.count++;
    transitions.set(key, t);
    // Validity changes have their own list; examples here are decisions both versions made.
    if (old.ok && now.ok && report.examples.length < maxExamples) report.examples.push({ ...where, input: sample.input, from, to, rules: differing.sort() });
  }
  report.sources = [...sources];
  report.transitions = [...transitions.values()].sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  report.rules = [...rules.values()].sort((a, b) => b.nowFires + b.noLongerFires - (a.nowFires + a.noLongerFires) || a.rule.localeCompare(b.rule));
  report.outputs = [...outputs.values()].sort((a, b) => a.output.localeCompare(b.output));
  return report;
}

function run(ruleset: CompiledRuleset, input: unknown, own: Record<string, unknown> | undefined, shared: Record<string, unknown> | undefined): EvaluationResult {
  const params = { ...(shared ?? {}), ...(own ?? {}) };
  // A param the other version does not declare is dropped rather than failing every input.
  const known = Object.fromEntries(Object.entries(params).filter(([name]) => ruleset.params.some((p) => p.name === name)));
  return ruleset.evaluate(input, { params: known });
}

/** Records each output whose value differs; an output one version lacks differs as a value against null. */
function compareOutputs(
  old: Record<string, unknown>,
  now: Record<string, unknown>,
  outputs: Map<string, OutputImpact>,
  where: { source: string; index: number; label?: string },
  maxExamples: number,
): void {
  for (const name of new Set([...Object.keys(old), ...Object.keys(now)])) {
    const from = old[name] ?? null;
    const to = now[name] ?? null;
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    let o = outputs.get(name);
    if (o === undefined) {
      o = { output: name, changed: 0, percent: null, examples: [] };
      outputs.set(name, o);
    }
    o.changed++;
    const [a, b] = [amountOf(from), amountOf(to)];
    const percent = a !== null && b !== null && a !== 0 ? ((b - a) / Math.abs(a)) * 100 : null;
    if (percent !== null) o.percent = o.percent === null ? { min: percent, max: percent } : { min: Math.min(o.percent.min, percent), max: Math.max(o.percent.max, percent) };
    if (o.examples.length < maxExamples) o.examples.push({ ...where, from, to, percent });
  }
}

function entry(rules: Map<string, { rule: string; nowFires: number; noLongerFires: number }>, rule: string) {
  let e = rules.get(rule);
  if (e === undefined) {
    e = { rule, nowFires: 0, noLongerFires: 0 };
    rules.set(rule, e);
  }
  return e;
}

/** A number, or a decimal output (a JSON string of digits, as a `decimal` leaves a decision), as a number; else null. */
export function amountOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && DECIMAL_TEXT.test(value)) return Number(value);
  return null;
}

const DECIMAL_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
