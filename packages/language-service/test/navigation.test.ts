import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeActions, definition, documentSymbols, foldingRanges, hover, outlineOf, prepareRename, references, rename, RenameError, semanticTokens, SourceFile } from '../src/index.ts';

const sample = readFileSync(new URL('../../../rulesets/marketplace/admission.policy', import.meta.url), 'utf8');
const source = new SourceFile(sample);
const uri = 'file:///admission.policy';

/** The offset of the `nth` occurrence of `needle` (0-based), plus `delta`. */
function at(needle: string, nth = 0, delta = 1): number {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = sample.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`no ${needle}`);
  return offset + delta;
}

/** The text at each location's range. */
function texts(locations: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } } }>): string[] {
  return locations.map((l) => sample.slice(source.offsetAt(l.range.start), source.offsetAt(l.range.end)));
}
const lines = (locations: Array<{ range: { start: { line: number } } }>) => locations.map((l) => l.range.start.line + 1);
const lineOf = (offset: number) => source.positionAt(offset).line + 1;

describe('definition and references for every named thing', () => {
  it('input fields: from an expression, a let, a test input key, to the field declaration', () => {
    const declared = lineOf(at('    data_residency: list<string>', 0, 4));
    expect(lines(definition(source, uri, at('size(service.data_residency)', 0, 'size(service.'.length + 2)))).toEqual([declared]);
    expect(lines(definition(source, uri, at('      data_residency: ["US", "DE"]', 0, 8)))).toEqual([declared]);
    const refs = references(source, uri, at('service.data_residency.filter', 0, 'service.'.length + 1), true);
    expect(texts(refs).every((t) => t === 'data_residency')).toBe(true);
    // The declaration, the let, the rule, and one key per test that sets it.
    const tests = sample.split('\n').filter((l) => /^\s+data_residency: \[/.test(l)).length;
    expect(refs.length).toBe(1 + 1 + 1 + tests);
  });

  it('nested input fields through `?.` and in a nested test map', () => {
    const declared = lineOf(at('      availability: number', 0, 6));
    expect(lines(definition(source, uri, at('service.sla?.availability', 0, 'service.sla?.'.length + 1)))).toEqual([declared]);
    expect(lines(definition(source, uri, at('sla: { availability: 99.95 }', 0, 'sla: { '.length + 1)))).toEqual([declared]);
  });

  it('consts, lets and rules (from `expect ... by [...]`)', () => {
    expect(lines(definition(source, uri, at('< MIN_TLS_VERSION', 0, 4)))).toEqual([lineOf(at('const MIN_TLS_VERSION'))]);
    expect(lines(definition(source, uri, at('size(blocked)', 0, 6)))).toEqual([lineOf(at('let blocked'))]);
    const rule = definition(source, uri, at('by [restricted_countries]', 0, 5));
    expect(lines(rule)).toEqual([lineOf(at('rule restricted_countries'))]);
    expect(texts(references(source, uri, at('rule restricted_countries', 0, 6), false))).toEqual(['restricted_countries']);
  });

  it('macro variables and outcomes', () => {
    const variable = at('filter(c, c in', 0, 'filter(c, '.length + 1);
    expect(lines(definition(source, uri, variable))).toEqual([lineOf(variable)]);
    const deny = references(source, uri, at('decision deny', 0, 'decision '.length + 1), true);
    expect(deny.length).toBeGreaterThan(5);
    expect(texts(deny).every((t) => t === 'deny')).toBe(true);
  });
});

describe('rename', () => {
  it('renames an input field everywhere, test inputs included, and the result still checks', () => {
    const edit = rename(source, uri, at('service.endpoint.startsWith', 0, 'service.'.length + 1), 'base_url');
    const edits = edit?.changes?.[uri] ?? [];
    expect(edits.length).toBeGreaterThan(5);
    const ordered = [...edits].sort((a, b) => source.offsetAt(b.range.start) - source.offsetAt(a.range.start));
    let text = sample;
    for (const e of ordered) text = text.slice(0, source.offsetAt(e.range.start)) + e.newText + text.slice(source.offsetAt(e.range.end));
    expect(text).not.toMatch(/endpoint:|\.endpoint\b/);
    expect(new SourceFile(text).analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses what is not a name, and builtins cannot be renamed', () => {
    expect(() => rename(source, uri, at('const MIN_TLS_VERSION', 0, 7), '1x')).toThrow(RenameError);
    expect(prepareRename(source, at('size(blocked)', 0, 1))).toBeNull();
    expect(prepareRename(source, at('const MIN_TLS_VERSION', 0, 7))?.placeholder).toBe('MIN_TLS_VERSION');
  });
});

describe('hover', () => {
  const text = (offset: number) => {
    const h = hover(source, offset);
    return h !== null && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };
  it('shows input fields with type and doc, in rules and in test inputs', () => {
    expect(text(at('size(service.data_residency)', 0, 'size(service.'.length + 2))).toContain('(input) service.data_residency: list<string>');
    expect(text(at('size(service.data_residency)', 0, 'size(service.'.length + 2))).toContain('ISO 3166-1');
    expect(text(at('      tier: "enterprise"', 0, 7))).toContain('"free" | "standard" | "enterprise"');
  });
  it('shows rules in `expect ... by [...]` with their doc, and outcomes', () => {
    expect(text(at('by [restricted_countries]', 0, 5))).toContain('rule restricted_countries (critical) -> deny');
    expect(text(at('expect allow', 0, 'expect '.length + 1))).toContain('the default outcome');
  });
});

describe('symbols, folding, semantic tokens, code actions', () => {
  it('lists declarations as document symbols', () => {
    const symbols = documentSymbols(outlineOf(source.analysis.ast));
    expect(symbols.map((s) => s.name)).toEqual(expect.arrayContaining(['input', 'MIN_TLS_VERSION', 'https_required', 'compliant production enterprise service is allowed']));
  });
  it('folds blocks and comment runs', () => {
    const ranges = foldingRanges(source);
    expect(ranges).toContainEqual({ startLine: 0, endLine: 3, kind: 'comment' });
    expect(ranges.some((r) => r.startLine === lineOf(at('input {')) - 1)).toBe(true);
  });
  it('encodes a token per name occurrence, relative to the previous one', () => {
    const { data } = semanticTokens(source);
    expect(data.length % 5).toBe(0);
    expect(data.length / 5).toBeGreaterThan(50);
  });
  it("turns the checker's fixes into quick fixes", () => {
    const typo = new SourceFile(sample.replace('size(blocked) > 0', 'size(blocekd) > 0'));
    const [d] = typo.analysis.diagnostics.filter((x) => x.fix !== undefined);
    expect(d).toBeDefined();
    const actions = codeActions(typo.analysis.diagnostics, uri, { start: typo.positionAt(d!.span.start), end: typo.positionAt(d!.span.start) });
    expect(actions[0]?.edit?.changes?.[uri]?.[0]?.newText).toBe('blocked');
  });
});
