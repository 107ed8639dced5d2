/**
 * Runtime values. JSON-native data (null, boolean, number, string, arrays,
 * plain objects) plus two small classes for time and one for errors.
 *
 * Maps are plain JSON objects read only through `Object.hasOwn`, so keys such
 * as `__proto__` or `constructor` are ordinary data; maps the engine builds are
 * made with `Object.fromEntries` / `setOwn` (define, never assign).
 *
 * Numbers are IEEE-754 doubles: `NaN == NaN` is false and `0 == -0` is true.
 */
import { formatDuration, formatTimestamp, subMs, wholeMs } from './time-format.ts';

import { Decimal, decimalFrom, decimalText } from './money.ts';

/** A point in time, to the nanosecond: whole milliseconds since the Unix epoch plus `ns` past them. */
export class Timestamp {
  /** Whole milliseconds since the Unix epoch. */
  readonly ms: number;
  /** Nanoseconds past `ms`, 0 to 999,999. */
  readonly ns: number;
  /** A fractional `ms` is kept as nanoseconds; `ns` outside 0..999,999 carries into `ms`. */
  constructor(ms: number, ns = 0) {
    if (ns === 0 && Number.isInteger(ms)) {
      this.ms = ms;
      this.ns = 0;
    } else {
      this.ms = wholeMs(ms, ns);
      this.ns = subMs(ms, ns);
    }
  }
  toString(): string {
    return formatTimestamp(this.ms, this.ns);
  }
  toJSON(): string {
    return this.toString();
  }
}

/** A length of time, to the nanosecond: whole milliseconds (rounded down) plus `ns` past them. */
export class Duration {
  readonly ms: number;
  /** Nanoseconds past `ms`, 0 to 999,999 (-1ns is ms -1, ns 999,999). */
  readonly ns: number;
  constructor(ms: number, ns = 0) {
    if (ns === 0 && Number.isInteger(ms)) {
      this.ms = ms;
      this.ns = 0;
    } else {
      this.ms = wholeMs(ms, ns);
      this.ns = subMs(ms, ns);
    }
  }
  toString(): string {
    return formatDuration(this.ms, this.ns);
  }
  toJSON(): string {
    return this.toString();
  }
}

/** An evaluation error carried as a value; `node` is the expression id that raised it. */
export class VError {
  constructor(
    readonly code: string,
    readonly message: string,
    readonly node: number,
    /** A missing field or key: `??` and `?.` treat it like null. */
    readonly absent = false,
  ) {}
}

/** A host exception thrown while evaluating (e.g. a stack overflow on pathological data) as an error value. */
export function thrownError(e: unknown, node: number): VError {
  const overflow = e instanceof RangeError;
  return new VError(overflow ? 'limit_exceeded' : 'internal', overflow ? 'evaluation nested too deeply' : `internal error: ${e instanceof Error ? e.message : String(e)}`, node);
}

export type VMap = { [key: string]: Value };
export type Value = null | boolean | number | string | Value[] | VMap | Timestamp | Duration | Decimal | VError;

export function isError(v: unknown): v is VError {
  return v instanceof VError;
}

/**
 * A map (record) value: a plain object, whose prototype is `Object.prototype` or null, or whose
 * `constructor` is `Object` (an object made from a plain one, as the generated quick check and
 * the typed code take it). Class instances (timestamps, errors, host objects) are not.
 */
