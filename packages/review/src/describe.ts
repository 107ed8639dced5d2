import type { DeclarationChange, DecisionModelChange, DiffReport, ImpactReport, RuleSummary, RulesetDiff, TestsImpact } from './model.ts';
import { amountOf } from './impact.ts';

/** One line of a review: what happened to what, with old/new text where it helps. */
export interface ReviewItem {
  mark: 'added' | 'removed' | 'changed' | 'breaking' | 'note';
  text: string;
  from?: string | null;
  to?: string | null;
}

export interface ReviewSection {
  title: string;
  items: ReviewItem[];
}

export interface ReviewBlock {
  ruleset: string;
  status: RulesetDiff['status'];
  /** The ruleset's file, relative to the repository, when known. */
  path?: string;
  summary: string;
  sections: ReviewSection[];
}

/**
 * The renderer-neutral reading of a diff report: the terminal and Markdown
 * renderers only decide how each item looks.
 */
export function describeReport(report: DiffReport): ReviewBlock[] {
  return report.rulesets.map((diff) => {
    const block = describeRuleset(diff, report.impact[diff.name], report.tests?.[diff.name]);
    const path = report.paths?.[diff.name];
    return path === undefined ? block : { ...block, path };
  });
}

function describeRuleset(diff: RulesetDiff, impact: ImpactReport | undefined, tests: TestsImpact | undefined): ReviewBlock {
  const sections: ReviewSection[] = [];
  const add = (title: string, items: ReviewItem[]): void => {
    if (items.length > 0) sections.push({ title, items });
  };
  add('Rules', [
    ...diff.rules.added.map((r): ReviewItem => ({ mark: 'added', text: ruleLine(r) })),
    ...diff.rules.removed.map((r): ReviewItem => ({ mark: 'removed', text: ruleLine(r) })),
    ...diff.rules.changed.flatMap((r) =>
      r.changes.map((c): ReviewItem => ({ mark: 'changed', text: `rule \`${r.id}\`: ${c.part}`, from: c.from, to: c.to })),
    ),
  ]);
  add(
    'Input schema',
    diff.input.map((c): ReviewItem => c.change === 'renamed' ? ({
      mark: 'breaking',
      text: `\`${c.from ?? ''}\` renamed to \`${c.to ?? ''}\` (breaking: callers sending \`${c.from ?? ''}\` are refused)`,
    }) : ({
      mark: c.breaking ? 'breaking' : c.change === 'added' ? 'added' : c.change === 'removed' ? 'removed' : 'changed',
      // Compatibility only means something between two versions of the ruleset.
      text: `\`${c.path}\`: ${c.change}${diff.status !== 'changed' ? '' : c.breaking ? ' (breaking)' : ' (compatible)'}`,
      from: c.from,
      to: c.to,
    })),
  );
  add(
    'Declarations',
    diff.declarations.flatMap((d) => (d.change === 'changed' ? changedParts(diff, d) : [declarationLine(d)])),
  );
  add(
    'Tables',
    diff.tables.flatMap((t) => [
      ...t.added.map((row): ReviewItem => ({ mark: 'added', text: `table \`${t.name}\` row \`${row}\`` })),
      ...t.removed.map((row): ReviewItem => ({ mark: 'removed', text: `table \`${t.name}\` row \`${row}\`` })),
      ...t.changed.map((c): ReviewItem => ({ mark: 'changed', text: `table \`${t.name}\` row`, from: c.from, to: c.to })),
    ]),
  );
  if (diff.decision) add('Decision model', describeDecisionModel(diff.decision));
  const settings: ReviewItem[] = [];
  if (diff.weights) settings.push({ mark: 'changed', text: 'score weights', from: weightsText(diff.weights.from), to: weightsText(diff.weights.to) });
  if (diff.errorPolicy) settings.push({ mark: 'changed', text: 'error policy', from: `on error ${diff.errorPolicy.from}`, to: `on error ${diff.errorPolicy.to}` });
  add('Settings', settings);
  add('Tests', [
    ...diff.tests.added.map((t): ReviewItem => ({ mark: 'added', text: `test "${t}"` })),
    ...diff.tests.removed.map((t): ReviewItem => ({ mark: 'removed', text: `test "${t}"` })),
    ...diff.tests.changed.map((t): ReviewItem => ({ mark: 'changed', text: `test "${t}"` })),
  ]);
  if (impact) {
    add('Decision impact', describeImpact(impact));
    add('Inputs that become invalid', describeInvalid(impact));
    add('Outputs', describeOutputs(impact));
    add('Compliance', describeCompliance(impact));
    add('Score', describeScore(impact));
  }
  if (tests) add('Test results', describeTests(tests));
  return { ruleset: diff.name, status: diff.status, summary: summaryOf(diff), sections };
}

