/**
 * The `decimal` type: exact decimal numbers for money, on decimal.js (a well-kept arbitrary-precision
 * library; we write no decimal arithmetic of our own). Results keep up to 34 significant digits
 * (IEEE 754 decimal128's precision), which only a division or a very long product reaches; rounding
 * there is half-even. A number meets a decimal as its shortest decimal form: `0.1` is exactly 0.1.
 */
import DecimalJs from 'decimal.js';

export const Decimal = DecimalJs.clone({ precision: 34, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -1e9, toExpPos: 1e9 });
export type Decimal = InstanceType<typeof Decimal>;

/** The rounding modes `round` and `fixed` name. */
export const ROUNDING_MODES: Readonly<Record<string, DecimalJs.Rounding>> = {
  half_up: DecimalJs.ROUND_HALF_UP,
  half_even: DecimalJs.ROUND_HALF_EVEN,
  half_down: DecimalJs.ROUND_HALF_DOWN,
  up: DecimalJs.ROUND_UP,
  down: DecimalJs.ROUND_DOWN,
  ceiling: DecimalJs.ROUND_CEIL,
  floor: DecimalJs.ROUND_FLOOR,
};

/** Decimal text as JSON carries it: an optional sign, digits with an optional point, an optional exponent. */
export const DECIMAL_TEXT = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Most digits (and exponent) a decimal read from text may have: bounds the work of one input value. */
const MAX_EXPONENT = 1000;

export function isDecimal(v: unknown): v is Decimal {
  return v instanceof Decimal;
}

/** A decimal from a finite number (its shortest form) or decimal text; null for anything else. */
export function decimalFrom(v: unknown): Decimal | null {
  if (v instanceof Decimal) return v;
  if (typeof v === 'number') return Number.isFinite(v) ? new Decimal(Object.is(v, -0) ? 0 : v) : null;
  if (typeof v !== 'string' || v.length > 200 || !DECIMAL_TEXT.test(v)) return null;
  const d = new Decimal(v);
  return d.isFinite() && Math.abs(d.e) <= MAX_EXPONENT ? d : null;
}

/** Plain digits, never exponent notation: "1234.5", "-0.001". */
export function decimalText(d: Decimal): string {
  return d.isZero() ? '0' : d.toString();
}
