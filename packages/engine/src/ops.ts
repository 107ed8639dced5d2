/**
 * Operator semantics, shared by the compiler and the reference interpreter so
 * the two differ only in how they walk the tree.
 */
import type { BinaryOperator } from '@verdict/language';
import type { EvalState } from './context.ts';
import { compareTimes, durationOrError, negateDuration, timestampOrError } from './time.ts';
import { Decimal, decimalFrom } from './money.ts';
import { equalCharged, includesCharged } from './equality.ts';
import { Duration, Timestamp, VError, compareStrings, formatNumber, getOwn, isMap, setOwn, typeName, type VMap, type Value } from './values.ts';

export function typeError(node: number, message: string): VError {
  return new VError('type_error', message, node);
}

/** Absent or null (what `??` and `?.` look through). */
export function isNullish(v: Value): boolean {
  return v === null || (v instanceof VError && v.absent);
}

function checkNumber(n: number, node: number): Value {
  return Number.isFinite(n) ? n : new VError('overflow', 'the result is not a finite number', node);
}

/** Ordering of two values: a number, or an error for incomparable types. */
export function compareValues(a: Value, b: Value, node: number): number | VError {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if ((a instanceof Timestamp && b instanceof Timestamp) || (a instanceof Duration && b instanceof Duration)) return compareTimes(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Decimal || b instanceof Decimal) {
    const x = decimalFrom(a);
    const y = decimalFrom(b);
    if (x !== null && y !== null) return x.cmp(y);
  }
  return typeError(node, `cannot compare ${typeName(a)} with ${typeName(b)}`);
}

/**
 * Map keys are strings (JSON objects). CEL's number and boolean keys are read
 * as their text: `{1: "a"}[1]` is `{"1": "a"}["1"]`; other key types are errors.
 */
export function mapKey(key: Value, node: number): string | VError {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isFinite(key)) return formatNumber(key);
  if (typeof key === 'boolean') return String(key);
  if (key instanceof VError) return key;
  return typeError(node, `a map key is a string, not ${typeName(key)}`);
}

/**
 * The number and boolean keys a map literal was written with, by their text:
 * macros iterate them as written (`{6: "six"}.all(k, k > 5)`), while lookups,
 * `in`, equality and JSON use the text.
 */
const writtenKeys = new WeakMap<VMap, Map<string, Value>>();

/** Add one entry of a map literal; a key given twice is an error (CEL). */
export function addMapEntry(out: VMap, key: Value, value: Value, node: number): VError | null {
  const k = mapKey(key, node);
  if (k instanceof VError) return k;
  if (Object.hasOwn(out, k)) return new VError('invalid_argument', `the map repeats the key "${k}"`, node);
  setOwn(out, k, value);
  if (typeof key !== 'string') {
    let written = writtenKeys.get(out);
    if (!written) writtenKeys.set(out, (written = new Map()));
    written.set(k, key);
  }
  return null;
}

export function contains(collection: Value, item: Value, node: number, state: EvalState): Value {
  if (Array.isArray(collection)) {
    // a list is searched item by item: one step per 16 of them (a map looks the key up)
    // (and strings of one length are compared character by character: see equalCharged)
    const read = state.scan(collection.length, node);
    if (read !== null) return read;
    return includesCharged(collection, item, state, node);
  }
  if (isMap(collection)) {
    // a key is read once to look it up: one step per 16 of its characters
    const key = mapKey(item, node);
    return key instanceof VError ? key : (state.scan(key.length, node) ?? Object.hasOwn(collection, key));
  }
  return typeError(node, `\`in\` needs a list or a map, not ${typeName(collection)}`);
}

/** Items of a list or entries of a map (0 for timestamps and durations, compared in one step). */
function sizeOf(v: object): number {
  return Array.isArray(v) ? v.length : isMap(v) ? Object.keys(v).length : 0;
}

