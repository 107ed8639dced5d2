import fc from 'fast-check';
import { FC_SEED } from './helpers.ts';
import { describe, expect, it } from 'vitest';
import { decimalRound, decimalRoundExact } from '../src/decimal.ts';

describe('decimal rounding', () => {
  it.each([
    [1.005, 2, 1.01],
    [2.675, 2, 2.68],
    [1592.8649999999998, 2, 1592.87],
    [-2.5, 0, -3],
    [0.125, 2, 0.13],
    [-0.001, 2, 0],
    [123.456, 0, 123],
    [1e20, 2, 1e20],
  ])('round(%d, %d) == %d', (x, places, expected) => {
    expect(decimalRound(x, places)).toBe(expected);
  });

  it('the fast path agrees with decimal-string rounding on any double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 10 }), (x, places) => {
        expect(decimalRound(x, places)).toBe(decimalRoundExact(x, places));
      }),
      { numRuns: 20000, seed: FC_SEED },
    );
  });

  it('agrees on money-like values built from products (the premium case)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100000 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 50, max: 200 }), (base, a, b) => {
        const x = base * (a / 100) * (b / 100);
        expect(decimalRound(x, 2)).toBe(decimalRoundExact(x, 2));
      }),
      { numRuns: 20000, seed: FC_SEED },
    );
  });
});
