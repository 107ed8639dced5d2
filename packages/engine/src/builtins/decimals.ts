/**
 * Built-ins for the `decimal` type: `decimal()`, `fixed()`, and the decimal (and rounding-mode)
 * forms of `round` and `sum`, which hand plain numbers to the number built-ins unchanged.
 */
import type DecimalJs from 'decimal.js';
import { Decimal, ROUNDING_MODES, decimalFrom, isDecimal } from '../money.ts';
import { typeError } from '../ops.ts';
import { VError, formatNumber, typeName, type Value } from '../values.ts';
import { listBuiltins } from './lists.ts';
import { numberBuiltins } from './numbers.ts';
import type { BuiltinImpl, BuiltinTable } from './types.ts';
import { expectNumber, expectString, invalid } from './util.ts';

const MODE_NAMES = Object.keys(ROUNDING_MODES).map((m) => `"${m}"`).join(', ');

function placesArg(v: Value | undefined, name: string, node: number): number | VError {
  if (v === undefined) return 0;
  const d = expectNumber(v, name, node);
  if (d instanceof VError) return d;
  if (!Number.isInteger(d) || d < -20 || d > 20) return invalid(node, `${name}() digits must be a whole number from -20 to 20, not ${formatNumber(d)}`);
  return d;
}

function modeArg(v: Value | undefined, fallback: string, name: string, node: number): DecimalJs.Rounding | VError {
  if (v === undefined) return ROUNDING_MODES[fallback]!;
  const text = expectString(v, name, node);
  if (text instanceof VError) return text;
  return Object.hasOwn(ROUNDING_MODES, text) ? ROUNDING_MODES[text]! : invalid(node, `${name}() rounding mode "${text}" is not one of ${MODE_NAMES}`);
}

/** `d` rounded to `places` decimal places (negative: tens, hundreds, ...). */
function roundTo(d: Decimal, places: number, mode: DecimalJs.Rounding): Decimal {
  if (places >= 0) return d.toDecimalPlaces(places, mode);
  const scale = new Decimal(10).pow(-places);
  return d.dividedBy(scale).toDecimalPlaces(0, mode).times(scale);
}

const numberRound = numberBuiltins['round']!;
const numberSum = listBuiltins['sum']!;

const round: BuiltinImpl = {
  minArgs: 1,
  maxArgs: 3,
  fn: (args, node, state) => {
    const [v, digits, mode] = args as [Value, Value | undefined, Value | undefined];
    // a number without a mode: the number built-in, as before (half away from zero)
    if (typeof v === 'number' && mode === undefined) return numberRound.fn(args.slice(0, 2), node, state);
    if (typeof v !== 'number' && !isDecimal(v)) return typeError(node, `round() needs a number or a decimal, not ${typeName(v)}`);
    const places = placesArg(digits, 'round', node);
    if (places instanceof VError) return places;
    const rounding = modeArg(mode, 'half_up', 'round', node);
    if (rounding instanceof VError) return rounding;
    const rounded = roundTo(decimalFrom(v)!, places, rounding);
    return isDecimal(v) ? rounded : rounded.toNumber();
  },
};

export const decimalBuiltins: BuiltinTable = {
  decimal: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node) => {
      if (typeof v !== 'string' && typeof v !== 'number' && !isDecimal(v)) return typeError(node, `decimal() needs a string or a number, not ${typeName(v as Value)}`);
      return decimalFrom(typeof v === 'string' ? v.trim() : v) ?? invalid(node, typeof v === 'number' ? `${formatNumber(v)} is not a finite number` : `"${String(v)}" is not a decimal number`);
    },
  },
  fixed: {
    minArgs: 2,
    maxArgs: 3,
    fn: ([v, digits, mode], node) => {
      if (typeof v !== 'number' && !isDecimal(v)) return typeError(node, `fixed() needs a number or a decimal, not ${typeName(v as Value)}`);
      const d = decimalFrom(v);
      if (d === null) return invalid(node, `fixed() needs a finite number, not ${formatNumber(v as number)}`);
      const places = placesArg(digits, 'fixed', node);
      if (places instanceof VError) return places;
      if (places < 0) return invalid(node, 'fixed() digits must not be negative');
      const rounding = modeArg(mode, 'half_even', 'fixed', node);
      if (rounding instanceof VError) return rounding;
      const text = d.toFixed(places, rounding);
      // "-0.00" reads as a negative amount: a rounded zero has no sign
      return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
    },
  },
  round,
  sum: {
    minArgs: 1,
    maxArgs: 1,
    fn: (args, node, state) => {
      const [v] = args;
      if (!Array.isArray(v) || !v.some(isDecimal)) return numberSum.fn(args, node, state);
      let total = new Decimal(0);
      for (const x of v) {
        const d = typeof x === 'number' || isDecimal(x) ? decimalFrom(x) : null;
        if (d === null) return typeError(node, `sum() needs a list of numbers or decimals, found ${typeName(x)}`);
        total = total.plus(d);
      }
      return total;
    },
  },
};

