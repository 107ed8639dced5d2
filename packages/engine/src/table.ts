/** Decision-table row patterns. */
import type { EvalState } from './context.ts';
import { compareValues, contains } from './ops.ts';
import { equalCharged } from './equality.ts';
import { VError, type Value } from './values.ts';

export type PatternKind = 'EqualsPattern' | 'ComparePattern' | 'InPattern' | 'TestPattern';

export function matchPattern(kind: PatternKind, op: '<' | '<=' | '>' | '>=' | '!=' | null, arg: Value, pattern: Value, node: number, state: EvalState): boolean | VError {
  if (pattern instanceof VError) return pattern;
  if (kind === 'EqualsPattern') return equalCharged(arg, pattern, state, node);
  // a range, several comparisons, `contains` or a call: `pattern` is the test's value, computed on the column
  if (kind === 'TestPattern') return pattern === true;
  if (kind === 'InPattern') {
    const r = contains(pattern, arg, node, state);
    return r instanceof VError ? r : r === true;
  }
  if (op === '!=') {
    const same = equalCharged(arg, pattern, state, node);
    return same instanceof VError ? same : !same;
  }
  const c = compareValues(arg, pattern, node);
  if (c instanceof VError) return c;
  if (Number.isNaN(c)) return false;
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}
