/**
 * describeReport on hand-built diffs: the one-line summary counts every kind
 * of change with the right plurals, and impact examples read well.
 */
import { describe, expect, it } from 'vitest';
import { describeReport, type ImpactReport, type InputChange, type RulesetDiff } from '../src/index.ts';

function emptyDiff(overrides: Partial<RulesetDiff> = {}): RulesetDiff {
  return {
    name: 't.summary',
    status: 'changed',
    semanticChange: true,
    textChanged: true,
    rules: { added: [], removed: [], changed: [] },
    input: [],
    declarations: [],
    tables: [],
    decision: null,
    weights: null,
    errorPolicy: null,
    tests: { added: [], removed: [], changed: [] },
    ...overrides,
  };
}

const rule = (id: string) => ({ id, outcome: 'deny', severity: 'high', condition: 'x > 1', line: 1 });
const input = (path: string, breaking: boolean): InputChange => ({ path, change: 'added', from: null, to: `${path}: string`, breaking });
const summary = (diff: RulesetDiff): string => describeReport({ rulesets: [diff], impact: {} })[0]!.summary;

describe('summary', () => {
  it('pluralises the noun, not the adjective', () => {
    const diff = emptyDiff({
      rules: { added: [rule('a'), rule('b')], removed: [rule('c')], changed: [] },
      input: [input('x', true), input('y', true), input('z', false)],
      declarations: [
        { kind: 'const', name: 'A', change: 'changed', parts: [] },
        { kind: 'const', name: 'B', change: 'changed', parts: [] },
        { kind: 'param', name: 'p', change: 'added', parts: [] },
      ],
      tests: { added: ['t1', 't2'], removed: [], changed: ['t3'] },
    });
    expect(summary(diff)).toBe('2 rules added, 1 rule removed, 2 breaking input changes, 1 compatible input change, 2 consts changed, 1 param added, 2 tests added, 1 test changed');
  });

  it('names the settings that changed', () => {
    const decision = { from: ['deny', 'allow'], to: ['allow', 'deny'], compliant: { from: ['allow'], to: ['deny'] }, parts: ['precedence' as const, 'compliant' as const] };
    const diff = emptyDiff({ decision, errorPolicy: { from: 'fire', to: 'skip' } });
    expect(summary(diff)).toBe('decision model changed (precedence, compliant outcomes), error policy changed');
  });

  it('describes a decision model change part by part: precedence, the default, compliant outcomes, grants', () => {
    const decision = {
      from: ['deny', 'allow'],
      to: ['forbid', 'permit', 'deny'],
      compliant: { from: ['allow'], to: ['permit'] },
      parts: ['precedence' as const, 'compliant' as const],
      grants: { added: ['owner_may_view'], removed: ['legacy_allow'] },
    };
    const section = describeReport({ rulesets: [emptyDiff({ decision })], impact: {} })[0]!.sections.find((s) => s.title === 'Decision model');
    expect(section?.items).toEqual([
      { mark: 'changed', text: 'precedence (the first outcome produced wins)', from: 'deny > allow', to: 'forbid > permit > deny' },
      { mark: 'changed', text: 'default outcome (no rule fired): `allow` -> `deny`' },
      { mark: 'changed', text: 'compliant outcomes', from: 'allow', to: 'permit' },
      { mark: 'note', text: 'now grants (a compliant outcome, left out of the score): `owner_may_view`' },
      { mark: 'note', text: 'no longer grants (counted in the score again): `legacy_allow`' },
    ]);
  });

  it('tells formatting from nothing at all', () => {
    expect(summary(emptyDiff({ status: 'unchanged', semanticChange: false, textChanged: true }))).toBe('no semantic change (formatting or comments only)');
    expect(summary(emptyDiff({ status: 'unchanged', semanticChange: false, textChanged: false }))).toBe('no change');
  });

  it('does not call input changes of a new ruleset breaking or compatible', () => {
    const block = describeReport({ rulesets: [emptyDiff({ status: 'added', input: [input('x', false)] })], impact: {} })[0]!;
    expect(block.summary).toBe('new ruleset');
    expect(block.sections.find((s) => s.title === 'Input schema')?.items.map((i) => i.text)).toEqual(['`x`: added']);
  });
});

