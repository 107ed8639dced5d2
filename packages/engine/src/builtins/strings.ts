import { RE2JS } from 're2js';
import type { EvalState } from '../context.ts';
import { typeError } from '../ops.ts';
import { VError, typeName, type Value } from '../values.ts';
import { patternSize } from './pattern-size.ts';
import type { BuiltinTable } from './types.ts';
import { expectString } from './util.ts';

/** Compiled patterns, shared across evaluations (bounded: cleared when full). */
const regexCache = new Map<string, RE2JS | string>();
const REGEX_CACHE_SIZE = 1000;
/** Estimated program sizes, by pattern (bounded the same way). */
const sizeCache = new Map<string, number>();

/**
 * Compiling a program costs about as much per instruction as searching 100 characters with it
 * (RE2 in JavaScript: microseconds per instruction). Charged on every search, compiled or cached,
 * so that the count does not depend on what ran before.
 */
const COMPILE_STEPS = 100;

/** The steps a search for `pattern` in `text` costs: the program's size times (the text's length + 1 + 100). */
export function patternCost(pattern: string, text: string): number {
  let size = sizeCache.get(pattern);
  if (size === undefined) {
    size = patternSize(pattern);
    // long patterns are estimated again rather than kept (the estimate is linear in their length)
    if (pattern.length <= 1024) {
      if (sizeCache.size >= REGEX_CACHE_SIZE) sizeCache.clear();
      sizeCache.set(pattern, size);
    }
  }
  return size * (text.length + 1 + COMPILE_STEPS);
}

function compileRegex(pattern: string): RE2JS | string {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch (error) {
      re = error instanceof Error ? error.message : String(error);
    }
    if (regexCache.size >= REGEX_CACHE_SIZE) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const EDGE_SPACE = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');

/** A function of one string that reads all of it (one step per 16 characters, besides the call's). */
function stringFn(name: string, f: (s: string) => Value): BuiltinTable[string] {
  return {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node, state) => {
      const s = expectString(v as Value, name, node);
      return s instanceof VError ? s : (state.scan(s.length, node) ?? f(s));
    },
  };
}

function stringPair(name: string, f: (a: string, b: string, node: number, state: EvalState) => Value): BuiltinTable[string] {
  return {
    minArgs: 2,
    maxArgs: 2,
    fn: ([a, b], node, state) => {
      const x = expectString(a as Value, name, node);
      if (x instanceof VError) return x;
      const y = expectString(b as Value, name, node);
      if (y instanceof VError) return y;
      return f(x, y, node, state);
    },
  };
}

export const stringBuiltins: BuiltinTable = {
  // comparing a prefix or suffix reads it: one step per 16 of its characters (as the generated code counts)
  startsWith: stringPair('startsWith', (a, b, node, state) => state.scan(b.length, node) ?? a.startsWith(b)),
  endsWith: stringPair('endsWith', (a, b, node, state) => state.scan(b.length, node) ?? a.endsWith(b)),
  /** Unanchored search, like CEL / RE2 `PartialMatch`; charged before the pattern is compiled or run. */
  matches: stringPair('matches', (s, pattern, node, state) => {
    const spent = state.charge(patternCost(pattern, s), node);
    if (spent !== null) return spent;
    const re = compileRegex(pattern);
    if (typeof re === 'string') return new VError('invalid_regex', `invalid regular expression: ${re}`, node);
    return re.matcher(s).find();
  }),
  lower: stringFn('lower', (s) => s.toLowerCase()),
  upper: stringFn('upper', (s) => s.toUpperCase()),
  /** White space as Go's unicode.IsSpace (CEL): not U+200B or U+FEFF, which JavaScript's trim takes. */
  trim: stringFn('trim', (s) => s.replace(EDGE_SPACE, '')),
  /** `split(sep, n)`: at most n parts, the last holding the rest (Go's SplitN); 0 gives [], negative all. */
  split: {
    minArgs: 2,
    maxArgs: 3,
    fn: ([a, b, limit], node, state) => {
      const s = expectString(a as Value, 'split', node);
      if (s instanceof VError) return s;
      const sep = expectString(b as Value, 'split', node);
      if (sep instanceof VError) return sep;
      const read = state.scan(s.length, node);
      if (read !== null) return read;
      let n = -1;
      if (limit !== undefined) {
        if (typeof limit !== 'number') return typeError(node, `split() needs a number as its limit, not ${typeName(limit)}`);
        if (!Number.isInteger(limit)) return new VError('invalid_argument', `split() needs a whole number as its limit, not ${String(limit)}`, node);
        n = limit;
      }
      if (n === 0) return [];
      const all = sep === '' ? Array.from(s) : s.split(sep);
      const parts = n < 0 || n >= all.length ? all : [...all.slice(0, n - 1), all.slice(n - 1).join(sep)];
      return state.checkLength(parts.length, node) ?? parts;
    },
  },
};
