/**
 * CEL's conversion functions. Verdict has one number type, so `int` and `uint`
 * truncate toward zero and check CEL's ranges, and `double` parses or passes
 * numbers through; `bytes` is the identity on text (bytes are read as text).
 */
import { typeError } from '../ops.ts';
import { Duration, Timestamp, VError, isMap, typeName, type Value } from '../values.ts';
import type { BuiltinTable } from './types.ts';
import { invalid } from './util.ts';

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function rangeError(node: number, name: string, v: Value): VError {
  return new VError('overflow', `${name}(${typeof v === 'number' ? String(v) : JSON.stringify(v)}) is out of range`, node);
}

function whole(name: 'int' | 'uint', v: Value, node: number): Value {
  let n: number;
  if (typeof v === 'number') n = Math.trunc(v);
  else if (typeof v === 'string') {
    if (!INTEGER.test(v)) return invalid(node, `"${v}" is not a whole number`);
    n = Number(v);
  } else if (v instanceof Timestamp && name === 'int') n = Math.floor(v.ms / 1000);
  else return typeError(node, `${name}() needs a number or a string, not ${typeName(v)}`);
  const ok = name === 'int' ? n > -TWO_63 && n < TWO_63 : n >= 0 && n < TWO_64;
  return ok ? n || 0 : rangeError(node, name, v);
}

/**
 * CEL's name for the type of a value. Verdict has no type values: a type is
 * its name as a string, and every number is a `double`.
 */
export function celTypeName(v: Value): string {
  if (v === null) return 'null_type';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Timestamp) return 'google.protobuf.Timestamp';
  if (v instanceof Duration) return 'google.protobuf.Duration';
  if (isMap(v)) return 'map';
  return typeName(v);
}

/** CEL's type denotations (`int`, `map`, ...): names whose value is their type name. */
export const TYPE_DENOTATIONS: readonly string[] = ['bool', 'bytes', 'double', 'int', 'list', 'map', 'null_type', 'string', 'type', 'uint', 'google.protobuf.Timestamp', 'google.protobuf.Duration'];

const TRUE_TEXT = new Set(['1', 't', 'true', 'TRUE', 'True']);
const FALSE_TEXT = new Set(['0', 'f', 'false', 'FALSE', 'False']);

export const conversionBuiltins: BuiltinTable = {
  dyn: { minArgs: 1, maxArgs: 1, fn: ([v]) => v as Value },
  type: { minArgs: 1, maxArgs: 1, fn: ([v]) => celTypeName(v as Value) },
  int: { minArgs: 1, maxArgs: 1, fn: ([v], node) => whole('int', v as Value, node) },
  uint: { minArgs: 1, maxArgs: 1, fn: ([v], node) => whole('uint', v as Value, node) },
  double: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node) => {
      if (typeof v === 'number') return v;
      if (typeof v !== 'string') return typeError(node, `double() needs a number or a string, not ${typeName(v as Value)}`);
      if (v === 'NaN') return NaN;
      if (/^[+-]?(Infinity|inf)$/i.test(v)) return v.startsWith('-') ? -Infinity : Infinity;
      if (!DECIMAL.test(v)) return invalid(node, `"${v}" is not a number`);
      return Number(v);
    },
  },
  bool: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node) => {
      if (typeof v === 'boolean') return v;
      if (typeof v !== 'string') return typeError(node, `bool() needs a boolean or a string, not ${typeName(v as Value)}`);
      if (TRUE_TEXT.has(v)) return true;
      if (FALSE_TEXT.has(v)) return false;
      return invalid(node, `"${v}" is not a boolean`);
    },
  },
  bytes: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node) => (typeof v === 'string' ? v : typeError(node, `bytes() needs a string, not ${typeName(v as Value)}`)),
  },
};
