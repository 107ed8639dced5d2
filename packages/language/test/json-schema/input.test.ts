import { describe, expect, it } from 'vitest';
import type { ParamDecl } from '../../src/ast.ts';
import { inputJsonSchema, paramJsonSchema, printExpr, untranslatedWheres } from '../../src/json-schema.ts';
import { parseRuleset } from './helpers.ts';

describe('inputJsonSchema', () => {
  it('puts the dialect, the ruleset name and doc at the root of a closed object', () => {
    const ast = parseRuleset('# Loan pricing.\nruleset lending.pricing\ninput {\n  amount: number\n  note?: string\n}\n');
    expect(inputJsonSchema(ast)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'lending.pricing',
      description: 'Loan pricing.',
      type: 'object',
      properties: { amount: { type: 'number' }, note: { type: 'string' } },
      required: ['amount'],
      additionalProperties: false,
    });
  });

  it('falls back to the input doc, and accepts only {} without an input block', () => {
    const withInputDoc = parseRuleset('ruleset a\n# What callers send.\ninput { x: string }\n');
    expect(inputJsonSchema(withInputDoc)['description']).toBe('What callers send.');
    const noInput = parseRuleset('ruleset b\ndecision deny > allow\n');
    expect(inputJsonSchema(noInput)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'b',
      type: 'object',
      properties: {},
      additionalProperties: false,
    });
  });

  it('annotates a field with the untranslated part of its where', () => {
    const ast = parseRuleset('ruleset t\ninput {\n  start: number\n  end: number where value > 0 && value > start\n}\n');
    expect(inputJsonSchema(ast)['properties']).toMatchObject({
      end: { type: 'number', exclusiveMinimum: 0, 'x-verdict-where': 'value > start' },
    });
  });
});

describe('untranslatedWheres', () => {
  const ast = parseRuleset(`ruleset t
input {
  a: number where value > 0
  orders: list<{
    qty: number where value > 0 && value <= limit(value)
    tags: map<{ v: string where lower(value) == value }>
  }> where size(value) > 0 && value.all(o, o.qty < 5 || o.tags == {})
  start: timestamp
  end: timestamp where value > start
}
`);
  const found = untranslatedWheres(ast);

  it('lists the fields whose where the schema does not fully check, outer before inner', () => {
    expect(found.map((u) => [u.path, u.text])).toEqual([
      [['orders'], 'value.all(o, o.qty < 5 || o.tags == {})'],
      [['orders', '*', 'qty'], 'value <= limit(value)'],
      [['orders', '*', 'tags', '*', 'v'], 'lower(value) == value'],
      [['end'], 'value > start'],
    ]);
  });

  it('gives the untranslated conjuncts as AST nodes of the declared where', () => {
    const qty = found[1];
    expect(qty?.field.name).toBe('qty');
    expect(qty?.untranslated.map(printExpr)).toEqual(['value <= limit(value)']);
    expect(qty?.where.kind).toBe('Binary');
    // The node is the one from the parsed tree (same id), so the engine can key traces by it.
    const where = qty?.where;
    expect(where?.kind === 'Binary' ? where.right : undefined).toBe(qty?.untranslated[0]);
  });
});

describe('paramJsonSchema', () => {
  const ast = parseRuleset(`ruleset t
const CAP = 1000000
# Largest value accepted.
param max_value: number = 150000 where value > 0 && value <= CAP
param mode: "A" | "B" = "A"
param ratio: number = CAP / 2 where value >= 0 && value < other_limit()
`);
  const params = new Map(ast.decls.filter((d): d is ParamDecl => d.kind === 'Param').map((p) => [p.name.name, p]));

  it.each([
    ['max_value', { description: 'Largest value accepted.', type: 'number', exclusiveMinimum: 0, maximum: 1000000, default: 150000 }],
    ['mode', { type: 'string', enum: ['A', 'B'], default: 'A' }],
    // A computed default is left out; the untranslated conjunct is annotated.
    ['ratio', { type: 'number', minimum: 0, 'x-verdict-where': 'value < other_limit()' }],
  ])('%s', (name, expected) => {
    const param = params.get(name);
    expect(param).toBeDefined();
    expect(paramJsonSchema(param!, ast)).toEqual(expected);
  });

  it('without the ruleset, const references stay untranslated', () => {
    const schema = paramJsonSchema(params.get('max_value')!);
    expect(schema).toMatchObject({ exclusiveMinimum: 0, 'x-verdict-where': 'value <= CAP' });
    expect(schema).not.toHaveProperty('maximum');
  });
});
