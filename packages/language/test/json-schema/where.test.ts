import { describe, expect, it } from 'vitest';
import { fieldSchema } from './helpers.ts';
import { CONSTS, translated, untranslated } from './where-cases.ts';

describe('where -> keywords', () => {
  it.each(translated)('%s', (decl, expected) => {
    const schema = fieldSchema(decl, CONSTS);
    expect(schema).toEqual(expected);
    expect(schema).not.toHaveProperty(['x-verdict-where']);
  });
});

describe('where left to the engine', () => {
  it.each(untranslated)('%s', (decl, text, kept) => {
    const schema = fieldSchema(decl, CONSTS);
    expect(schema['x-verdict-where']).toBe(text);
    expect(schema).toMatchObject(kept);
  });

  it('does not translate a comparison whose keyword would not apply to every value', () => {
    // On `any`, `exclusiveMinimum` lets strings through that Verdict would reject.
    expect(fieldSchema('any where value > 0')).toEqual({ 'x-verdict-where': 'value > 0' });
  });

  it('leaves a const shadowed by a macro variable unresolved', () => {
    const schema = fieldSchema('list<number> where value.all(LIMIT, LIMIT > LIMIT)', CONSTS);
    expect(schema['x-verdict-where']).toBe('value.all(LIMIT, LIMIT > LIMIT)');
  });
});
