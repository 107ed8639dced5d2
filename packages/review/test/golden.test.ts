/**
 * Golden diffs, one directory per kind of change: `golden/<case>/old.policy`
 * and `new.policy` (a missing side is a ruleset added or removed), an
 * optional `inputs.jsonl` whose lines feed a decision-impact section, and the
 * three renderings `expected.txt` (terminal, no colour), `expected.md` and
 * `expected.json`. `UPDATE_GOLDEN=1 npx vitest run packages/review` rewrites
 * the expected files; read the changes before committing them.
 *
 * Each case also has a check below on the diff itself, so a golden rewritten
 * with a wrong diff still fails.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '@verdict/engine';
import { parse } from '@verdict/language';
import { computeImpact, diffRuleset, summarizeReport, renderJson, renderMarkdown, renderText, type DiffReport, type RulesetDiff, type RulesetVersion } from '../src/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const update = process.env['UPDATE_GOLDEN'] === '1';
const cases = readdirSync(root)
  .filter((name) => statSync(join(root, name)).isDirectory())
  .sort();

function version(path: string): RulesetVersion | null {
  if (!existsSync(path)) return null;
  const source = readFileSync(path, 'utf8');
  const { ast, diagnostics } = parse(source);
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${path}:${d.span.line} ${d.message}`)).toEqual([]);
  return { source, ast };
}

function compiled(version: RulesetVersion) {
  const result = compile(version.source);
  if (result.ruleset === undefined) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  return result.ruleset;
}

function reportFor(name: string): { diff: RulesetDiff; report: DiffReport } {
  const dir = join(root, name);
  const before = version(join(dir, 'old.policy'));
  const after = version(join(dir, 'new.policy'));
  const diff = diffRuleset(before, after);
  const report: DiffReport = { rulesets: [diff], impact: {} };
  const inputs = join(dir, 'inputs.jsonl');
  if (existsSync(inputs) && before !== null && after !== null) {
    const samples = readFileSync(inputs, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, i) => ({ source: 'inputs.jsonl', index: i + 1, input: JSON.parse(line) as unknown }));
    report.impact[diff.name] = computeImpact(compiled(before), compiled(after), samples);
  }
  return { diff, report };
}

const ids = (rules: Array<{ id: string }>): string[] => rules.map((r) => r.id);
const parts = (diff: RulesetDiff): string[] => diff.rules.changed.flatMap((r) => r.changes.map((c) => `${r.id}.${c.part}`));
const inputs = (diff: RulesetDiff): string[] => diff.input.map((c) => `${c.path} ${c.change} ${c.breaking ? 'breaking' : 'compatible'}`);
const declarations = (diff: RulesetDiff): string[] =>
  diff.declarations.map((d) => `${d.kind} ${d.name} ${d.change}${d.change === 'changed' ? ' ' + d.parts.map((p) => p.part).join('+') : ''}`);

/** Only what the case is about changed: every other field of the diff is empty. */
function onlyChange(diff: RulesetDiff, expected: Partial<Record<'rules' | 'input' | 'declarations' | 'tables' | 'settings' | 'tests', true>>): void {
  expect(diff.status).toBe('changed');
  expect(diff.semanticChange).toBe(true);
  if (!expected.rules) expect(diff.rules).toEqual({ added: [], removed: [], changed: [] });
  if (!expected.input) expect(diff.input).toEqual([]);
  if (!expected.declarations) expect(diff.declarations).toEqual([]);
  if (!expected.tables) expect(diff.tables).toEqual([]);
  if (!expected.settings) expect([diff.decision, diff.weights, diff.errorPolicy]).toEqual([null, null, null]);
  if (!expected.tests) expect(diff.tests).toEqual({ added: [], removed: [], changed: [] });
}

function noSemanticChange(diff: RulesetDiff): void {
  expect(diff.status).toBe('unchanged');
  expect(diff.semanticChange).toBe(false);
  expect(diff.textChanged).toBe(true);
}

