import type { DiffReport, ReviewSummary } from './model.ts';

const INVALID = '(invalid)';

/** Adds up a report: what changed in the rulesets and what that does to decisions, outputs, scores and tests. */
export function summarizeReport(report: DiffReport): ReviewSummary {
  const changed = report.rulesets.filter((d) => d.semanticChange);
  const transitions = new Map<string, { from: string; to: string; count: number }>();
  const outputs = new Map<string, number>();
  let evaluated = 0;
  let becameInvalid = 0;
  let scoreChanged = 0;
  let complianceChanged = 0;
  for (const impact of Object.values(report.impact)) {
    evaluated += impact.evaluated - impact.validityChanged;
    becameInvalid += impact.becameInvalid.count;
    scoreChanged += impact.score.changed;
    complianceChanged += impact.compliance.changed;
    for (const t of impact.transitions) {
      // A refused input is counted apart, not as a decision.
      if (t.from === INVALID || t.to === INVALID) continue;
      const key = `${t.from}\u0000${t.to}`;
      const entry = transitions.get(key) ?? { from: t.from, to: t.to, count: 0 };
      entry.count += t.count;
      transitions.set(key, entry);
    }
    for (const o of impact.outputs) outputs.set(o.output, (outputs.get(o.output) ?? 0) + o.changed);
  }
  const tests = report.tests === undefined ? null : Object.values(report.tests);
  const sortedTransitions = [...transitions.values()].sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return {
    semanticChange: changed.length > 0,
    rulesets: {
      added: changed.filter((d) => d.status === 'added').length,
      removed: changed.filter((d) => d.status === 'removed').length,
      changed: changed.filter((d) => d.status === 'changed').length,
    },
    rules: {
      added: sum(changed.map((d) => d.rules.added.length)),
      removed: sum(changed.map((d) => d.rules.removed.length)),
      changed: sum(changed.map((d) => d.rules.changed.length)),
    },
    decisionModelChanges: changed.filter((d) => d.decision !== null).length,
    breakingInputChanges: sum(changed.filter((d) => d.status === 'changed').map((d) => d.input.filter((c) => c.breaking).length)),
    decisions: { evaluated, changed: sum(sortedTransitions.map((t) => t.count)), transitions: sortedTransitions },
    becameInvalid,
    outputs: [...outputs].map(([output, n]) => ({ output, changed: n })).sort((a, b) => a.output.localeCompare(b.output)),
    scoreChanged,
    complianceChanged,
    tests:
      tests === null
        ? null
        : { failing: sum(tests.map((t) => t.failing.length)), regressions: sum(tests.map((t) => t.failing.filter((f) => f.was === 'passed').length)) },
  };
}

/** The summary as one line: `Summary: 1 ruleset changed; rules: 1 added, 0 removed, 2 changed; 3 of 28 decisions change (deny -> allow: 3); …`. */
export function summaryLine(s: ReviewSummary): string {
  if (!s.semanticChange) return 'Summary: no semantic change';
  const rulesets = [
    s.rulesets.added > 0 ? `${s.rulesets.added} added` : '',
    s.rulesets.removed > 0 ? `${s.rulesets.removed} removed` : '',
    s.rulesets.changed > 0 ? `${s.rulesets.changed} changed` : '',
  ].filter(Boolean);
  const parts = [
    `rulesets: ${rulesets.join(', ')}`,
    `rules: ${s.rules.added} added, ${s.rules.removed} removed, ${s.rules.changed} changed`,
  ];
  if (s.decisionModelChanges > 0) parts.push(`decision model changed in ${s.decisionModelChanges} ruleset${s.decisionModelChanges === 1 ? '' : 's'}`);
  if (s.breakingInputChanges > 0) parts.push(`${s.breakingInputChanges} breaking input change${s.breakingInputChanges === 1 ? '' : 's'}`);
  if (s.decisions.evaluated > 0) {
    const by = s.decisions.transitions.map((t) => `${t.from} -> ${t.to}: ${t.count}`).join(', ');
    parts.push(`${s.decisions.changed} of ${s.decisions.evaluated} decisions change${by === '' ? '' : ` (${by})`}`);
  }
  if (s.becameInvalid > 0) parts.push(`${s.becameInvalid} input${s.becameInvalid === 1 ? '' : 's'} become${s.becameInvalid === 1 ? 's' : ''} invalid`);
  for (const o of s.outputs) parts.push(`output ${o.output} changes on ${o.changed}`);
  if (s.complianceChanged > 0) parts.push(`compliance changes on ${s.complianceChanged}`);
  if (s.scoreChanged > 0) parts.push(`score changes on ${s.scoreChanged}`);
  if (s.tests !== null) parts.push(s.tests.failing === 0 ? 'all tests pass' : `${s.tests.failing} test${s.tests.failing === 1 ? '' : 's'} fail (${s.tests.regressions} passed before)`);
  return `Summary: ${parts.join('; ')}`;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
