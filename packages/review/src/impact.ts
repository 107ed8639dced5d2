/**
 * Decision impact: evaluate the same inputs with two versions of a ruleset
 * and report the decisions that change, by transition and by rule, with a
 * few examples.
 */
import type { CompiledRuleset, EvaluationResult } from '@verdict/engine';
import type { ImpactReport } from './model.ts';

export interface ImpactSample {
  /** Where the input came from: a file name, `tests`, `decision_log`. */
  source: string;
  /** Its position there (line, test number, log sequence). */
  index: number;
  input: unknown;
  /** Param overrides for this input (a test's `params`); else the defaults. */
  params?: Record<string, unknown>;
  /** Leave this sample out, uncounted, when both versions refuse it (an input meant for another ruleset). */
  skipIfInvalidInBoth?: boolean;
}

export interface ImpactOptions {
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
  const report: ImpactReport = { sources: [], evaluated: 0, changed: 0, validityChanged: 0, transitions: [], rules: [], examples: [] };
  for (const sample of samples) {
    const old = run(before, sample, options.params);
    const now = run(after, sample, options.params);
    if (sample.skipIfInvalidInBoth === true && !old.ok && !now.ok) continue;
    sources.add(sample.source);
    report.evaluated++;
    const from = old.ok ? old.decision : INVALID;
    const to = now.ok ? now.decision : INVALID;
    if (old.ok !== now.ok) report.validityChanged++;
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
    if (report.examples.length < maxExamples) report.examples.push({ source: sample.source, index: sample.index, input: sample.input, from, to, rules: differing.sort() });
  }
  report.sources = [...sources];
  report.transitions = [...transitions.values()].sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  report.rules = [...rules.values()].sort((a, b) => b.nowFires + b.noLongerFires - (a.nowFires + a.noLongerFires) || a.rule.localeCompare(b.rule));
  return report;
}

function run(ruleset: CompiledRuleset, sample: ImpactSample, shared: Record<string, unknown> | undefined): EvaluationResult {
  const params = { ...(shared ?? {}), ...(sample.params ?? {}) };
  // A param the other version does not declare is dropped rather than failing every input.
  const known = Object.fromEntries(Object.entries(params).filter(([name]) => ruleset.params.some((p) => p.name === name)));
  return ruleset.evaluate(sample.input, { params: known });
}

function entry(rules: Map<string, { rule: string; nowFires: number; noLongerFires: number }>, rule: string) {
  let e = rules.get(rule);
  if (e === undefined) {
    e = { rule, nowFires: 0, noLongerFires: 0 };
    rules.set(rule, e);
  }
  return e;
}