const CHECKS: Record<string, (diff: RulesetDiff, text: string) => void> = {
  'rule-added': (d) => {
    onlyChange(d, { rules: true });
    expect(ids(d.rules.added)).toEqual(['free_tier_tls']);
    expect(d.rules.added[0]).toMatchObject({ outcome: 'deny', severity: 'high', condition: 'service.tier == "free" && (service.tls_version ?? 0) < 1.2' });
  },
  'rule-removed': (d) => {
    onlyChange(d, { rules: true });
    expect(ids(d.rules.removed)).toEqual(['large_amount']);
  },
  'rule-renamed': (d) => {
    onlyChange(d, { rules: true });
    expect([ids(d.rules.added), ids(d.rules.removed), d.rules.changed]).toEqual([['enterprise_sla'], ['enterprise_sla_minimum'], []]);
  },
  'condition-threshold': (d, text) => {
    onlyChange(d, { rules: true });
    expect(d.rules.changed).toEqual([
      {
        id: 'enterprise_sla_minimum',
        line: expect.any(Number) as number,
        changes: [
          {
            part: 'condition',
            from: 'enterprise && (service.sla?.availability ?? 0) < 99.9',
            to: 'enterprise && (service.sla?.availability ?? 0) < 99.5',
          },
        ],
      },
    ]);
    expect(text).toContain('rule enterprise_sla_minimum: condition');
  },
  'outcome-changed': (d) => {
    onlyChange(d, { rules: true });
    expect(d.rules.changed).toMatchObject([{ id: 'large_amount', changes: [{ part: 'outcome', from: 'warn', to: 'deny' }] }]);
  },
  'severity-changed': (d) => {
    onlyChange(d, { rules: true });
    expect(d.rules.changed).toMatchObject([{ id: 'enterprise_sla_minimum', changes: [{ part: 'severity', from: 'medium', to: 'high' }] }]);
  },
  'message-changed': (d) => {
    onlyChange(d, { rules: true });
    expect(parts(d)).toEqual(['large_amount.message']);
  },
  'suggestion-changed': (d) => {
    onlyChange(d, { rules: true });
    expect(d.rules.changed).toMatchObject([
      { id: 'large_amount', changes: [{ part: 'suggestion', from: 'suggest amount = max_amount', to: 'suggest amount = floor(max_amount * 0.9)' }] },
    ]);
  },
  'rule-lets-changed': (d) => {
    onlyChange(d, { rules: true });
    expect(parts(d)).toEqual(['restricted_countries.lets']);
  },
  'rule-statement-order': noSemanticChange,
  'input-added-optional': (d) => {
    onlyChange(d, { input: true });
    expect(inputs(d)).toEqual(['service.contact added compatible']);
    expect(d.input[0]?.to).toBe('contact?: string');
  },
  'input-added-required': (d) => {
    onlyChange(d, { input: true });
    expect(inputs(d)).toEqual(['service.environment added breaking']);
  },
  'input-record-added': (d) => {
    onlyChange(d, { input: true });
    // The record is reported once, not once per field inside it.
    expect(inputs(d)).toEqual(['owner added compatible']);
    expect(d.input[0]?.to).toBe('owner?: { team: string, email: string }');
  },
  'input-renamed': (d, text) => {
    onlyChange(d, { input: true, rules: true });
    // One rename, not a removal and an addition; the tests that follow it are unchanged.
    expect(d.input).toEqual([{ path: 'service.residency_countries', change: 'renamed', from: 'service.data_residency', to: 'service.residency_countries', breaking: true }]);
    expect(parts(d)).toEqual(['restricted_countries.lets']);
    expect(text).toContain('! service.data_residency renamed to service.residency_countries');
  },
  'input-field-removed': (d) => {
    onlyChange(d, { input: true });
    expect(inputs(d)).toEqual(['service.tls_version removed breaking']);
  },
  'union-widened': (d) => {
    onlyChange(d, { input: true });
    expect(inputs(d)).toEqual(['service.tier type compatible']);
  },
  'union-narrowed': (d) => {
    onlyChange(d, { input: true });
    expect(inputs(d)).toEqual(['service.tier type breaking']);
  },
  'union-reordered': noSemanticChange,
  'optional-to-required': (d) => {
    onlyChange(d, { input: true });
    expect(d.input).toEqual([{ path: 'service.tls_version', change: 'optionality', from: 'optional', to: 'required', breaking: true }]);
  },
  'required-to-optional': (d) => {
    onlyChange(d, { input: true });
    expect(d.input).toEqual([{ path: 'service.id', change: 'optionality', from: 'required', to: 'optional', breaking: false }]);
  },
  'type-changed': (d) => {
    onlyChange(d, { input: true });
    expect(d.input).toEqual([{ path: 'service.tls_version', change: 'type', from: 'number', to: 'string', breaking: true }]);
  },
  'input-constraint-changed': (d) => {
    onlyChange(d, { input: true });
    expect(d.input).toEqual([{ path: 'amount', change: 'constraint', from: 'value > 0', to: 'value > 0 && value <= 100000', breaking: true }]);
  },
  'input-sensitivity-changed': (d) => {
    onlyChange(d, { input: true });
    expect(d.input).toEqual([{ path: 'service.id', change: 'sensitivity', from: 'not sensitive', to: 'sensitive', breaking: false }]);
  },
  'param-default-changed': (d) => {
    onlyChange(d, { declarations: true });
    expect(d.declarations).toEqual([{ kind: 'param', name: 'max_amount', change: 'changed', parts: [{ part: 'default', from: '1000', to: '500' }], usedBy: ['large_amount'] }]);
  },
  'param-type-changed': (d) => {
    onlyChange(d, { declarations: true, rules: true });
    expect(declarations(d)).toEqual(['param max_amount changed type+default+where']);
    expect(parts(d)).toEqual(['large_amount.condition', 'large_amount.suggestion']);
  },
  'param-where-changed': (d) => {
    onlyChange(d, { declarations: true });
    expect(d.declarations).toEqual([
      { kind: 'param', name: 'max_amount', change: 'changed', parts: [{ part: 'where', from: 'value > 0', to: 'value > 0 && value <= 5000' }], usedBy: ['large_amount'] },
    ]);
  },
  'const-changed': (d) => {
    onlyChange(d, { declarations: true });
    expect(d.declarations).toEqual([
      { kind: 'const', name: 'RESTRICTED', change: 'changed', parts: [{ part: 'value', from: '["KP", "IR", "SY", "CU"]', to: '["KP", "IR", "SY"]' }], usedBy: ['restricted_countries'] },
    ]);
  },
  'let-output-changed': (d) => {
    onlyChange(d, { declarations: true });
    expect(declarations(d)).toEqual(['let enterprise changed value', 'output total changed value']);
  },
  'declarations-added-removed': (d) => {
    onlyChange(d, { declarations: true, rules: true });
    expect(declarations(d)).toEqual(['param min_tls added', 'let enterprise removed']);
    expect(parts(d)).toEqual(['enterprise_sla_minimum.condition']);
  },
  'table-row-added': (d) => {
    onlyChange(d, { declarations: true, tables: true });
    expect(d.tables).toEqual([{ name: 'fee', added: ['"enterprise" -> 40'], removed: [], changed: [] }]);
  },
  'table-row-removed': (d) => {
    onlyChange(d, { declarations: true, tables: true });
    expect(d.tables).toEqual([{ name: 'fee', added: [], removed: ['"free" -> 0'], changed: [] }]);
  },
  'table-row-changed': (d) => {
    onlyChange(d, { declarations: true, tables: true });
    expect(d.tables).toEqual([
      {
        name: 'fee',
        added: [],
        removed: [],
        changed: [
          { from: '"standard" -> 10', to: '"standard" -> 12' },
          { from: 'else -> 25', to: 'else -> 30' },
        ],
      },
    ]);
  },
  'table-rows-reordered': (d, text) => {
    // First match wins, so order is meaning; no row is added, removed or changed.
    onlyChange(d, { declarations: true });
    expect(declarations(d)).toEqual(['table fee changed rows']);
    expect(text).toContain('rows reordered');
  },
  'decision-precedence': (d, text) => {
    onlyChange(d, { settings: true });
    expect(d.decision).toEqual({ from: ['deny', 'warn', 'allow'], to: ['deny', 'review', 'warn', 'allow'], compliant: { from: ['allow'], to: ['allow'] }, parts: ['precedence'] });
    expect(text).toContain('decision model changed (precedence)');
  },
  'decision-compliant-changed': (d, text) => {
    // `warn` becomes compliant: the rule that warns is a grant now, out of the score's sums.
    onlyChange(d, { settings: true });
    expect(d.decision).toEqual({
      from: ['deny', 'warn', 'allow'],
      to: ['deny', 'warn', 'allow'],
      compliant: { from: ['allow'], to: ['warn', 'allow'] },
      parts: ['compliant'],
      grants: { added: ['large_amount'], removed: [] },
    });
    expect(text).toContain('decision model changed (compliant outcomes)');
    expect(text).toContain('compliance changes on 1 of 4 (1 becomes compliant)');
    expect(text).toContain('inputs.jsonl#2: warn (non-compliant) -> warn (compliant)');
    expect(text.split('\n')[0]).toContain('decision model changed in 1 ruleset; 0 of 4 decisions change; compliance changes on 1; score changes on 3');
  },
  // Naming the default alone is what saying nothing means.
  'decision-compliant-default': noSemanticChange,
  'weights-changed': (d) => {
    onlyChange(d, { settings: true });
    expect(d.weights).toEqual({ from: { critical: 5, high: 3, medium: 2, low: 1 }, to: { critical: 8, high: 3, medium: 2, low: 2 } });
    expect([d.decision, d.errorPolicy]).toEqual([null, null]);
  },
  'error-policy-changed': (d) => {
    onlyChange(d, { settings: true });
    expect(d.errorPolicy).toEqual({ from: 'fire', to: 'skip' });
    expect([d.decision, d.weights]).toEqual([null, null]);
  },
  // Spelling out the engine's default weights and error policy changes nothing.
  'explicit-defaults': noSemanticChange,
  'tests-added-removed-changed': (d) => {
    onlyChange(d, { tests: true });
    expect(d.tests).toEqual({
      added: ['sanctioned country is denied', 'large spend is flagged'],
      removed: ['restricted country is denied'],
      changed: ['enterprise service with a good SLA is allowed'],
    });
  },
  'formatting-only': (d, text) => {
    noSemanticChange(d);
    expect(text).toContain('no semantic change');
  },
  'comments-only': (d, text) => {
    noSemanticChange(d);
    expect(text).toContain('no semantic change');
  },
  'ruleset-added': (d) => {
    expect([d.status, d.semanticChange]).toEqual(['added', true]);
    expect(ids(d.rules.added)).toEqual(['restricted_countries', 'enterprise_sla_minimum', 'large_amount']);
    expect(d.rules.removed).toEqual([]);
    // Nothing existed before, so nothing can break.
    expect(d.input.every((c) => c.change === 'added' && !c.breaking)).toBe(true);
    expect([d.decision, d.weights, d.errorPolicy]).toEqual([null, null, null]);
  },
  'ruleset-removed': (d) => {
    expect([d.status, d.semanticChange]).toEqual(['removed', true]);
    expect(ids(d.rules.removed)).toEqual(['restricted_countries', 'enterprise_sla_minimum', 'large_amount']);
    expect(d.rules.added).toEqual([]);
    expect(d.tests.removed).toHaveLength(2);
  },
  'with-impact': (d, text) => {
    onlyChange(d, { rules: true });
    expect(parts(d)).toEqual(['enterprise_sla_minimum.condition', 'large_amount.outcome']);
    expect(text).toContain('Decision impact');
  },
};