/** Strict binary operators (not `&&`, `||`, `??`, which the walkers handle lazily). */
export function binary(op: BinaryOperator, a: Value, b: Value, node: number, state: EvalState): Value {
  if (a instanceof VError) return a;
  if (b instanceof VError) return b;
  switch (op) {
    case '==':
    case '!=': {
      // lists and maps are compared item by item: one step per 16 (the generated code compares scalars only)
      const read = typeof a === 'object' && a !== null && typeof b === 'object' && b !== null ? state.scan(Math.min(sizeOf(a), sizeOf(b)), node) : null;
      if (read !== null) return read;
      const same = equalCharged(a, b, state, node);
      return op === '==' || same instanceof VError ? same : !same;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const c = compareValues(a, b, node);
      if (c instanceof VError) return c;
      if (Number.isNaN(c)) return false; // IEEE: every comparison with NaN is false
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
    case 'in':
      return contains(b, a, node, state);
    case '+':
      if (typeof a === 'number' && typeof b === 'number') return checkNumber(a + b, node);
      if (typeof a === 'string' && typeof b === 'string') return state.checkLength(a.length + b.length, node) ?? a + b;
      if (Array.isArray(a) && Array.isArray(b)) return state.checkLength(a.length + b.length, node) ?? [...a, ...b];
      if (a instanceof Timestamp && b instanceof Duration) return timestampOrError(a.ms + b.ms, a.ns + b.ns, node);
      if (a instanceof Duration && b instanceof Timestamp) return timestampOrError(a.ms + b.ms, a.ns + b.ns, node);
      if (a instanceof Duration && b instanceof Duration) return durationOrError(a.ms + b.ms, a.ns + b.ns, node);
      break;
    case '-':
      if (typeof a === 'number' && typeof b === 'number') return checkNumber(a - b, node);
      if (a instanceof Timestamp && b instanceof Timestamp) return durationOrError(a.ms - b.ms, a.ns - b.ns, node);
      if (a instanceof Timestamp && b instanceof Duration) return timestampOrError(a.ms - b.ms, a.ns - b.ns, node);
      if (a instanceof Duration && b instanceof Duration) return durationOrError(a.ms - b.ms, a.ns - b.ns, node);
      break;
    case '*':
      if (typeof a === 'number' && typeof b === 'number') return checkNumber(a * b, node);
      break;
    case '/':
    case '%':
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) return new VError('division_by_zero', op === '/' ? 'division by zero' : 'modulo by zero', node);
        return checkNumber(op === '/' ? a / b : a % b, node);
      }
      break;
    default:
      break;
  }
  if (a instanceof Decimal || b instanceof Decimal) return decimalArithmetic(op, a, b, node);
  return typeError(node, `\`${op}\` does not apply to ${typeName(a)} and ${typeName(b)}`);
}

/** `+ - * / %` with a decimal on one side and a decimal or a number on the other: exact. */
function decimalArithmetic(op: BinaryOperator, a: Value, b: Value, node: number): Value {
  const x = decimalFrom(a);
  const y = decimalFrom(b);
  if (x === null || y === null) return typeError(node, `\`${op}\` does not apply to ${typeName(a)} and ${typeName(b)}`);
  switch (op) {
    case '+':
      return x.plus(y);
    case '-':
      return x.minus(y);
    case '*':
      return x.times(y);
    case '/':
    case '%':
      if (y.isZero()) return new VError('division_by_zero', op === '/' ? 'division by zero' : 'modulo by zero', node);
      return op === '/' ? x.dividedBy(y) : x.modulo(y);
    default:
      return typeError(node, `\`${op}\` does not apply to ${typeName(a)} and ${typeName(b)}`);
  }
}

export function unary(op: '!' | '-', v: Value, node: number): Value {
  if (v instanceof VError) return v;
  if (op === '!') return typeof v === 'boolean' ? !v : typeError(node, `\`!\` needs a boolean, not ${typeName(v)}`);
  if (typeof v === 'number') return -v;
  if (v instanceof Duration) return negateDuration(v, node);
  if (v instanceof Decimal) return v.negated();
  return typeError(node, `\`-\` needs a number, not ${typeName(v)}`);
}

/**
 * Second half of `&&` / `||` once the left side did not decide alone
 * (CEL: an error or non-boolean on one side is absorbed when the other decides).
 */
