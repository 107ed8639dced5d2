import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { inputJsonSchema, VERDICT_KEYWORDS, type JsonSchema } from '../../src/json-schema.ts';
import { parseRuleset } from './helpers.ts';
import { CONSTS, translated, untranslated } from './where-cases.ts';

/** A strict ajv as the engine would set it up: our annotations declared, date-time checked. */
function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addVocabulary([...VERDICT_KEYWORDS]);
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv;
}

const RULESET = `
# Admission of services.
ruleset validate.sample

const MIN_LEN = 1

input {
  service: {
    id: string where size(value) >= MIN_LEN
    tier: "free" | "standard" | "enterprise"
    endpoint: string where value.startsWith("https://")
    data_residency: list<string> where value.all(c, c.matches("^[A-Z]{2}$"))
    tls_version?: number where value >= 1.2
    labels: map<string>
    secret: string sensitive
    sla?: { availability: number where value >= 0 && value <= 100 }
  }
  amount: number where value > 0
  count: number where value == floor(value) && value >= 0
  codes: list<string> where size(value) <= 3
  created: timestamp
  ttl: duration
  start: number
  end: number where value > start
  extra: any
  mode: "a" | 1 | true
}
`;

const VALID = {
  service: {
    id: 's-1',
    tier: 'free',
    endpoint: 'https://example.test',
    data_residency: ['DE', 'FR'],
    labels: { env: 'prod' },
    secret: 'k',
  },
  amount: 12.5,
  count: 3,
  codes: ['a', 'b'],
  created: '2026-11-27T05:00:00Z',
  ttl: '1h30m',
  start: 1,
  end: 2,
  extra: { anything: [1, 'x'] },
  mode: 1,
};

type Mutation = (input: typeof VALID & Record<string, unknown>) => void;

/** [what, mutation of VALID, instancePath, keyword] — each must be refused there. */
const INVALID: Array<[string, Mutation, string, string]> = [
  ['missing required field', (i) => delete (i as Partial<typeof VALID>).amount, '', 'required'],
  ['unknown root field (typo)', (i) => (i['amout'] = 1), '', 'additionalProperties'],
  ['unknown nested field', (i) => ((i.service as Record<string, unknown>)['tierr'] = 'free'), '/service', 'additionalProperties'],
  ['string for number', (i) => ((i as Record<string, unknown>)['amount'] = '5'), '/amount', 'type'],
  ['value > 0', (i) => (i.amount = 0), '/amount', 'exclusiveMinimum'],
  ['literal union', (i) => (i.service.tier = 'gold'), '/service/tier', 'enum'],
  ['startsWith', (i) => (i.service.endpoint = 'http://x'), '/service/endpoint', 'pattern'],
  ['size >= const', (i) => (i.service.id = ''), '/service/id', 'minLength'],
  ['list item type', (i) => ((i.service.data_residency as unknown[])[1] = 5), '/service/data_residency/1', 'type'],
  ['all(c, matches)', (i) => (i.service.data_residency = ['DE', 'usa']), '/service/data_residency/1', 'pattern'],
  ['map value type', (i) => ((i.service.labels as Record<string, unknown>)['env'] = 1), '/service/labels/env', 'type'],
  ['optional field null', (i) => ((i.service as Record<string, unknown>)['tls_version'] = null), '/service/tls_version', 'type'],
  ['optional field constraint', (i) => ((i.service as Record<string, unknown>)['tls_version'] = 1.1), '/service/tls_version', 'minimum'],
  ['nested record required', (i) => ((i.service as Record<string, unknown>)['sla'] = {}), '/service/sla', 'required'],
  ['nested maximum', (i) => ((i.service as Record<string, unknown>)['sla'] = { availability: 101 }), '/service/sla/availability', 'maximum'],
  ['integer', (i) => (i.count = 1.5), '/count', 'type'],
  ['integer and minimum', (i) => (i.count = -1), '/count', 'minimum'],
  ['maxItems', (i) => (i.codes = ['a', 'b', 'c', 'd']), '/codes', 'maxItems'],
  ['timestamp shape', (i) => (i.created = '27/11/2026'), '/created', 'pattern'],
  ['timestamp range', (i) => (i.created = '2026-13-45T05:00:00Z'), '/created', 'format'],
  ['duration', (i) => (i.ttl = '5 minutes'), '/ttl', 'pattern'],
  ['mixed union', (i) => ((i as Record<string, unknown>)['mode'] = '1'), '/mode', 'enum'],
];

describe('validation round trip with ajv (draft 2020-12)', () => {
  const schema = inputJsonSchema(parseRuleset(RULESET));
  const validate = strictAjv().compile(schema);

  it('accepts a valid input, with and without optional fields', () => {
    expect(validate(VALID), JSON.stringify(validate.errors)).toBe(true);
    const full = structuredClone(VALID) as typeof VALID & { service: Record<string, unknown> };
    full.service['tls_version'] = 1.3;
    full.service['sla'] = { availability: 99.9 };
    expect(validate(full), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts an input breaking only an untranslated where (the engine checks it)', () => {
    expect(schema['properties']).toMatchObject({ end: { 'x-verdict-where': 'value > start' } });
    expect(validate({ ...VALID, start: 5, end: 1 })).toBe(true);
  });

  it.each(INVALID)('refuses: %s', (_what, mutate, instancePath, keyword) => {
    const input = structuredClone(VALID) as typeof VALID & Record<string, unknown>;
    mutate(input);
    expect(validate(input)).toBe(false);
    const errors = (validate.errors ?? []) as ErrorObject[];
    expect(errors.map((e) => [e.instancePath, e.keyword])).toContainEqual([instancePath, keyword]);
  });
});

describe('every translated form compiles under strict ajv', () => {
  const rows = [...translated.map(([decl]) => decl), ...untranslated.map(([decl]) => decl)];
  const fields = rows.map((decl, i) => `  f${i}: ${decl}`).join('\n');
  const schema: JsonSchema = inputJsonSchema(parseRuleset(`ruleset t\n${CONSTS}\ninput {\n${fields}\n}\n`));

  it('compiles', () => {
    expect(() => strictAjv().compile(schema)).not.toThrow();
  });
});