describe('golden diffs', () => {
  it('has a golden and a check for every kind of change', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => !(c in CHECKS))).toEqual([]);
    expect(Object.keys(CHECKS).filter((c) => !cases.includes(c))).toEqual([]);
  });

  for (const name of cases) {
    it(name, () => {
      const { diff, report } = reportFor(name);
      const text = renderText(report);
      CHECKS[name]?.(diff, text);
      const renderings: Array<[string, string]> = [
        ['expected.txt', text],
        ['expected.md', renderMarkdown(report)],
        ['expected.json', renderJson(report)],
      ];
      for (const [file, actual] of renderings) {
        const path = join(root, name, file);
        if (update) writeFileSync(path, actual);
        if (!existsSync(path)) throw new Error(`no ${name}/${file}: run with UPDATE_GOLDEN=1 and review it`);
        expect(actual, `${name}/${file}`).toBe(readFileSync(path, 'utf8'));
      }
      expect(text).not.toMatch(/\x1b\[/);
      expect(JSON.parse(renderJson(report))).toEqual({ summary: summarizeReport(report), ...report });
    });
  }
});

describe('diff direction', () => {
  const twoSided = cases.filter((c) => existsSync(join(root, c, 'old.policy')) && existsSync(join(root, c, 'new.policy')));

  it.each(twoSided)('%s read backwards swaps added and removed', (name) => {
    const before = version(join(root, name, 'old.policy'))!;
    const after = version(join(root, name, 'new.policy'))!;
    const forward = diffRuleset(before, after);
    const backward = diffRuleset(after, before);
    expect(backward.semanticChange).toBe(forward.semanticChange);
    expect(ids(backward.rules.added)).toEqual(ids(forward.rules.removed));
    expect(ids(backward.rules.removed)).toEqual(ids(forward.rules.added));
    expect(backward.rules.changed.map((r) => r.changes.map((c) => [c.part, c.to, c.from]))).toEqual(
      forward.rules.changed.map((r) => r.changes.map((c) => [c.part, c.from, c.to])),
    );
    expect(backward.tests.added).toEqual(forward.tests.removed);
  });

  it.each(twoSided)('%s: a version compared with itself has no change', (name) => {
    const after = version(join(root, name, 'new.policy'))!;
    const same = diffRuleset(after, after);
    expect([same.status, same.semanticChange, same.textChanged]).toEqual(['unchanged', false, false]);
    expect(renderText({ rulesets: [same], impact: {} })).toBe('Summary: no semantic change\ngolden.admission: no change\n');
  });
});

