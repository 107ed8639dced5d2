/** Test blocks write inputs, params and expectations as literals; this turns them into JSON values. */
import type { Expr } from '@verdict/language';
import { DECIMAL_TEXT, Decimal, decimalFrom } from '../money.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class NotALiteral extends Error {
  constructor(readonly expr: Expr) {
    super('only literal values (numbers, strings, booleans, null, lists and maps) may be used here');
  }
}

export function literalValue(expr: Expr): Json {
  switch (expr.kind) {
    case 'Null':
      return null;
    case 'Bool':
    case 'Number':
    case 'String':
      return expr.value;
    case 'Unary':
      if (expr.op === '-') {
        const v = literalValue(expr.operand);
        if (typeof v === 'number') return -v;
      }
      throw new NotALiteral(expr);
    case 'List':
      return expr.items.map(literalValue);
    case 'Map': {
      // A null-prototype object, so keys such as `__proto__` stay plain data.
      const out = Object.create(null) as { [key: string]: Json };
      for (const entry of expr.entries) {
        const key = literalValue(entry.key);
        if (typeof key !== 'string') throw new NotALiteral(entry.key);
        out[key] = literalValue(entry.value);
      }
      return out;
    }
    default:
      throw new NotALiteral(expr);
  }
}

/**
 * Deep equality for expectations, exact: `10000000.01` is not `10000000.00`. A decimal output (its
 * digits as a string) equals a number literal of the same value (`premium: 691.2` for "691.2");
 * the checker has made sure the expected value fits the output's type.
 */
export function sameValue(actual: unknown, expected: Json, within = 0): boolean {
  if (typeof expected === 'number') {
    if (typeof actual === 'number') return Number.isNaN(expected) ? Number.isNaN(actual) : actual === expected || Math.abs(actual - expected) <= within;
    if (typeof actual !== 'string' || !DECIMAL_TEXT.test(actual)) return false;
    const want = decimalFrom(expected);
    const tolerance = decimalFrom(within);
    return want !== null && tolerance !== null && want.minus(new Decimal(actual)).abs().lte(tolerance);
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => sameValue(actual[i], e, within));
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((k) => Object.hasOwn(actual, k) && sameValue((actual as Record<string, unknown>)[k], expected[k]!, within));
  }
  return actual === expected;
}