export function isMap(v: unknown): v is VMap {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  // the cheap test first: `Object.getPrototypeOf` is a call where V8 cannot fold it
  if ((v as { constructor?: unknown }).constructor === Object) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function getOwn(map: VMap, key: string): Value | undefined {
  // One property load on the hot path. Only what comes from Object.prototype is not data, and all
  // of it is a function or (for `__proto__`) the prototype itself, which no JSON value can be.
  const v = map[key];
  if (typeof v === 'function' || v === Object.prototype) return Object.hasOwn(map, key) ? v : undefined;
  return v;
}

/**
 * Whether `o[key]` may answer from `Object.prototype` (`constructor`, `toString`, `__proto__`):
 * such keys must be read with an own-property test.
 */
export function isPrototypeName(key: string): boolean {
  return key in Object.prototype;
}

/** Define (never assign) so `__proto__` stays a plain key. */
export function setOwn(map: VMap, key: string, value: Value): void {
  Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A required input field read as missing: null when it is there holding null (an `any` field may), else the no_such_field error. */
export function missingUnlessNull(input: VMap, name: string, node: number): Value {
  return Object.hasOwn(input, name) && input[name] === null ? null : new VError('no_such_field', `no input field \`${name}\``, node, true);
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Timestamp) return 'timestamp';
  if (v instanceof Duration) return 'duration';
  if (v instanceof Decimal) return 'decimal';
  if (v instanceof VError) return 'error';
  if (typeof v === 'object') return 'map';
  return typeof v;
}

export function deepEqual(a: Value, b: Value): boolean {
  // a decimal equals a number of the same value (checked only when they are not ===)
  if (typeof a === 'number' || typeof b === 'number') return a === b || ((a instanceof Decimal || b instanceof Decimal) && decimalEquals(a, b));
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i] as Value, b[i] as Value)) return false;
    return true;
  }
  if (a instanceof Timestamp) return b instanceof Timestamp && a.ms === b.ms && a.ns === b.ns;
  if (a instanceof Duration) return b instanceof Duration && a.ms === b.ms && a.ns === b.ns;
  if (a instanceof Decimal || b instanceof Decimal) return decimalEquals(a, b);
  if (!isMap(a) || !isMap(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !deepEqual(a[k] as Value, b[k] as Value)) return false;
  }
  return true;
}

function decimalEquals(a: Value, b: Value): boolean {
  const x = a instanceof Decimal ? a : typeof a === 'number' ? decimalFrom(a) : null;
  const y = b instanceof Decimal ? b : typeof b === 'number' ? decimalFrom(b) : null;
  return x !== null && y !== null && x.eq(y);
}

/** Compare strings by Unicode code point (not UTF-16 unit). */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1; // a surrogate encodes a code point above any BMP unit
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Shortest round-trip form; `-0` prints as `0`. */
export function formatNumber(n: number): string {
  if (Object.is(n, -0)) return '0';
  return String(n);
}

/**
 * Most list items and map entries one JSON conversion may produce. Values share structure
 * (`xs.map(a, xs)` holds one list n times), so a value within every limit can still be enormous
 * as JSON: 30,000 numbers made a 900-million-item output that exhausted the heap.
 */
export const MAX_JSON_ITEMS = 1_000_000;

/** A value too large to convert to JSON (see MAX_JSON_ITEMS). */
export class ValueTooLarge extends Error {
  constructor() {
    super(`the value is too large to return: more than ${MAX_JSON_ITEMS.toLocaleString('en-US')} list items and map entries as JSON`);
  }
}

/** JSON-ready copy (timestamps and durations become strings, errors null); throws ValueTooLarge past MAX_JSON_ITEMS. */
export function toJson(v: Value): unknown {
  return jsonOf(v, { left: MAX_JSON_ITEMS });
}

function jsonOf(v: Value, budget: { left: number }): unknown {
  if (v instanceof VError) return null;
  if (v instanceof Timestamp || v instanceof Duration) return v.toString();
  // exact digits as a string: a JSON number would be read back as the nearest double
  if (v instanceof Decimal) return decimalText(v);
  if (Array.isArray(v)) {
    if ((budget.left -= v.length) < 0) throw new ValueTooLarge();
    return v.map((item) => jsonOf(item, budget));
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if ((budget.left -= keys.length) < 0) throw new ValueTooLarge();
    return Object.fromEntries(keys.map((k) => [k, jsonOf(v[k] as Value, budget)]));
  }
  return v;
}

/** Text for message holes and `join`: strings raw, numbers shortest, lists joined by ", ". */
export function toText(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (v === null || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return listText(v, { left: MAX_JSON_ITEMS });
  if (v instanceof VError) return `<error: ${v.message}>`;
  if (v instanceof Timestamp || v instanceof Duration) return v.toString();
  if (v instanceof Decimal) return decimalText(v);
  return JSON.stringify(toJson(v));
}

/** A list as text, items joined by ", ", within the same budget as its JSON (shared sub-lists multiply). */
function listText(v: Value[], budget: { left: number }): string {
  if ((budget.left -= v.length) < 0) throw new ValueTooLarge();
  return v.map((item) => (Array.isArray(item) ? listText(item, budget) : toText(item))).join(', ');
}

/** `string(x)`: like toText but lists and maps as JSON. */
export function toStringValue(v: Value): string {
  if (Array.isArray(v) || isMap(v)) return JSON.stringify(toJson(v));
  return toText(v);
}
