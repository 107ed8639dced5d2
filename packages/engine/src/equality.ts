/**
 * Equality as the cost model counts it: `deepEqual`, charging each comparison of two strings of the
 * same length (floor(n / 16) steps, see `EvalState.compare`) before it is made. The walk is
 * deepEqual's own (items in order, entries in the first map's key order, stopping at the first
 * difference), so every evaluator that compares the same values charges the same steps.
 */
import { ITEMS_PER_STEP, type EvalState } from './context.ts';
import { deepEqual, isMap, type VError, type Value } from './values.ts';

/** deepEqual(a, b), with string comparisons charged to `state`; a `limit_exceeded` error once the budget is spent. */
export function equalCharged(a: Value, b: Value, state: EvalState, node: number): boolean | VError {
  if (typeof a === 'string') {
    if (typeof b !== 'string') return false;
    return state.compare(a, b, node) ?? a === b;
  }
  if (a === b || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return deepEqual(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const same = equalCharged(a[i] as Value, b[i] as Value, state, node);
      if (same !== true) return same;
    }
    return true;
  }
  if (!isMap(a) || !isMap(b)) return deepEqual(a, b);
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    const same = equalCharged(a[k] as Value, b[k] as Value, state, node);
    if (same !== true) return same;
  }
  return true;
}

/** Whether `collection` (a list) holds `item`, searched in order as deepEqual finds it, comparisons charged. */
export function includesCharged(collection: readonly Value[], item: Value, state: EvalState, node: number): boolean | VError {
  for (const x of collection) {
    const same = equalCharged(x, item, state, node);
    if (same !== false) return same;
  }
  return false;
}

/**
 * What searching a constant list for a string costs in comparisons, known before the search: the
 * list's strings of 16 characters or more, grouped by length. A string of length n is compared with
 * every string of its length in the list up to the first equal one (or all of them): floor(n / 16)
 * steps each, as `includesCharged` counts them. The generated code looks the string up at once.
 */
export class ConstantListCosts {
  private constructor(private readonly byLength: Map<number, { first: Map<string, number>; count: number }>) {}

  /** Null when the list holds no string of 16 characters or more (its searches compare nothing long). */
  static of(items: readonly Value[]): ConstantListCosts | null {
    const byLength = new Map<number, { first: Map<string, number>; count: number }>();
    for (const x of items) {
      if (typeof x !== 'string' || x.length < ITEMS_PER_STEP) continue;
      let group = byLength.get(x.length);
      if (group === undefined) byLength.set(x.length, (group = { first: new Map(), count: 0 }));
      group.count++;
      if (!group.first.has(x)) group.first.set(x, group.count);
    }
    return byLength.size === 0 ? null : new ConstantListCosts(byLength);
  }

  /** Charge the comparisons of searching the list for `v` (a string of 16 characters or more). */
  charge(v: string, state: EvalState, node: number): VError | null {
    const group = this.byLength.get(v.length);
    if (group === undefined) return null;
    return state.charge((group.first.get(v) ?? group.count) * Math.floor(v.length / ITEMS_PER_STEP), node);
  }
}