/** The decision declaration's change, part by part: precedence, the default, the compliant outcomes, the rules that turn grants. */
function describeDecisionModel(d: DecisionModelChange): ReviewItem[] {
  const items: ReviewItem[] = [];
  if (d.parts.includes('precedence')) {
    items.push({ mark: 'changed', text: 'precedence (the first outcome produced wins)', from: d.from.join(' > '), to: d.to.join(' > ') });
    const [was, is] = [d.from.at(-1), d.to.at(-1)];
    if (was !== is) items.push({ mark: 'changed', text: `default outcome (no rule fired): \`${was ?? '-'}\` -> \`${is ?? '-'}\`` });
  }
  if (d.parts.includes('compliant')) items.push({ mark: 'changed', text: 'compliant outcomes', from: d.compliant.from.join(', '), to: d.compliant.to.join(', ') });
  const names = (rules: string[]): string => rules.map((r) => `\`${r}\``).join(', ');
  if (d.grants !== undefined && d.grants.added.length > 0) {
    items.push({ mark: 'note', text: `now grants (a compliant outcome, left out of the score): ${names(d.grants.added)}` });
  }
  if (d.grants !== undefined && d.grants.removed.length > 0) {
    items.push({ mark: 'note', text: `no longer grants (counted in the score again): ${names(d.grants.removed)}` });
  }
  return items;
}

/** `rule \`id\` (severity): outcome when \`condition\`` (code spans keep Markdown from reading `*` or `_`). */
function ruleLine(r: RuleSummary): string {
  return `rule \`${r.id}\` (${r.severity ?? 'no severity'}): ${r.outcome ?? '?'} when \`${r.condition ?? '?'}\``;
}

function changedParts(diff: RulesetDiff, d: DeclarationChange): ReviewItem[] {
  return d.parts.flatMap((p): ReviewItem[] => {
    if (d.kind === 'table' && p.part === 'rows') {
      // Row edits are listed under Tables; only a pure reordering needs saying here (the first matching row wins).
      if (diff.tables.some((t) => t.name === d.name)) return [];
      return [{ mark: 'changed', text: `${d.kind} \`${d.name}\`: rows reordered (the first matching row wins)` }];
    }
    const readers = [...(d.usedBy ?? []).map((r) => `\`${r}\``), ...(d.outputsUsing ?? []).map((o) => `output \`${o}\``)];
    const users = d.usedBy === undefined && d.outputsUsing === undefined ? '' : readers.length === 0 ? ' (no rule or output uses it)' : ` (used by ${readers.join(', ')})`;
    return [{ mark: 'changed', text: `${d.kind} \`${d.name}\`: ${p.part}${users}`, from: p.from, to: p.to }];
  });
}

/** An added or removed declaration, shown by its source on one line. */
function declarationLine(d: DeclarationChange): ReviewItem {
  const mark = d.change === 'removed' ? 'removed' : 'added';
  const text = (mark === 'removed' ? d.parts[0]?.from : d.parts[0]?.to) ?? null;
  return { mark, text: text !== null ? `\`${text}\`` : `${d.kind} \`${d.name}\`` };
}

