/**
 * Rule index. A rule whose condition is (or is a conjunction whose first
 * conjunct is) `path == constant`, `constant == path` or `path in [constants]`
 * with `path` an input path is filed under that path, keyed by the constants.
 * At evaluation the path is read once: when it holds a primitive, only the
 * rules filed under that value can fire; the others are known to be false
 * (their first conjunct is false, and `false && x` is false even when `x`
 * errs). When the path is absent, an error or not a primitive, every rule of
 * the group is evaluated as usual, so results never differ from unindexed
 * evaluation.
 */
import { INPUT_ROOT, joinPath, type Expr, type RuleDecl } from '@verdict/language';
import { compileExpr, type Closure, type CompileEnv } from './compiler.ts';
import { inputPath } from './paths.ts';
import type { Value } from './values.ts';

export type Primitive = null | boolean | number | string;

export interface IndexGroup {
  path: string;
  read: Closure;
  byValue: Map<Primitive, number[]>;
  /** Every rule (by position) filed in this group. */
  rules: number[];
}

export interface RuleIndex {
  groups: IndexGroup[];
  /** Rules in no group: always evaluated. */
  unindexed: number[];
}

export function isPrimitive(v: Value): v is Primitive {
  return v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string';
}

function constantOf(e: Expr, consts: Map<string, Value>): Value | undefined {
  switch (e.kind) {
    case 'Null':
      return null;
    case 'Bool':
    case 'Number':
    case 'String':
      return e.value;
    case 'List': {
      const out: Value[] = [];
      for (const item of e.items) {
        const v = constantOf(item, consts);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case 'Ident':
      return consts.get(e.name);
    default:
      return undefined;
  }
}

function firstConjunct(e: Expr): Expr {
  while (e.kind === 'Binary' && e.op === '&&') e = e.left;
  return e;
}

/** `isRootField(name)`: `input.<name>` reads the top-level field `name` (see `inputPath`). */
export function buildIndex(
  rules: RuleDecl[],
  env: CompileEnv,
  isInputRoot: (name: string) => boolean,
  consts: Map<string, Value>,
  minRules = MIN_INDEXED_RULES,
  isRootField: (name: string) => boolean = () => false,
): RuleIndex | null {
  const groups = new Map<string, IndexGroup>();
  const unindexed: number[] = [];
  rules.forEach((rule, position) => {
    const filed = rule.condition ? analyse(rule, consts, isInputRoot, isRootField) : null;
    if (!filed) {
      unindexed.push(position);
      return;
    }
    let group = groups.get(filed.path);
    if (!group) {
      group = { path: filed.path, read: compileExpr(filed.pathExpr, env), byValue: new Map(), rules: [] };
      groups.set(filed.path, group);
    }
    group.rules.push(position);
    for (const key of new Set(filed.keys)) {
      const list = group.byValue.get(key);
      if (list) list.push(position);
      else group.byValue.set(key, [position]);
    }
  });
  // Choosing candidates costs a read and a lookup per group; below a few dozen indexed rules,
  // evaluating each rule's (generated) condition is cheaper. No index at all: null.
  const indexed = rules.length - unindexed.length;
  if (indexed === 0 || indexed < minRules) return null;
  return { groups: [...groups.values()], unindexed };
}

/** Fewer indexed rules than this: no index (measured with `pnpm bench engine`, scenarios A and B). */
export const MIN_INDEXED_RULES = 32;

function analyse(rule: RuleDecl, consts: Map<string, Value>, isInputRoot: (name: string) => boolean, isRootField: (name: string) => boolean): { path: string; pathExpr: Expr; keys: Primitive[] } | null {
  const first = firstConjunct(rule.condition as Expr);
  if (first.kind !== 'Binary' || (first.op !== '==' && first.op !== 'in')) return null;
  const shadowed = new Set(rule.lets.map((l) => l.name.name));
  const isInput = (name: string) => !shadowed.has(name) && isInputRoot(name);
  // the group's read is compiled without the rule's lets: a let named `input` leaves `input.f` unindexed
  const rooted = (name: string) => !shadowed.has(INPUT_ROOT) && isRootField(name);
  const attempt = (pathSide: Expr, constSide: Expr) => {
    const path = inputPath(pathSide, isInput, rooted);
    if (!path) return null;
    const c = constantOf(constSide, consts);
    if (c === undefined) return null;
    if (first.op === '==') return isPrimitive(c) ? { path: joinPath(path), pathExpr: pathSide, keys: [c] } : null;
    if (!Array.isArray(c) || !c.every(isPrimitive)) return null;
    return { path: joinPath(path), pathExpr: pathSide, keys: c as Primitive[] };
  };
  return attempt(first.left, first.right) ?? (first.op === '==' ? attempt(first.right, first.left) : null);
}
