/** The `decimal` type's operations and built-ins, on closures, generated code and the reference interpreter. */
import { describe, expect, it } from 'vitest';
import { parseExpression } from '@verdict/language';
import { compileExpression, interpretWith, toJson, VError, type Value } from '@verdict/engine';
import { ruleset } from './helpers.ts';

function evaluateAll(text: string): unknown[] {
  const results: unknown[] = [];
  for (const codegen of [false, true]) {
    const compiled = compileExpression(text, {}, {}, { codegen });
    if ('diagnostics' in compiled) throw new Error(`${text}: ${compiled.diagnostics[0]?.message}`);
    const r = compiled.evaluate();
    results.push(r.ok ? toJson(r.value as Value) : `error ${r.error.code}`);
  }
  const ref = interpretWith(parseExpression(text).expr, {});
  results.push(ref instanceof VError ? `error ${ref.code}` : toJson(ref));
  return results;
}

describe('decimal', () => {
  it.each([
    ['decimal("0.1") + decimal("0.2")', '0.3'],
    ['decimal("0.1") + decimal("0.2") == 0.3', true],
    ['0.1 + 0.2 == 0.3', false],
    ['decimal(166.66) * 3 + 0.02', '500'],
    ['decimal("10000000.01") == decimal("10000000.00")', false],
    ['decimal("1.50") == 1.5', true],
    ['decimal("2") > 1.999', true],
    ['[decimal("1.0")] == [1]', true],
    ['decimal(1) / 3', '0.3333333333333333333333333333333333'],
    ['decimal(1) / 0', 'error division_by_zero'],
    ['decimal("7") % 4', '3'],
    ['-decimal("2.5")', '-2.5'],
    ['decimal("1e3")', '1000'],
    ['decimal("0.000000001")', '0.000000001'],
    ['decimal("1,5")', 'error invalid_argument'],
    ['decimal(true)', 'error type_error'],
    ['decimal("1") + "a"', 'error type_error'],
    ['sum([decimal("0.1"), 0.2, decimal("0.3")])', '0.6'],
    ['string(decimal("12.50"))', '12.5'],
  ])('%s is %j', (text, want) => {
    expect(evaluateAll(text)).toEqual([want, want, want]);
  });

  it.each([
    ['half_up', ['2.35', '-2.35', '2.34', '2.34']],
    ['half_even', ['2.34', '-2.34', '2.34', '2.34']],
    ['half_down', ['2.34', '-2.34', '2.34', '2.34']],
    ['up', ['2.35', '-2.35', '2.35', '2.35']],
    ['down', ['2.34', '-2.34', '2.34', '2.34']],
    ['ceiling', ['2.35', '-2.34', '2.35', '2.35']],
    ['floor', ['2.34', '-2.35', '2.34', '2.34']],
  ])('round(_, 2, "%s")', (mode, want) => {
    const got = ['2.345', '-2.345', '2.3449', '2.3401'].map((x) => evaluateAll(`round(decimal("${x}"), 2, "${mode}")`)[0]);
    expect(got).toEqual(want);
  });

  it.each([
    ['round(decimal("1250"), -2, "half_even")', '1200'],
    ['round(decimal("1350"), -2, "half_even")', '1400'],
    ['round(2.5, 0, "half_even")', 2],
    ['round(2.5)', 3],
    ['round(decimal("2.5"))', '3'],
    ['round(decimal("2.5"), 0, "nearest")', 'error invalid_argument'],
    ['fixed(decimal("1234.5"), 2)', '1234.50'],
    ['fixed(decimal("0.125"), 2)', '0.12'],
    ['fixed(decimal("0.125"), 2, "half_up")', '0.13'],
    ['fixed(-0.001, 2)', '0.00'],
    ['fixed(5, 0)', '5'],
    ['fixed(decimal("5"), -1)', 'error invalid_argument'],
  ])('%s is %j', (text, want) => {
    expect(evaluateAll(text)).toEqual([want, want, want]);
  });
});

describe('decimal input fields', () => {
  const money = ruleset(`ruleset t.price
input { price: decimal where value > 0 && value <= 1000, cart: list<decimal> }
decision deny > allow
output total = decimal(0) + sum(cart) + price
rule big {
  severity low
  deny when price * 2 > 100
  because "big {fixed(price, 2)}"
}
`);

  it('take a string of digits or a number, and keep their `where` for both', () => {
    expect(money.evaluate({ price: '49.995', cart: ['0.1', 0.2] })).toMatchObject({ ok: true, decision: 'allow', outputs: { total: '50.295' } });
    expect(money.evaluate({ price: 50.5, cart: [] })).toMatchObject({ ok: true, decision: 'deny', violations: [{ message: 'big 50.50' }] });
    for (const price of ['-5', -5, '0', '1000.01', 1e6]) expect(money.evaluate({ price, cart: [] }).ok).toBe(false);
    for (const cart of [['x'], [true], [null]]) expect(money.evaluate({ price: '1', cart }).ok).toBe(false);
  });
});
