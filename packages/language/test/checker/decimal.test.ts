/** The checker's `decimal` type: mixing with numbers, literals where a decimal is declared, VD2021. */
import { describe, expect, it } from 'vitest';
import { analyze, inputJsonSchema } from '../../src/index.ts';

const prelude = `ruleset t.decimal
input { price: decimal, qty: number, label: string, fee?: decimal }
param rate: decimal = "0.015"
const LIMIT: decimal = 500
decision deny > allow
`;
const rule = (condition: string) => `rule r {\n  severity low\n  deny when ${condition}\n  because "x"\n}\n`;
const errors = (body: string) => analyze(prelude + body).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

describe('decimal', () => {
  it.each([
    ['price * qty > LIMIT'],
    ['price * 1.28 + 1 >= 2'],
    ['-price < 0 && price == 1.5 && price != qty'],
    ['round(price * rate, 2, "half_even") > 1'],
    ['fixed(price, 2) == "1.00"'],
    ['sum([price, price]) > 2'],
    ['(fee ?? 0) + price > 2'],
    ['decimal(label) > price'],
  ])('%s type-checks', (condition) => {
    expect(errors(rule(condition))).toEqual([]);
  });

  it.each([
    ['price + label == "x"', 'VD2004'],
    ['price > "1"', 'VD2004'],
    ['round(price, 2) == "x"', 'VD2004'],
  ])('%s is %s', (condition, code) => {
    expect(errors(rule(condition))).toContain(code);
  });

  it('a decimal output, param or test value is written as a number or its digits', () => {
    const body = `output total: decimal = price * qty\n${rule('price > 1')}test "t" {\n  input { price: "19.99", qty: 2, label: "x", fee: 0.5 }\n  params { rate: 0.02 }\n  expect outputs { total: "39.98" }\n}\n`;
    expect(errors(body)).toEqual([]);
    expect(errors(body.replace('"19.99"', '"19,99"'))).toEqual(['VD2021']);
    expect(errors(body.replace('rate: 0.02', 'rate: "2%"'))).toEqual(['VD2021']);
    expect(errors(`param fee2: decimal = "abc"\n${rule('fee2 > 1')}`)).toEqual(['VD2021']);
    // a number-typed value stays a number: no string there
    expect(errors(`param n: number = "1"\n${rule('n > 1')}`)).toEqual(['VD2003']);
  });

  it('the JSON Schema takes a string of digits or a number', () => {
    const schema = inputJsonSchema(analyze(prelude).ast) as { properties: Record<string, unknown> };
    expect(schema.properties['price']).toEqual({ type: ['string', 'number'], pattern: '^[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?$' });
  });
});
