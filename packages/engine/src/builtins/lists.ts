import type { EvalState } from '../context.ts';
import { typeError } from '../ops.ts';
import { includesCharged } from '../equality.ts';
import { VError, isMap, toText, typeName, type Value } from '../values.ts';
import type { BuiltinTable } from './types.ts';
import { expectList, expectString, invalid, numbersOf } from './util.ts';

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function finite(n: number, node: number): Value {
  return Number.isFinite(n) ? n : new VError('overflow', 'the result is not a finite number', node);
}

function extreme(name: 'min' | 'max', args: Value[], node: number, state: EvalState): Value {
  let nums: number[] | VError;
  if (args.length === 1) nums = numbersOf(args[0] as Value, name, node);
  else {
    for (const a of args) if (typeof a !== 'number') return typeError(node, `${name}() needs numbers, not ${typeName(a)}`);
    nums = args as number[];
  }
  if (nums instanceof VError) return nums;
  const read = state.scan(nums.length, node);
  if (read !== null) return read;
  if (nums.length === 0) return invalid(node, `${name}() of an empty list`);
  let best = nums[0] as number;
  for (const n of nums) {
    if (Number.isNaN(n)) return NaN;
    if (name === 'min' ? n < best : n > best) best = n;
  }
  return best;
}

/** A list built from a map, counted as built (one step per 16 items). */
function listOf(items: Value[], node: number, state: EvalState): Value {
  return state.scan(items.length, node) ?? items;
}

export const listBuiltins: BuiltinTable = {
  size: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node, state) => {
      // a string's code points are counted one by one; a list or map knows its size
      if (typeof v === 'string') return state.scan(v.length, node) ?? codePointLength(v);
      if (Array.isArray(v)) return v.length;
      if (isMap(v)) return Object.keys(v).length;
      return typeError(node, `size() needs a string, list or map, not ${typeName(v as Value)}`);
    },
  },
  sum: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node, state) => {
      const nums = numbersOf(v as Value, 'sum', node);
      if (nums instanceof VError) return nums;
      const read = state.scan(nums.length, node);
      if (read !== null) return read;
      let total = 0;
      for (const n of nums) total += n;
      return finite(total, node);
    },
  },
  min: { minArgs: 1, maxArgs: Infinity, fn: (args, node, state) => extreme('min', args, node, state) },
  max: { minArgs: 1, maxArgs: Infinity, fn: (args, node, state) => extreme('max', args, node, state) },
  avg: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node, state) => {
      const nums = numbersOf(v as Value, 'avg', node);
      if (nums instanceof VError) return nums;
      const read = state.scan(nums.length, node);
      if (read !== null) return read;
      if (nums.length === 0) return invalid(node, 'avg() of an empty list');
      let total = 0;
      for (const n of nums) total += n;
      return finite(total / nums.length, node);
    },
  },
  count: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node, state) => {
      const list = expectList(v as Value, 'count', node);
      if (list instanceof VError) return list;
      const read = state.scan(list.length, node);
      if (read !== null) return read;
      let n = 0;
      for (const x of list) {
        if (typeof x !== 'boolean') return typeError(node, `count() needs a list of booleans, found ${typeName(x)}`);
        if (x) n++;
      }
      return n;
    },
  },
  contains: {
    minArgs: 2,
    maxArgs: 2,
    fn: ([a, b], node, state) => {
      if (typeof a === 'string') {
        const part = expectString(b as Value, 'contains', node);
        return part instanceof VError ? part : (state.scan(a.length, node) ?? a.includes(part));
      }
      if (Array.isArray(a)) return state.scan(a.length, node) ?? includesCharged(a, b as Value, state, node);
      if (isMap(a)) return typeof b === 'string' ? (state.scan(b.length, node) ?? Object.hasOwn(a, b)) : typeError(node, 'a map key is a string');
      return typeError(node, `contains() needs a string or a list, not ${typeName(a as Value)}`);
    },
  },
  join: {
    minArgs: 1,
    maxArgs: 2,
    fn: ([v, sep], node, state) => {
      const list = expectList(v as Value, 'join', node);
      if (list instanceof VError) return list;
      const s = sep === undefined ? '' : expectString(sep, 'join', node);
      if (s instanceof VError) return s;
      const out = list.map(toText).join(s);
      return state.checkLength(out.length, node) ?? out;
    },
  },
  keys: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node, state) => (isMap(v) ? listOf(Object.keys(v), node, state) : typeError(node, `keys() needs a map, not ${typeName(v as Value)}`)),
  },
  values: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node, state) => (isMap(v) ? listOf(Object.keys(v).map((k) => v[k] as Value), node, state) : typeError(node, `values() needs a map, not ${typeName(v as Value)}`)),
  },
};
