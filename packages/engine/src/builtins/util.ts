import { typeError } from '../ops.ts';
import { VError, typeName, type Value } from '../values.ts';

export function expectString(v: Value, fn: string, node: number): string | VError {
  return typeof v === 'string' ? v : typeError(node, `${fn}() needs a string, not ${typeName(v)}`);
}

export function expectNumber(v: Value, fn: string, node: number): number | VError {
  return typeof v === 'number' ? v : typeError(node, `${fn}() needs a number, not ${typeName(v)}`);
}

export function expectList(v: Value, fn: string, node: number): Value[] | VError {
  return Array.isArray(v) ? v : typeError(node, `${fn}() needs a list, not ${typeName(v)}`);
}

export function numbersOf(v: Value, fn: string, node: number): number[] | VError {
  const list = expectList(v, fn, node);
  if (list instanceof VError) return list;
  for (const x of list) if (typeof x !== 'number') return typeError(node, `${fn}() needs a list of numbers, found ${typeName(x)}`);
  return list as number[];
}

export function invalid(node: number, message: string): VError {
  return new VError('invalid_argument', message, node);
}