function weightsText(weights: Record<string, number>): string {
  return Object.entries(weights)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function summaryOf(diff: RulesetDiff): string {
  if (diff.status === 'added') return 'new ruleset';
  if (diff.status === 'removed') return 'ruleset removed';
  if (!diff.semanticChange) return diff.textChanged ? 'no semantic change (formatting or comments only)' : 'no change';
  const breaking = diff.input.filter((c) => c.breaking).length;
  const declarations = new Map<string, number>();
  for (const d of diff.declarations) declarations.set(`${d.kind} ${d.change}`, (declarations.get(`${d.kind} ${d.change}`) ?? 0) + 1);
  const counts = [
    plural(diff.rules.added.length, 'rule added'),
    plural(diff.rules.removed.length, 'rule removed'),
    plural(diff.rules.changed.length, 'rule changed'),
    plural(breaking, 'breaking input change'),
    plural(diff.input.length - breaking, 'compatible input change'),
    ...[...declarations].map(([what, n]) => plural(n, what)),
    diff.decision ? `decision model changed (${diff.decision.parts.map((p) => (p === 'compliant' ? 'compliant outcomes' : p)).join(', ')})` : '',
    diff.weights ? 'score weights changed' : '',
    diff.errorPolicy ? 'error policy changed' : '',
    plural(diff.tests.added.length, 'test added'),
    plural(diff.tests.removed.length, 'test removed'),
    plural(diff.tests.changed.length, 'test changed'),
  ].filter((s) => s !== '');
  return counts.join(', ');
}

/** `plural(2, 'rule added')` is "2 rules added", `plural(2, 'breaking input change')` "2 breaking input changes". */
function plural(n: number, what: string): string {
  if (n === 0) return '';
  const words = what.split(' ');
  const last = words.length - 1;
  const noun = /^(added|removed|changed)$/.test(words[last] ?? '') ? last - 1 : last;
  return `${n} ${words.map((w, i) => (i === noun && n !== 1 ? w + 's' : w)).join(' ')}`;
}

const INVALID = '(invalid)';

/** Where an example came from: a test by its name, else `file#line`. */
function at(e: { source: string; index: number; label?: string }): string {
  return e.label ?? `${e.source}#${e.index}`;
}

function describeImpact(impact: ImpactReport): ReviewItem[] {
  const transitions = impact.transitions.filter((t) => t.from !== INVALID && t.to !== INVALID);
  const changed = transitions.reduce((n, t) => n + t.count, 0);
  const both = impact.evaluated - impact.validityChanged;
  const items: ReviewItem[] = [
    {
      mark: 'note',
      text: `${changed} of ${both} decisions change (inputs: ${impact.sources.join(', ')})${
        impact.validityChanged === 1 ? '; 1 input changes validity' : impact.validityChanged > 1 ? `; ${impact.validityChanged} inputs change validity` : ''
      }`,
    },
  ];
  for (const t of transitions) items.push({ mark: 'changed', text: `${t.from} -> ${t.to}: ${t.count}` });
  for (const r of impact.rules) {
    const parts = [r.nowFires > 0 ? `now fires on ${r.nowFires}` : '', r.noLongerFires > 0 ? `no longer fires on ${r.noLongerFires}` : ''].filter(Boolean);
    items.push({ mark: 'note', text: `rule \`${r.rule}\`: ${parts.join(', ')}` });
  }
  for (const e of impact.examples) {
    // No rules when the same rules fire with another outcome (a rule's outcome changed).
    const rules = e.rules.length > 0 ? ` (${e.rules.map((r) => `\`${r}\``).join(', ')})` : '';
    items.push({ mark: 'note', text: `example ${at(e)}: ${e.from} -> ${e.to}${rules}: \`${JSON.stringify(e.input)}\`` });
  }
  return items;
}

function describeInvalid(impact: ImpactReport): ReviewItem[] {
  const items: ReviewItem[] = [];
  const { count, examples } = impact.becameInvalid;
  if (count > 0) items.push({ mark: 'breaking', text: `${count} input${count === 1 ? '' : 's'} the old version accepted ${count === 1 ? 'is' : 'are'} refused` });
  for (const e of examples) items.push({ mark: 'note', text: `${at(e)}: \`${e.path || '/'}\` ${e.message}` });
  if (impact.becameValid > 0) items.push({ mark: 'note', text: `${impact.becameValid} input${impact.becameValid === 1 ? '' : 's'} the old version refused ${impact.becameValid === 1 ? 'is' : 'are'} accepted` });
  return items;
}

