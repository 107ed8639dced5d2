/**
 * The diff over the four reference rulesets: presentation-only rewrites of
 * a real ruleset (the formatter's output, comments dropped, re-indented)
 * read as "no semantic change", and one-line edits read as exactly that edit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { format, parse } from '@verdict/language';
import { diffRuleset, renderText, type RulesetDiff, type RulesetVersion } from '../src/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../rulesets');
const files = readdirSync(root)
  .flatMap((dir) => readdirSync(join(root, dir)).map((f) => join(dir, f)))
  .filter((f) => f.endsWith('.policy'))
  .sort();

function version(source: string): RulesetVersion {
  const { ast, diagnostics } = parse(source);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { source, ast };
}

function diff(before: string, after: string): RulesetDiff {
  return diffRuleset(version(before), version(after));
}

function edit(source: string, from: string, to: string): string {
  expect(source.split(from).length - 1, `occurrences of ${from}`).toBe(1);
  return source.replace(from, to);
}

describe.each(files)('%s', (file) => {
  const source = readFileSync(join(root, file), 'utf8');

  it('has no semantic change when formatted', () => {
    const formatted = format(source).text;
    expect(formatted).not.toBeNull();
    const d = diff(source, formatted!);
    expect([d.status, d.semanticChange]).toEqual(['unchanged', false]);
  });

  it('has no semantic change without its comments and re-indented', () => {
    const stripped = source
      .split('\n')
      .filter((line) => !/^\s*#/.test(line))
      .map((line) => line.replace(/^( +)/, (spaces) => spaces.repeat(2)))
      .join('\n');
    expect(stripped).not.toBe(source);
    const d = diff(source, stripped);
    expect([d.status, d.semanticChange, d.textChanged]).toEqual(['unchanged', false, true]);
    expect(renderText({ rulesets: [d], impact: {} })).toMatch(/: no semantic change \(formatting or comments only\)\n$/);
  });
});

describe('real edits', () => {
  const admission = readFileSync(join(root, 'marketplace/admission.policy'), 'utf8');
  const quote = readFileSync(join(root, 'insurance/auto_quote.policy'), 'utf8');

  it('marketplace.admission: the SLA minimum lowered is one const change', () => {
    const d = diff(admission, edit(admission, 'const MIN_AVAILABILITY = 99.9', 'const MIN_AVAILABILITY = 99.5'));
    expect(d.declarations).toEqual([{ kind: 'const', name: 'MIN_AVAILABILITY', change: 'changed', parts: [{ part: 'value', from: '99.9', to: '99.5' }], usedBy: ['enterprise_sla_minimum'] }]);
    expect(d.rules).toEqual({ added: [], removed: [], changed: [] });
    expect(renderText({ rulesets: [d], impact: {} })).toBe(
      ['Summary: rulesets: 1 changed; rules: 0 added, 0 removed, 0 changed', 'marketplace.admission: 1 const changed', '  Declarations', '    ~ const MIN_AVAILABILITY: value (used by enterprise_sla_minimum)', '        - 99.9', '        + 99.5', ''].join('\n'),
    );
  });

  it('marketplace.admission: the threshold written into the condition is a condition change of that rule', () => {
    const d = diff(admission, edit(admission, '(service.sla?.availability ?? 0) < MIN_AVAILABILITY', '(service.sla?.availability ?? 0) < 99.5'));
    expect(d.rules.changed).toEqual([
      {
        id: 'enterprise_sla_minimum',
        line: expect.any(Number) as number,
        changes: [
          {
            part: 'condition',
            from: 'service.tier == "enterprise" && (service.sla?.availability ?? 0) < MIN_AVAILABILITY',
            to: 'service.tier == "enterprise" && (service.sla?.availability ?? 0) < 99.5',
          },
        ],
      },
    ]);
    expect(d.rules.changed[0]?.line).toBe(admission.split('\n').indexOf('rule enterprise_sla_minimum {') + 1);
  });

  it('insurance.auto_quote: a param default and a table row', () => {
    const after = edit(edit(quote, 'param max_vehicle_value: number = 150000', 'param max_vehicle_value: number = 100000'), '"CA" -> 1.28', '"CA" -> 1.31');
    const d = diff(quote, after);
    expect(d.declarations.map((c) => [c.kind, c.name, c.parts.map((p) => p.part)])).toEqual([
      ['param', 'max_vehicle_value', ['default']],
      ['table', 'territory_factors', ['rows']],
    ]);
    expect(d.tables).toEqual([{ name: 'territory_factors', added: [], removed: [], changed: [{ from: '"CA" -> 1.28', to: '"CA" -> 1.31' }] }]);
    expect(renderText({ rulesets: [d], impact: {} }).split('\n')[1]).toBe('insurance.auto_quote: 1 param changed, 1 table changed');
  });

  it('insurance.auto_quote: a param only the premium reads is used by that output, not by nothing', () => {
    const d = diff(quote, edit(quote, 'param base_rate: decimal = 540', 'param base_rate: decimal = 560'));
    expect(d.declarations).toEqual([
      { kind: 'param', name: 'base_rate', change: 'changed', parts: [{ part: 'default', from: '540', to: '560' }], usedBy: [], outputsUsing: ['premium'] },
    ]);
    expect(renderText({ rulesets: [d], impact: {} })).toContain('~ param base_rate: default (used by output premium)');
  });
});
