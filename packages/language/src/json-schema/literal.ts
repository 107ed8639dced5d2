/** Constant folding for `where` translation: literals, negated numbers and `const` references. */
import type { Expr, Ruleset } from '../ast.ts';
import { setProperty, type JsonValue } from './model.ts';

/** `const` declarations by name; a `where` may compare against them (`value <= LIMIT`). */
export type Constants = ReadonlyMap<string, Expr>;

export const NO_CONSTANTS: Constants = new Map();

/** The ruleset's `const` values (first declaration wins; the checker reports duplicates). */
export function constantsOf(ruleset: Ruleset | undefined): Constants {
  const out = new Map<string, Expr>();
  for (const decl of ruleset?.decls ?? []) {
    if (decl.kind === 'Const' && !out.has(decl.name.name)) out.set(decl.name.name, decl.value);
  }
  return out;
}

export interface LiteralScope {
  constants: Constants;
  /** Names bound in the expression (`value`, macro variables): never constants. */
  bound: ReadonlySet<string>;
}

/** Guards against `const A = B` / `const B = A` cycles (the checker reports those). */
const MAX_DEPTH = 16;
const NOTHING_BOUND: ReadonlySet<string> = new Set();

/** The JSON value `expr` always denotes, or undefined when it is not a constant. */
export function literalValue(expr: Expr, scope: LiteralScope, depth = 0): { value: JsonValue } | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (expr.kind) {
    case 'Null':
      return { value: null };
    case 'Bool':
    case 'String':
      return { value: expr.value };
    case 'Number':
      return Number.isFinite(expr.value) ? { value: expr.value } : undefined;
    case 'Unary': {
      if (expr.op !== '-') return undefined;
      const operand = literalValue(expr.operand, scope, depth + 1);
      return operand && typeof operand.value === 'number' ? { value: -operand.value } : undefined;
    }
    case 'List': {
      const items: JsonValue[] = [];
      for (const item of expr.items) {
        const v = literalValue(item, scope, depth + 1);
        if (v === undefined) return undefined;
        items.push(v.value);
      }
      return { value: items };
    }
    case 'Map': {
      const map: { [key: string]: JsonValue } = {};
      for (const entry of expr.entries) {
        const key = literalValue(entry.key, scope, depth + 1);
        const value = literalValue(entry.value, scope, depth + 1);
        if (key === undefined || typeof key.value !== 'string' || value === undefined) return undefined;
        setProperty(map, key.value, value.value);
      }
      return { value: map };
    }
    case 'Ident': {
      if (scope.bound.has(expr.name)) return undefined;
      const decl = scope.constants.get(expr.name);
      // A const's value is read in the global scope, not under the where's bindings.
      return decl === undefined ? undefined : literalValue(decl, { constants: scope.constants, bound: NOTHING_BOUND }, depth + 1);
    }
    default:
      return undefined;
  }
}