export function logicalRest(op: '&&' | '||', left: Value, right: Value, node: number): Value {
  const decisive = op === '||';
  if (right === decisive) return decisive;
  if (left instanceof VError) return left;
  if (typeof left !== 'boolean') return typeError(node, `\`${op}\` needs booleans, not ${typeName(left)}`);
  if (right instanceof VError) return right;
  if (typeof right !== 'boolean') return typeError(node, `\`${op}\` needs booleans, not ${typeName(right)}`);
  return right;
}

/** Errors that no operator absorbs (a spent budget must stop evaluation). */
export function isFatal(v: Value): boolean {
  return v instanceof VError && v.code === 'limit_exceeded';
}

export function member(obj: Value, property: string, optional: boolean, node: number): Value {
  if (optional && isNullish(obj)) return null;
  if (obj instanceof VError) return obj;
  if (isMap(obj)) {
    const v = getOwn(obj, property);
    return v === undefined ? new VError('no_such_field', `no field \`${property}\``, node, true) : v;
  }
  return typeError(node, `cannot read field \`${property}\` of ${typeName(obj)}`);
}

/**
 * `member` for a read of a field its record type declares optional (`optional-fields.ts` says which
 * reads are): a record without the field gives null, not `no_such_field`.
 */
export function optionalMember(obj: Value, property: string, optional: boolean, node: number): Value {
  return isMap(obj) ? (getOwn(obj, property) ?? null) : member(obj, property, optional, node);
}

/** `index` for `r["f"]` where the record type of `r` declares `f` optional: null when the record leaves it out. */
export function optionalIndex(obj: Value, key: Value, optional: boolean, node: number): Value {
  return isMap(obj) && typeof key === 'string' ? (getOwn(obj, key) ?? null) : index(obj, key, optional, node);
}

export function index(obj: Value, key: Value, optional: boolean, node: number): Value {
  if (optional && isNullish(obj)) return null;
  if (obj instanceof VError) return obj;
  if (key instanceof VError) return key;
  if (Array.isArray(obj)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) return typeError(node, `a list index is a whole number, not ${typeName(key)}`);
    if (key < 0 || key >= obj.length) return new VError('index_out_of_range', `index ${key} is out of range (size ${obj.length})`, node);
    return obj[key] as Value;
  }
  if (isMap(obj)) {
    const k = mapKey(key, node);
    if (k instanceof VError) return k;
    const v = getOwn(obj, k);
    return v === undefined ? new VError('no_such_key', `no key "${k}"`, node, true) : v;
  }
  if (typeof obj === 'string') return typeError(node, 'strings cannot be indexed');
  return typeError(node, `cannot index ${typeName(obj)}`);
}

/** `has(a.b)`: false for absent or null `a`. */
export function has(obj: Value, property: string, node: number): Value {
  if (isNullish(obj)) return false;
  if (obj instanceof VError) return obj;
  if (isMap(obj)) return Object.hasOwn(obj, property);
  return typeError(node, `has() needs a map, not ${typeName(obj)}`);
}

/** Items a macro iterates: list items or map keys. */
export function macroItems(target: Value, node: number): Value[] | VError {
  if (target instanceof VError) return target;
  if (Array.isArray(target)) return target;
  if (isMap(target)) {
    const written = writtenKeys.get(target);
    return written ? Object.keys(target).map((k) => written.get(k) ?? k) : Object.keys(target);
  }
  return typeError(node, `macros iterate lists or maps, not ${typeName(target)}`);
}

/**
 * Entries a two-variable macro iterates: [index, item] of a list, [key, value] of a map (the key as
 * written, as `macroItems` gives it).
 */
export function macroEntries(target: Value, node: number): Array<[Value, Value]> | VError {
  if (target instanceof VError) return target;
  if (Array.isArray(target)) return target.map((item, i) => [i, item]);
  if (isMap(target)) {
    const written = writtenKeys.get(target);
    return Object.keys(target).map((k) => [written?.get(k) ?? k, target[k] as Value]);
  }
  return typeError(node, `macros iterate lists or maps, not ${typeName(target)}`);
}

export type PairMacroKind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

type PairFn = (key: Value, value: Value) => Value;

/**
 * Run a two-variable macro (CEL's `all(i, v, p)`, `transformMap(k, v, f, e)`, ...). The predicates
 * and `transformList` are the one-variable macros over the entries; `transformMap` keeps each key
 * (as map key text) with its transformed value; `transformMapEntry` merges the maps its body gives,
 * and a key given twice is an error.
 */
