import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, TIMESTAMP_PATTERN, typeJsonSchema } from '../../src/json-schema.ts';
import { fieldSchema, parseRuleset } from './helpers.ts';

describe('types -> JSON Schema', () => {
  const cases: Array<[string, unknown]> = [
    ['string', { type: 'string' }],
    ['number', { type: 'number' }],
    ['boolean', { type: 'boolean' }],
    ['timestamp', { type: 'string', format: 'date-time', pattern: TIMESTAMP_PATTERN }],
    ['duration', { type: 'string', pattern: DURATION_PATTERN }],
    ['any', {}],
    ['"free" | "standard"', { type: 'string', enum: ['free', 'standard'] }],
    ['1 | 2 | -3', { type: 'number', enum: [1, 2, -3] }],
    ['"auto" | 0 | true', { enum: ['auto', 0, true] }],
    ['"a" | "a" | "b"', { type: 'string', enum: ['a', 'b'] }],
    ['list<string>', { type: 'array', items: { type: 'string' } }],
    ['list<list<number>>', { type: 'array', items: { type: 'array', items: { type: 'number' } } }],
    ['map<number>', { type: 'object', additionalProperties: { type: 'number' } }],
    ['map<any>', { type: 'object', additionalProperties: {} }],
    [
      '{ a: string, b?: number }',
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a'], additionalProperties: false },
    ],
    ['{ a?: string }', { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }],
    [
      'list<{ id: string }>',
      {
        type: 'array',
        items: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false },
      },
    ],
    [
      '{ inner: { deep: boolean } }',
      {
        type: 'object',
        properties: {
          inner: { type: 'object', properties: { deep: { type: 'boolean' } }, required: ['deep'], additionalProperties: false },
        },
        required: ['inner'],
        additionalProperties: false,
      },
    ],
  ];
  it.each(cases)('%s', (type, expected) => {
    expect(fieldSchema(type)).toEqual(expected);
  });

  it('marks sensitive fields and carries field docs as descriptions', () => {
    const schema = fieldSchema('{\n    # The API key.\n    key: string sensitive\n    plain: string\n  }');
    expect(schema['properties']).toEqual({
      key: { description: 'The API key.', type: 'string', 'x-verdict-sensitive': true },
      plain: { type: 'string' },
    });
  });

  it('typeJsonSchema translates nested field constraints too', () => {
    const ast = parseRuleset('ruleset t\nconst MAX = 5\ninput { r: { n: number where value <= MAX } }');
    const input = ast.decls.find((d) => d.kind === 'Input');
    const field = input?.kind === 'Input' ? input.fields[0] : undefined;
    expect(field).toBeDefined();
    expect(typeJsonSchema(field!.type, ast)).toEqual({
      type: 'object',
      properties: { n: { type: 'number', maximum: 5 } },
      required: ['n'],
      additionalProperties: false,
    });
    // Without the ruleset the const is unknown: the constraint is left to the engine.
    expect(typeJsonSchema(field!.type)).toMatchObject({ properties: { n: { type: 'number', 'x-verdict-where': 'value <= MAX' } } });
  });

  it('keeps a field named __proto__ as an ordinary property', () => {
    const schema = fieldSchema('{ __proto__: string }');
    const properties = schema['properties'] as Record<string, unknown>;
    expect(Object.keys(properties)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(schema)).properties.__proto__).toEqual({ type: 'string' });
  });
});

describe('string encodings', () => {
  const duration = new RegExp(DURATION_PATTERN, 'u');
  it.each(['1h30m', '90s', '1.5h', '-5m', '+2h', '0', '300ms', '1us', '2µs', '2d', '.5s', '5.s', '1h2m3s4ms5us6ns'])(
    'duration %s is accepted',
    (text) => expect(duration.test(text)).toBe(true),
  );
  it.each(['', '1', '1w', '2μs', 'h', '.s', '1h 30m', '--5m', '1.2.3s', '5m-3s', 'PT1H', '00'])('duration %j is refused', (text) =>
    expect(duration.test(text)).toBe(false),
  );

  const timestamp = new RegExp(TIMESTAMP_PATTERN, 'u');
  it.each(['2024-01-31T12:00:00Z', '2024-01-31t12:00:00.123+05:30', '2024-01-31T12:00:00-00:00', '2024-01-31 12:00:00Z'])('timestamp %s is accepted', (text) =>
    expect(timestamp.test(text)).toBe(true),
  );
  it.each(['2024-01-31', '2024-01-31T12:00:00', '2024-01-31_12:00:00Z', 'yesterday', '2024-01-31T12:00Z'])(
    'timestamp %j is refused',
    (text) => expect(timestamp.test(text)).toBe(false),
  );
});
