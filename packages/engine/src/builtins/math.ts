/**
 * CEL's math extension where it makes sense with one number type: `math.greatest`/`math.least`
 * over arguments or a list, rounding (`math.round` half away from zero), `math.abs`, `math.sign`,
 * the IEEE tests and `math.sqrt` (of a negative number: NaN, as cel-go).
 */
import { typeError } from '../ops.ts';
import { VError, typeName, type Value } from '../values.ts';
import type { BuiltinImpl, BuiltinTable } from './types.ts';
import { expectNumber, invalid } from './util.ts';

function unary(name: string, f: (n: number) => Value): BuiltinImpl {
  return {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v], node) => {
      const n = expectNumber(v as Value, name, node);
      return n instanceof VError ? n : f(n);
    },
  };
}

/** The best of the arguments, or of the one list argument; NaN wins (IEEE: it compares false). */
function extreme(name: string, better: (a: number, b: number) => boolean): BuiltinImpl {
  return {
    minArgs: 1,
    maxArgs: Infinity,
    fn: (args, node) => {
      const items = args.length === 1 && Array.isArray(args[0]) ? (args[0] as Value[]) : args;
      if (items.length === 0) return invalid(node, `${name}() of an empty list`);
      let best: number | undefined;
      for (const x of items) {
        if (x instanceof VError) return x;
        if (typeof x !== 'number') return typeError(node, `${name}() needs numbers, not ${typeName(x)}`);
        if (best === undefined || Number.isNaN(x) || better(x, best)) best = x;
        if (Number.isNaN(best)) return NaN;
      }
      return best as number;
    },
  };
}

export const mathBuiltins: BuiltinTable = {
  'math.greatest': extreme('math.greatest', (a, b) => a > b),
  'math.least': extreme('math.least', (a, b) => a < b),
  'math.ceil': unary('math.ceil', (n) => Math.ceil(n) || 0),
  'math.floor': unary('math.floor', (n) => Math.floor(n) || 0),
  /** Half away from zero (Go's math.Round), not JavaScript's half up. */
  'math.round': unary('math.round', (n) => (Number.isFinite(n) ? Math.sign(n) * Math.round(Math.abs(n)) || 0 : n)),
  'math.trunc': unary('math.trunc', (n) => Math.trunc(n) || 0),
  'math.abs': unary('math.abs', Math.abs),
  'math.sign': unary('math.sign', (n) => Math.sign(n) || 0),
  'math.isNaN': unary('math.isNaN', Number.isNaN),
  'math.isInf': unary('math.isInf', (n) => n === Infinity || n === -Infinity),
  'math.isFinite': unary('math.isFinite', Number.isFinite),
  'math.sqrt': unary('math.sqrt', Math.sqrt),
};