export function runPairMacro(macro: PairMacroKind, entries: Array<[Value, Value]>, filter: PairFn | null, body: PairFn, node: number, state: EvalState): Value {
  const items = entries as unknown as Value[];
  const pair = (f: PairFn) => (item: Value) => f((item as unknown as [Value, Value])[0], (item as unknown as [Value, Value])[1]);
  switch (macro) {
    case 'all':
    case 'exists':
      return runMacro(macro, items, null, pair(body), node, state);
    case 'existsOne':
      return runMacro('exists_one', items, null, pair(body), node, state);
    case 'transformList':
      return runMacro('map', items, filter && pair(filter), pair(body), node, state);
    default:
      break;
  }
  const out: VMap = {};
  for (const [key, value] of entries) {
    const stop = state.step(node);
    if (stop) return stop;
    if (filter !== null) {
      const keep = filter(key, value);
      if (keep instanceof VError) return keep;
      if (typeof keep !== 'boolean') return typeError(node, `\`${macro}\` needs a boolean filter, not ${typeName(keep)}`);
      if (!keep) continue;
    }
    const v = body(key, value);
    if (v instanceof VError) return v;
    if (macro === 'transformMap') {
      const k = mapKey(key, node);
      if (k instanceof VError) return k;
      setOwn(out, k, v);
      continue;
    }
    if (!isMap(v)) return typeError(node, `\`transformMapEntry\` needs a map from its transform, not ${typeName(v)}`);
    for (const k of Object.keys(v)) {
      if (Object.hasOwn(out, k)) return new VError('invalid_argument', `\`transformMapEntry\` gives the key "${k}" twice`, node);
      setOwn(out, k, v[k] as Value);
    }
  }
  return out;
}

export function conditionalTest(test: Value, node: number): boolean | VError {
  if (test instanceof VError) return test;
  if (typeof test !== 'boolean') return typeError(node, `a condition must be boolean, not ${typeName(test)}`);
  return test;
}

export type MacroKind = 'all' | 'exists' | 'exists_one' | 'map' | 'filter';

/**
 * Run a macro over `items`. `all`/`exists` absorb an error when another item
 * decides (CEL); `exists_one`, `map` and `filter` propagate the first error.
 */
export function runMacro(
  macro: MacroKind,
  items: Value[],
  filter: ((item: Value) => Value) | null,
  body: (item: Value) => Value,
  node: number,
  state: EvalState,
): Value {
  if (macro === 'all' || macro === 'exists') {
    const decisive = macro === 'exists';
    let pending: VError | null = null;
    for (const item of items) {
      const stop = state.step(node);
      if (stop) return stop;
      const v = body(item);
      if (v === decisive) return decisive;
      if (isFatal(v)) return v;
      if (v instanceof VError) pending ??= v;
      else if (typeof v !== 'boolean') pending ??= typeError(node, `\`${macro}\` needs a boolean predicate, not ${typeName(v)}`);
    }
    return pending ?? !decisive;
  }
  if (macro === 'exists_one') {
    let count = 0;
    for (const item of items) {
      const stop = state.step(node);
      if (stop) return stop;
      const v = body(item);
      if (v instanceof VError) return v;
      if (typeof v !== 'boolean') return typeError(node, `\`exists_one\` needs a boolean predicate, not ${typeName(v)}`);
      if (v) count++;
    }
    return count === 1;
  }
  const out: Value[] = [];
  for (const item of items) {
    const stop = state.step(node);
    if (stop) return stop;
    if (macro === 'filter' || filter !== null) {
      const keep = (macro === 'filter' ? body : (filter as (item: Value) => Value))(item);
      if (keep instanceof VError) return keep;
      if (typeof keep !== 'boolean') return typeError(node, `\`${macro}\` needs a boolean predicate, not ${typeName(keep)}`);
      if (!keep) continue;
      if (macro === 'filter') {
        out.push(item);
        continue;
      }
    }
    const v = body(item);
    if (v instanceof VError) return v;
    out.push(v);
  }
  return out;
}
