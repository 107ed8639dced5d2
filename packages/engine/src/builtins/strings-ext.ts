/**
 * CEL's strings extension (cel-go `ext.Strings`): indexes are code points, and an index outside the
 * string is an `invalid_argument` error. Also `trimPrefix`/`trimSuffix` (Go's names) and
 * `slice` on lists (cel-go's lists extension).
 */
import { typeError } from '../ops.ts';
import { VError, typeName, type Value } from '../values.ts';
import { celFormat } from './format.ts';
import { codePointIndex, codePoints, unitOffset } from './text.ts';
import type { BuiltinImpl, BuiltinTable } from './types.ts';
import { expectList, expectString, invalid } from './util.ts';
import type { EvalState } from '../context.ts';

/** A whole-number argument (an index or a count). */
function whole(v: Value | undefined, fn: string, what: string, node: number): number | VError {
  if (typeof v !== 'number') return typeError(node, `${fn}() needs a number as its ${what}, not ${typeName(v ?? null)}`);
  if (!Number.isInteger(v)) return invalid(node, `${fn}() needs a whole number as its ${what}, not ${String(v)}`);
  return v;
}

/** Arguments checked by kind, then `f`: 's' a string, 'n' a whole number; optional ones after `required`. */
function fn(name: string, kinds: string, required: number, f: (args: Array<string | number>, node: number, state: EvalState) => Value): BuiltinImpl {
  return {
    minArgs: required,
    maxArgs: kinds.length,
    fn: (args, node, state) => {
      const checked: Array<string | number> = [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i] as Value;
        if (a instanceof VError) return a;
        const c = kinds[i] === 's' ? expectString(a, name, node) : whole(a, name, i === 0 ? 'receiver' : `argument ${i + 1}`, node);
        if (c instanceof VError) return c;
        checked.push(c);
      }
      return f(checked, node, state);
    },
  };
}

function outOfRange(name: string, index: number, size: number, node: number): VError {
  return invalid(node, `${name}() index ${index} is outside 0..${size}`);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const QUOTE_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"' };

export const stringExtBuiltins: BuiltinTable = {
  charAt: fn('charAt', 'sn', 2, ([s, i], node) => {
    const text = s as string;
    const cps = codePoints(text);
    const size = cps === null ? text.length : cps.length;
    const index = i as number;
    if (index < 0 || index > size) return outOfRange('charAt', index, size, node);
    if (index === size) return '';
    return cps === null ? text.charAt(index) : (cps[index] as string);
  }),
  indexOf: fn('indexOf', 'ssn', 2, ([s, sub, from], node) => {
    const text = s as string;
    const cps = codePoints(text);
    const size = cps === null ? text.length : cps.length;
    const start = (from as number | undefined) ?? 0;
    if (start < 0 || start > size) return outOfRange('indexOf', start, size, node);
    return codePointIndex(text, text.indexOf(sub as string, unitOffset(text, cps, start)));
  }),
  lastIndexOf: fn('lastIndexOf', 'ssn', 2, ([s, sub, from], node) => {
    const text = s as string;
    const cps = codePoints(text);
    const size = cps === null ? text.length : cps.length;
    const start = (from as number | undefined) ?? size;
    if (start < 0 || start > size) return outOfRange('lastIndexOf', start, size, node);
    return codePointIndex(text, text.lastIndexOf(sub as string, unitOffset(text, cps, start)));
  }),
  lowerAscii: fn('lowerAscii', 's', 1, ([s]) => (s as string).replace(/[A-Z]+/g, (m) => m.toLowerCase())),
  upperAscii: fn('upperAscii', 's', 1, ([s]) => (s as string).replace(/[a-z]+/g, (m) => m.toUpperCase())),
  replace: fn('replace', 'sssn', 3, ([s, from, to, limit], node, state) => {
    const text = s as string;
    const old = from as string;
    const n = (limit as number | undefined) ?? -1;
    if (n === 0) return text;
    // between code points when the old text is empty, as Go does
    const parts = old === '' ? ['', ...Array.from(text), ''] : text.split(old);
    const out = n < 0 || n >= parts.length - 1 ? parts.join(to as string) : parts.slice(0, n + 1).join(to as string) + old + parts.slice(n + 1).join(old);
    return state.checkLength(out.length, node) ?? out;
  }),
  substring: fn('substring', 'snn', 2, ([s, a, b], node) => {
    const text = s as string;
    const cps = codePoints(text);
    const size = cps === null ? text.length : cps.length;
    const start = a as number;
    const end = (b as number | undefined) ?? size;
    if (start < 0 || start > size) return outOfRange('substring', start, size, node);
    if (end < start || end > size) return invalid(node, `substring() end ${end} is outside ${start}..${size}`);
    return cps === null ? text.slice(start, end) : cps.slice(start, end).join('');
  }),
  trimPrefix: fn('trimPrefix', 'ss', 2, ([s, prefix]) => ((s as string).startsWith(prefix as string) ? (s as string).slice((prefix as string).length) : (s as string))),
  trimSuffix: fn('trimSuffix', 'ss', 2, ([s, suffix]) => {
    const text = s as string;
    const end = suffix as string;
    return end !== '' && text.endsWith(end) ? text.slice(0, text.length - end.length) : text;
  }),
  reverse: fn('reverse', 's', 1, ([s]) => (codePoints(s as string) ?? (s as string).split('')).reverse().join('')),
  'strings.quote': fn('strings.quote', 's', 1, ([s], node, state) => {
    let out = '"';
    // a lone surrogate is not a character: U+FFFD, as cel-go writes invalid UTF-8
    for (const c of (s as string).replace(LONE_SURROGATE, '\uFFFD')) out += QUOTE_ESCAPES[c] ?? c;
    out += '"';
    return state.checkLength(out.length, node) ?? out;
  }),
  format: {
    minArgs: 2,
    maxArgs: 2,
    fn: ([s, args], node, state) => {
      const template = expectString(s as Value, 'format', node);
      if (template instanceof VError) return template;
      const list = expectList(args as Value, 'format', node);
      if (list instanceof VError) return list;
      const out = celFormat(template, list, node);
      return out instanceof VError ? out : (state.checkLength(out.length, node) ?? out);
    },
  },
  slice: {
    minArgs: 3,
    maxArgs: 3,
    fn: ([xs, a, b], node) => {
      const list = expectList(xs as Value, 'slice', node);
      if (list instanceof VError) return list;
      const start = whole(a as Value, 'slice', 'start', node);
      if (start instanceof VError) return start;
      const end = whole(b as Value, 'slice', 'end', node);
      if (end instanceof VError) return end;
      if (start < 0 || end > list.length || start > end) return invalid(node, `slice(${start}, ${end}) is outside the list of ${list.length} item(s)`);
      return list.slice(start, end);
    },
  },
};
