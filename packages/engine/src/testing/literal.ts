/** Test blocks write inputs, params and expectations as literals; this turns them into JSON values. */
import type { Expr } from '@verdict/language';

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

/** Deep equality for expectations; numbers equal within a relative 1e-9 (computed premiums). */
export function sameValue(actual: unknown, expected: Json): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(actual), Math.abs(expected));
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => sameValue(actual[i], e));
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((k) => Object.hasOwn(actual, k) && sameValue((actual as Record<string, unknown>)[k], expected[k]!));
  }
  return actual === expected;
}
