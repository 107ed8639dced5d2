import { decimalRound, decimalShiftRound } from '../decimal.ts';
import { readDuration, readTimestamp, timestampFromSeconds } from '../time.ts';
import { typeError } from '../ops.ts';
import { Duration, Timestamp, VError, formatNumber, toStringValue, typeName, type Value } from '../values.ts';
import type { BuiltinTable } from './types.ts';
import { expectNumber, expectString, invalid } from './util.ts';

function numberFn(name: string, f: (n: number) => number): BuiltinTable[string] {
  return {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node) => {
      const n = expectNumber(v as Value, name, node);
      return n instanceof VError ? n : f(n);
    },
  };
}

function digitsArg(v: Value | undefined, name: string, node: number): number | VError {
  if (v === undefined) return 0;
  const d = expectNumber(v, name, node);
  if (d instanceof VError) return d;
  if (!Number.isInteger(d) || d < -20 || d > 20) return invalid(node, `${name}() digits must be a whole number from -20 to 20, not ${formatNumber(d)}`);
  return d;
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export const numberBuiltins: BuiltinTable = {
  floor: numberFn('floor', (n) => Math.floor(n) || 0),
  ceil: numberFn('ceil', (n) => Math.ceil(n) || 0),
  abs: numberFn('abs', Math.abs),
  round: {
    minArgs: 1,
    maxArgs: 2,
    fn: ([v, digits], node) => {
      const n = expectNumber(v as Value, 'round', node);
      if (n instanceof VError) return n;
      const d = digitsArg(digits, 'round', node);
      return d instanceof VError ? d : decimalRound(n, d);
    },
  },
  /** percent(0.125, 1) == "12.5%"; trailing zeros dropped. */
  percent: {
    minArgs: 1,
    maxArgs: 2,
    fn: ([v, digits], node) => {
      const n = expectNumber(v as Value, 'percent', node);
      if (n instanceof VError) return n;
      const d = digitsArg(digits, 'percent', node);
      if (d instanceof VError) return d;
      const shifted = decimalShiftRound(n, 2, d);
      // 1e308 as a percentage is not a number: an error, as every other non-finite result is
      if (!Number.isFinite(shifted)) return new VError('overflow', `percent(${String(n)}) is out of range`, node);
      return `${formatNumber(shifted)}%`;
    },
  },
  string: { minArgs: 1, maxArgs: 1, fn: ([v]) => toStringValue(v as Value) },
  number: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node) => {
      if (typeof v === 'number') return v;
      if (typeof v !== 'string') return typeError(node, `number() needs a string or a number, not ${typeName(v as Value)}`);
      const t = v.trim();
      if (!NUMERIC.test(t)) return invalid(node, `"${v}" is not a number`);
      const n = Number(t);
      return Number.isFinite(n) ? n : invalid(node, `"${v}" is out of range`);
    },
  },
  timestamp: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node) => {
      if (v instanceof Timestamp) return v;
      if (typeof v === 'number') return timestampFromSeconds(v, node);
      const s = expectString(v as Value, 'timestamp', node);
      if (s instanceof VError) return s;
      const t = readTimestamp(s);
      if (t === 'range') return new VError('overflow', `"${s}" is outside the timestamp range (years 0001 to 9999)`, node);
      return t === 'format' ? invalid(node, `"${s}" is not an RFC 3339 timestamp`) : t;
    },
  },
  duration: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node) => {
      if (v instanceof Duration) return v;
      const s = expectString(v as Value, 'duration', node);
      if (s instanceof VError) return s;
      const d = readDuration(s);
      if (d === 'range') return new VError('overflow', `"${s}" is outside the duration range (about 292 years either way)`, node);
      return d === 'format' ? invalid(node, `"${s}" is not a duration (e.g. "90s", "1h30m")`) : d;
    },
  },
};
