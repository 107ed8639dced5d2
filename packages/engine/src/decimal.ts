/**
 * Decimal rounding on the shortest decimal form of a double, so that
 * round(1.005, 2) == 1.01 (1.005 is written "1.005", not 1.00499999...).
 */

interface Decimal {
  negative: boolean;
  /** Significant digits, no leading zeros ("" for zero). */
  digits: string;
  /** Value = 0.digits x 10^exponent. */
  exponent: number;
}

/** Shortest round-trip digits of x, e.g. "1.005e+0", or `significant` digits when given. */
function toDecimal(x: number, significant?: number): Decimal {
  const negative = x < 0;
  const text = significant === undefined ? Math.abs(x).toExponential() : Math.abs(x).toExponential(significant - 1);
  const [mantissa, exp] = text.split('e') as [string, string];
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  if (digits === '' || /^0+$/.test(digits)) return { negative, digits: '', exponent: 0 };
  return { negative, digits, exponent: Number(exp) + 1 };
}

function fromDecimal(d: Decimal): number {
  if (d.digits === '') return d.negative ? -0 : 0;
  return Number(`${d.negative ? '-' : ''}0.${d.digits}e${d.exponent}`);
}

/** Round half away from zero to `places` decimal places (may be negative). */
function roundDecimal(d: Decimal, places: number): Decimal {
  const keep = d.exponent + places; // number of significant digits kept
  if (keep >= d.digits.length) return d;
  if (keep < 0) return { negative: d.negative, digits: '', exponent: 0 };
  const roundUp = (d.digits.charCodeAt(keep) - 48) >= 5;
  let kept = d.digits.slice(0, keep);
  let exponent = d.exponent;
  if (roundUp) {
    // increment the kept digit string
    const arr = kept.split('').map(Number);
    let i = arr.length - 1;
    while (i >= 0) {
      const v = (arr[i] as number) + 1;
      if (v < 10) {
        arr[i] = v;
        break;
      }
      arr[i] = 0;
      i--;
    }
    kept = arr.join('');
    if (i < 0) {
      kept = '1' + kept;
      exponent += 1;
    }
  }
  kept = kept.replace(/0+$/, '');
  return kept === '' ? { negative: d.negative, digits: '', exponent: 0 } : { negative: d.negative, digits: kept, exponent };
}

/**
 * A double holds 15 significant decimal digits reliably; a shortest form
 * longer than that is arithmetic noise (540 * 1.35 * ... gives
 * 1592.8649999999998 where paper says 1592.865). When the rounding position
 * falls within those 15 digits, the noise is cut off first.
 */
function denoise(d: Decimal, x: number, places: number): Decimal {
  if (d.digits.length <= 15 || d.exponent + places > 15) return d;
  const cut = toDecimal(x, 15);
  return { ...cut, exponent: cut.exponent + (d.exponent - toDecimal(x).exponent) };
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

export function decimalRound(x: number, places: number): number {
  if (!Number.isFinite(x)) return x;
  // Fast path: away from a half-way point the binary product decides the same digit as the decimal
  // form, and integer / 10^places is correctly rounded to the same double the decimal string denotes.
  const p = POW10[places];
  if (p !== undefined && Number.isInteger(places)) {
    const y = Math.abs(x) * p;
    if (y < 1e15) {
      const floor = Math.floor(y);
      const fraction = y - floor;
      if (Math.abs(fraction - 0.5) > Math.max(1e-9, y * 1e-14)) {
        const r = (fraction > 0.5 ? floor + 1 : floor) / p;
        return x < 0 && r !== 0 ? -r : r;
      }
    }
  }
  return decimalRoundExact(x, places);
}

/** The decimal-string rounding every case can take (the fast path above must agree with it). */
export function decimalRoundExact(x: number, places: number): number {
  if (!Number.isFinite(x)) return x;
  const r = fromDecimal(roundDecimal(denoise(toDecimal(x), x, places), places));
  return Object.is(r, -0) ? 0 : r;
}

/** x * 10^shift computed on the decimal form (exact for the digits as written), then rounded. */
export function decimalShiftRound(x: number, shift: number, places: number): number {
  if (!Number.isFinite(x)) return x;
  const d = toDecimal(x);
  const shifted = d.digits === '' ? d : denoise({ ...d, exponent: d.exponent + shift }, x, places);
  const r = fromDecimal(roundDecimal(shifted, places));
  return Object.is(r, -0) ? 0 : r;
}
