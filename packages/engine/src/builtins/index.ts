/** All builtin implementations, keyed by name (joined to the checker's catalogue by name). */
import { conversionBuiltins } from './conversions.ts';
import { decimalBuiltins } from './decimals.ts';
import { listBuiltins } from './lists.ts';
import { mathBuiltins } from './math.ts';
import { numberBuiltins } from './numbers.ts';
import { stringBuiltins } from './strings.ts';
import { stringExtBuiltins } from './strings-ext.ts';
import { timeBuiltins } from './time.ts';
import type { BuiltinImpl } from './types.ts';

export type { BuiltinImpl } from './types.ts';

export const BUILTIN_IMPLS: ReadonlyMap<string, BuiltinImpl> = new Map(
  // the decimal forms of `round` and `sum` come last: they stand in for the number ones, which they call
  Object.entries({ ...listBuiltins, ...stringBuiltins, ...numberBuiltins, ...conversionBuiltins, ...timeBuiltins, ...stringExtBuiltins, ...mathBuiltins, ...decimalBuiltins }),
);
