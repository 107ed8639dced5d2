import { readFileSync } from 'node:fs';
import { analyze } from '@verdict/language';
import { describe, expect, it } from 'vitest';
import { expressionAt } from '../src/ast-walk.ts';
import { hoverAt } from '../src/hover.ts';
import { outlineOf } from '../src/outline.ts';
import { callBefore, dottedPathBefore, ruleLocals, typeOfPath } from '../src/paths.ts';

const sample = readFileSync(new URL('../../../rulesets/marketplace/admission.policy', import.meta.url), 'utf8');

describe('completion paths', () => {
  it('reads the dotted path before the cursor', () => {
    expect(dottedPathBefore('  deny when service.')).toEqual({ path: ['service'], prefix: '' });
    expect(dottedPathBefore('x && service.sla?.ava')).toEqual({ path: ['service', 'sla'], prefix: 'ava' });
    expect(dottedPathBefore('amount > 1.')).toBeNull();
    expect(dottedPathBefore('deny when ')).toBeNull();
  });

  it('walks the input type to the record the path reaches', () => {
    const analysis = analyze(sample);
    const service = typeOfPath(analysis, ['service']);
    expect(service?.kind).toBe('record');
    expect(service?.kind === 'record' ? [...service.fields.keys()] : []).toContain('data_residency');
    const sla = typeOfPath(analysis, ['service', 'sla']);
    expect(sla?.kind === 'record' ? [...sla.fields.keys()] : []).toEqual(['availability']);
    expect(typeOfPath(analysis, ['nope'])).toBeNull();
  });

  it('knows the lets of the rule around the cursor', () => {
    const source = sample.replace('rule https_required {\n', 'rule https_required {\n  let sla = service.sla\n');
    const analysis = analyze(source);
    const inside = source.indexOf('let sla') + 4;
    const locals = ruleLocals(analysis, inside);
    expect([...locals.keys()]).toEqual(['sla']);
    const sla = typeOfPath(analysis, ['sla'], locals);
    expect(sla?.kind === 'record' ? [...sla.fields.keys()] : []).toEqual(['availability']);
    expect(ruleLocals(analysis, source.indexOf('rule restricted_countries')).size).toBe(0);
  });
});

describe('signature help', () => {
  it('finds the call around the cursor and the argument being typed', () => {
    expect(callBefore('x = round(amount * 2, ')).toEqual({ name: 'round', argument: 1, method: false });
    expect(callBefore('service.id.startsWith(')).toEqual({ name: 'startsWith', argument: 0, method: true });
    expect(callBefore('max(size(a), [1, 2], "(,"')).toEqual({ name: 'max', argument: 2, method: false });
    expect(callBefore('deny when a > (b')).toBeNull();
    expect(callBefore('deny when a > b')).toBeNull();
  });
});

describe('hover and definitions', () => {
  const analysis = analyze(sample);

  it('shows the type and doc of a name where it is used', () => {
    const offset = sample.indexOf('size(blocked)') + 'size('.length + 2;
    const hover = hoverAt(analysis, offset);
    expect(hover?.lines[0]).toContain('blocked');
    expect(hover?.lines[0]).toContain('list<string>');
  });

  it('shows a builtin signature on a call', () => {
    const offset = sample.indexOf('size(blocked)') + 1;
    expect(hoverAt(analysis, offset)?.lines.join('\n')).toContain('size(');
  });

  it('shows a rule doc on its name', () => {
    const offset = sample.indexOf('rule https_required') + 'rule '.length + 1;
    expect(hoverAt(analysis, offset)?.lines.join('\n')).toContain('HTTPS');
  });

  it('finds the expression under the cursor, whose reference is the declaration', () => {
    const offset = sample.indexOf('size(blocked)') + 'size('.length + 1;
    const expr = expressionAt(analysis.ast, offset);
    expect(expr?.kind).toBe('Ident');
    const symbol = analysis.check.references.get(expr!.id);
    expect(symbol?.name).toBe('blocked');
    expect(sample.slice(symbol!.span.start, symbol!.span.end)).toBe('blocked');
  });
});

describe('outline (computed in the analysis worker)', () => {
  it('lists the declarations with their kinds and name spans, and survives structured clone', () => {
    const items = outlineOf(analyze(sample).ast);
    expect(items[0]).toMatchObject({ name: 'input', kind: 'input' });
    const tls = items.find((i) => i.name === 'MIN_TLS_VERSION');
    expect(tls?.kind).toBe('const');
    expect(sample.slice(tls!.selection.start, tls!.selection.end)).toBe('MIN_TLS_VERSION');
    expect(items.some((i) => i.kind === 'rule' && i.name === 'https_required')).toBe(true);
    expect(structuredClone(items)).toEqual(items);
  });
});