describe('renderers', () => {
  it('colours the terminal text only when asked', () => {
    const { report } = reportFor('union-narrowed');
    const coloured = renderText(report, { color: true });
    expect(coloured).toMatch(/\x1b\[1;31m {4}! service\.tier/);
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderText(report));
  });

  it('prints one block per ruleset, in the report order', () => {
    const first = reportFor('severity-changed').diff;
    const second = { ...reportFor('formatting-only').diff, name: 'golden.other' };
    const report: DiffReport = { rulesets: [first, second], impact: {} };
    // One summary line over both, then each block as it reads alone.
    const body = (text: string): string => text.slice(text.indexOf('\n') + 1);
    const text = renderText(report);
    expect(text.split('\n')[0]).toBe('Summary: rulesets: 1 changed; rules: 0 added, 0 removed, 1 changed');
    expect(body(text)).toBe(body(renderText({ rulesets: [first], impact: {} })) + body(renderText({ rulesets: [second], impact: {} })));
    const markdown = renderMarkdown(report);
    expect(markdown.match(/^<details/gm)).toHaveLength(2);
    expect(markdown.match(/^<\/details>/gm)).toHaveLength(2);
    // The changed ruleset is open; the one with no semantic change stays folded.
    expect(markdown).toContain('<details open><summary><code>golden.admission</code>');
    expect(markdown.indexOf('<code>golden.admission</code>')).toBeLessThan(markdown.indexOf('<details><summary><code>golden.other</code>: no semantic change'));
    expect(markdown.indexOf('**Summary: ')).toBeLessThan(markdown.indexOf('<details'));
  });

  it('says so when there is nothing to compare', () => {
    expect(renderText({ rulesets: [], impact: {} })).toBe('no rulesets to compare\n');
  });
});