/** A decimal output (digits in a string) as its digits, like a number; anything else as JSON. */
function amountText(value: unknown): string {
  return typeof value === 'string' && amountOf(value) !== null ? value : JSON.stringify(value);
}

/** `+3.7%`, `-12.5%`, `+0%`. */
export function percentText(p: number): string {
  const rounded = Math.round(p * 10) / 10;
  return `${rounded >= 0 ? '+' : ''}${rounded}%`;
}

function describeOutputs(impact: ImpactReport): ReviewItem[] {
  const both = impact.evaluated - impact.validityChanged;
  return impact.outputs.flatMap((o): ReviewItem[] => {
    const [low, high] = o.percent === null ? ['', ''] : [percentText(o.percent.min), percentText(o.percent.max)];
    const range = o.percent === null ? '' : low === high ? ` (${low})` : ` (${low} to ${high})`;
    return [
      { mark: 'changed', text: `output \`${o.output}\` changes on ${o.changed} of ${both}${range}` },
      ...o.examples.map((e): ReviewItem => ({
        mark: 'note',
        text: `${at(e)}: ${o.output} ${amountText(e.from)} -> ${amountText(e.to)}${e.percent === null ? '' : `, ${percentText(e.percent)}`}`,
      })),
    ];
  });
}

function describeCompliance(impact: ImpactReport): ReviewItem[] {
  const c = impact.compliance;
  if (c.changed === 0) return [];
  const both = impact.evaluated - impact.validityChanged;
  const become = (n: number, what: string): string => (n === 0 ? '' : `${n} become${n === 1 ? 's' : ''} ${what}`);
  const ways = [become(c.becameCompliant, 'compliant'), become(c.becameNonCompliant, 'non-compliant')].filter(Boolean);
  const state = (s: { decision: string; compliant: boolean }): string => `${s.decision} (${s.compliant ? 'compliant' : 'non-compliant'})`;
  return [
    { mark: 'changed', text: `compliance changes on ${c.changed} of ${both} (${ways.join(', ')})` },
    ...c.examples.map((e): ReviewItem => ({ mark: 'note', text: `${at(e)}: ${state(e.from)} -> ${state(e.to)}` })),
  ];
}

function describeScore(impact: ImpactReport): ReviewItem[] {
  if (impact.score.changed === 0) return [];
  const both = impact.evaluated - impact.validityChanged;
  return [
    { mark: 'changed', text: `score changes on ${impact.score.changed} of ${both}` },
    ...impact.score.examples.map((e): ReviewItem => ({ mark: 'note', text: `${at(e)}: score ${scoreText(e.from)} -> ${scoreText(e.to)}` })),
  ];
}

/** A score to four decimals (it is a ratio of weights, often a long fraction). */
function scoreText(score: number): string {
  return String(Math.round(score * 10000) / 10000);
}

function describeTests(tests: TestsImpact): ReviewItem[] {
  const total = tests.after.passed + tests.after.failed;
  const items: ReviewItem[] = [
    {
      mark: tests.after.failed === 0 ? 'note' : 'breaking',
      text: `${tests.after.passed} of ${total} tests pass (before: ${tests.before.passed} of ${tests.before.passed + tests.before.failed})`,
    },
  ];
  for (const t of tests.failing) {
    const was = t.was === 'passed' ? 'passed before, fails now' : t.was === 'failed' ? 'failed before too' : 'new test, fails';
    items.push({ mark: t.was === 'passed' ? 'breaking' : 'removed', text: `test "${t.name}" (line ${t.line}): ${was}: ${t.failures.join('; ')}` });
  }
  for (const name of tests.fixed) items.push({ mark: 'added', text: `test "${name}": failed before, passes now` });
  return items;
}
