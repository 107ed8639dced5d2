import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { completion, SourceFile } from '../src/index.ts';

const sample = readFileSync(new URL('../../../rulesets/marketplace/admission.policy', import.meta.url), 'utf8');

/** Completion labels at `‸` in `text` (the analysis is of the text without the marker, as while typing). */
function labelsAt(text: string): string[] {
  const offset = text.indexOf('‸');
  const source = text.slice(0, offset) + text.slice(offset + 1);
  return completion(new SourceFile(source), offset).map((i) => i.label);
}

/** `sample` with `snippet` (holding the `‸` cursor) inserted before the first test. */
function inRuleset(snippet: string, before = '# Baseline: a production'): string {
  const at = sample.indexOf(before);
  return sample.slice(0, at) + snippet + '\n' + sample.slice(at);
}

describe('completion', () => {
  it('offers nothing inside a comment, nor inside a plain string', () => {
    expect(labelsAt(inRuleset('# e.g.‸'))).toEqual([]);
    expect(labelsAt(inRuleset('rule r {\n  deny when service.id == "a.‸"\n}'))).toEqual([]);
    expect(labelsAt(inRuleset('rule r {\n  deny when service.id == "x" # see service.‸\n}'))).toEqual([]);
  });

  it('offers code completion inside a `{}` hole of a because message', () => {
    const labels = labelsAt(inRuleset('rule r {\n  deny when true\n  because "Service {service.‸"\n}'));
    expect(labels).toContain('endpoint');
    expect(labels).toContain('data_residency');
  });

  it('offers the literal union values after `== "`, `!= "` and `in ["`', () => {
    expect(labelsAt(inRuleset('rule r {\n  deny when service.tier == "‸"\n}'))).toEqual(['free', 'standard', 'enterprise']);
    expect(labelsAt(inRuleset('rule r {\n  deny when service.authentication != "o‸"\n}'))).toEqual(['none', 'api_key', 'oauth2', 'mtls']);
    expect(labelsAt(inRuleset('rule r {\n  deny when service.environment in ["staging", "‸"]\n}'))).toEqual(['development', 'staging', 'production']);
    // Without the quote yet: the values, quoted, first among the names.
    const items = completion(new SourceFile(inRuleset('rule r {\n  deny when service.tier == \n}')), inRuleset('rule r {\n  deny when service.tier == ‸').indexOf('‸'));
    expect(items.slice(0, 3).map((i) => i.label)).toEqual(['"free"', '"standard"', '"enterprise"']);
  });

  it('replaces what was typed inside the quotes with the value', () => {
    const text = inRuleset('rule r {\n  deny when service.tier == "ent‸"\n}');
    const offset = text.indexOf('‸');
    const source = new SourceFile(text.slice(0, offset) + text.slice(offset + 1));
    const item = completion(source, offset).find((i) => i.label === 'enterprise');
    expect(item?.textEdit).toEqual({ range: source.rangeOf(offset - 3, offset), newText: 'enterprise' });
  });

  it('filters methods by the receiver type', () => {
    const list = labelsAt(inRuleset('rule r {\n  deny when service.data_residency.‸\n}'));
    expect(list).toContain('exists');
    expect(list).toContain('join');
    expect(list).not.toContain('abs');
    expect(list).not.toContain('startsWith');
    const text = labelsAt(inRuleset('rule r {\n  deny when service.endpoint.‸\n}'));
    expect(text).toContain('startsWith');
    expect(text).not.toContain('abs');
    expect(text).not.toContain('exists');
    const record = labelsAt(inRuleset('rule r {\n  deny when service.sla?.‸\n}'));
    expect(record[0]).toBe('availability');
    const number = labelsAt(inRuleset('rule r {\n  deny when service.tls_version.‸\n}'));
    expect(number).toContain('abs');
    expect(number).not.toContain('startsWith');
  });

  it('offers rule names inside `expect ... by [`, without those already listed', () => {
    const labels = labelsAt(sample.replace('expect deny by [restricted_countries]', 'expect deny by [restricted_countries, ‸]'));
    expect(labels).toContain('https_required');
    expect(labels).toContain('tls_minimum');
    expect(labels).not.toContain('restricted_countries');
    expect(labels).not.toContain('MIN_TLS_VERSION');
  });

  it("offers the input's fields (not consts) inside a test's input, by path, and their literal values", () => {
    const top = labelsAt(sample.replace('test "empty data residency is denied" {\n  input {', 'test "t" {\n  input { ‸ }\n  expect allow\n}\n\ntest "empty data residency is denied" {\n  input {'));
    expect(top).toEqual(['service']);
    const nested = labelsAt(sample.replace('      id: "svc-dev",\n', '      id: "svc-dev",\n      ‸\n'));
    expect(nested).toContain('tls_version');
    expect(nested).toContain('sla');
    expect(nested).not.toContain('id');
    expect(nested).not.toContain('MIN_TLS_VERSION');
    expect(nested).not.toContain('size');
    const values = labelsAt(sample.replace('      id: "svc-dev",\n      tier: "free",', '      id: "svc-dev",\n      tier: "‸",'));
    expect(values).toEqual(['free', 'standard', 'enterprise']);
    // Keys written after the cursor are not offered again either.
    const before = labelsAt(sample.replace('      id: "svc-dev",\n', '      ‸\n      id: "svc-dev",\n'));
    expect(before).toContain('sla');
    expect(before).not.toContain('id');
    expect(before).not.toContain('tier');
    const deeper = labelsAt(sample.replace('sla: { availability: 99.95 }', 'sla: { ‸ }'));
    expect(deeper).toEqual(['availability']);
  });

  it('offers outcomes after `expect`, severities after `severity`', () => {
    expect(labelsAt(sample.replace('expect deny by [restricted_countries]', 'expect ‸'))).toEqual(expect.arrayContaining(['deny', 'allow', 'outputs', 'score']));
    expect(labelsAt(inRuleset('rule r {\n  severity ‸\n}'))).toEqual(['critical', 'high', 'medium', 'low']);
  });

  it('offers names, keywords and builtins in an expression', () => {
    const labels = labelsAt(inRuleset('rule r {\n  deny when ‸\n}'));
    expect(labels).toEqual(expect.arrayContaining(['service', 'MIN_TLS_VERSION', 'blocked', 'size', 'rule']));
  });
});