describe('impact section', () => {
  const impact: ImpactReport = {
    sources: ['inputs.jsonl', 'tests'],
    evaluated: 10,
    changed: 2,
    validityChanged: 1,
    transitions: [
      { from: 'deny', to: 'allow', count: 1 },
      { from: 'allow', to: '(invalid)', count: 1 },
    ],
    rules: [{ rule: 'r', nowFires: 1, noLongerFires: 2 }],
    examples: [
      { source: 'inputs.jsonl', index: 4, input: { a: 1 }, from: 'deny', to: 'allow', rules: ['r'] },
      { source: 'tests', index: 2, label: 'test "warns"', input: { a: 2 }, from: 'warn', to: 'deny', rules: [] },
    ],
    becameInvalid: { count: 1, examples: [{ source: 'inputs.jsonl', index: 7, path: '/a', message: 'must be >= 0' }] },
    becameValid: 0,
    outputs: [
      {
        output: 'premium',
        changed: 2,
        percent: { min: 3.7037, max: 10 },
        examples: [
          { source: 'tests', index: 1, label: 'test "clean"', from: 691.2, to: 716.8, percent: 3.7037 },
          { source: 'inputs.jsonl', index: 3, from: 100, to: 110, percent: 10 },
        ],
      },
    ],
    score: { changed: 1, examples: [{ source: 'inputs.jsonl', index: 4, from: 1, to: 0.8 }] },
    compliance: {
      changed: 2,
      becameCompliant: 1,
      becameNonCompliant: 1,
      examples: [
        { source: 'inputs.jsonl', index: 4, from: { decision: 'deny', compliant: false }, to: { decision: 'allow', compliant: true } },
        { source: 'tests', index: 3, label: 'test "warn"', from: { decision: 'warn', compliant: true }, to: { decision: 'warn', compliant: false } },
      ],
    },
  };

  it('lists counts, transitions, rules and examples; refused inputs are counted apart', () => {
    const block = describeReport({ rulesets: [emptyDiff()], impact: { 't.summary': impact } })[0]!;
    const section = block.sections.find((s) => s.title === 'Decision impact');
    expect(section?.items.map((i) => i.text)).toEqual([
      '1 of 9 decisions change (inputs: inputs.jsonl, tests); 1 input changes validity',
      'deny -> allow: 1',
      'rule `r`: now fires on 1, no longer fires on 2',
      'example inputs.jsonl#4: deny -> allow (`r`): `{"a":1}`',
      // The same rules fired with another outcome: no rule list to show; a test is named.
      'example test "warns": warn -> deny: `{"a":2}`',
    ]);
    expect(block.sections.find((s) => s.title === 'Inputs that become invalid')?.items.map((i) => i.text)).toEqual([
      '1 input the old version accepted is refused',
      'inputs.jsonl#7: `/a` must be >= 0',
    ]);
  });

  it('lists changed outputs with their relative change, and changed scores', () => {
    const block = describeReport({ rulesets: [emptyDiff()], impact: { 't.summary': impact } })[0]!;
    expect(block.sections.find((s) => s.title === 'Outputs')?.items.map((i) => i.text)).toEqual([
      'output `premium` changes on 2 of 9 (+3.7% to +10%)',
      'test "clean": premium 691.2 -> 716.8, +3.7%',
      'inputs.jsonl#3: premium 100 -> 110, +10%',
    ]);
    expect(block.sections.find((s) => s.title === 'Score')?.items.map((i) => i.text)).toEqual(['score changes on 1 of 9', 'inputs.jsonl#4: score 1 -> 0.8']);
  });

  it('lists decisions whose compliance changes, with the same outcome or not', () => {
    const block = describeReport({ rulesets: [emptyDiff()], impact: { 't.summary': impact } })[0]!;
    expect(block.sections.find((s) => s.title === 'Compliance')?.items.map((i) => i.text)).toEqual([
      'compliance changes on 2 of 9 (1 becomes compliant, 1 becomes non-compliant)',
      'inputs.jsonl#4: deny (non-compliant) -> allow (compliant)',
      'test "warn": warn (compliant) -> warn (non-compliant)',
    ]);
  });

  it('counts validity changes in the plural', () => {
    const block = describeReport({ rulesets: [emptyDiff()], impact: { 't.summary': { ...impact, validityChanged: 3 } } })[0]!;
    expect(block.sections[0]?.items[0]?.text).toBe('1 of 7 decisions change (inputs: inputs.jsonl, tests); 3 inputs change validity');
  });

  it('has no impact section without an impact report for that ruleset', () => {
    const block = describeReport({ rulesets: [emptyDiff()], impact: { other: impact } })[0]!;
    expect(block.sections.map((s) => s.title)).toEqual([]);
  });
});
