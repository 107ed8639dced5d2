/**
 * Conditions as conjunctions of simple constraints on input paths, so the
 * analysis can tell when a condition can never hold and when one condition
 * implies another. Anything it does not understand is an opaque conjunct,
 * compared only by its structure: the analysis may miss a finding, but it
 * never reports a false one.
 */
import type { Expr } from '../ast.ts';
import { deepEqual, evaluateConstant, type ConstValue } from '../checker/const-eval.ts';
import { pathOf } from '../checker/scope.ts';
import { exprKey } from './expr-key.ts';

type Scalar = string | number | boolean;

/** What is known of one path: a set of allowed values and/or a numeric interval. */
export interface PathConstraint {
  /** When set, the path's value is one of these. */
  oneOf: Scalar[] | null;
  notIn: Scalar[];
  min: number;
  minInclusive: boolean;
  max: number;
  maxInclusive: boolean;
}

export interface Conjunction {
  paths: Map<string, PathConstraint>;
  /** Structural keys of conjuncts that are not simple constraints. */
  opaque: Set<string>;
  /** The condition is a constant: true or false. */
  constant: boolean | null;
}

const open = (): PathConstraint => ({ oneOf: null, notIn: [], min: -Infinity, minInclusive: false, max: Infinity, maxInclusive: false });

/**
 * The constraints of a condition, when it is a conjunction (`a && b && c`).
 * `domains` gives literal-union fields their finite value sets; `consts` the
 * values of `const` declarations.
 */
export function conjunctionOf(expr: Expr, domains: ReadonlyMap<string, Scalar[]>, consts: ReadonlyMap<string, ConstValue>): Conjunction {
  const result: Conjunction = { paths: new Map(), opaque: new Set(), constant: null };
  const whole = evaluateConstant(expr, consts);
  if (typeof whole === 'boolean') {
    result.constant = whole;
    return result;
  }
  for (const term of conjuncts(expr)) {
    const simple = simpleConstraint(term, consts);
    if (simple === null) {
      result.opaque.add(exprKey(term));
      continue;
    }
    const current = result.paths.get(simple.path) ?? withDomain(open(), domains.get(simple.path));
    result.paths.set(simple.path, narrow(current, simple.op, simple.value));
  }
  return result;
}

function withDomain(c: PathConstraint, domain: Scalar[] | undefined): PathConstraint {
  return domain === undefined ? c : { ...c, oneOf: [...domain] };
}

export function conjuncts(expr: Expr): Expr[] {
  if (expr.kind === 'Binary' && expr.op === '&&') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}

interface Simple {
  path: string;
  op: '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';
  value: ConstValue;
}

const flipped = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as const;

function simpleConstraint(term: Expr, consts: ReadonlyMap<string, ConstValue>): Simple | null {
  if (term.kind !== 'Binary') return null;
  const { op } = term;
  if (op !== '==' && op !== '!=' && op !== '<' && op !== '<=' && op !== '>' && op !== '>=' && op !== 'in') return null;
  const leftPath = pathOf(term.left);
  const rightValue = evaluateConstant(term.right, consts);
  if (leftPath !== null && !consts.has(leftPath.split('.')[0]!) && rightValue !== undefined) return { path: leftPath, op, value: rightValue };
  if (op === 'in') return null;
  const rightPath = pathOf(term.right);
  const leftValue = evaluateConstant(term.left, consts);
  if (rightPath !== null && !consts.has(rightPath.split('.')[0]!) && leftValue !== undefined) return { path: rightPath, op: flipped[op], value: leftValue };
  return null;
}

function isScalar(v: ConstValue): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function narrow(c: PathConstraint, op: Simple['op'], value: ConstValue): PathConstraint {
  const next = { ...c, notIn: [...c.notIn] };
  switch (op) {
    case '==':
      if (!isScalar(value)) return next;
      next.oneOf = (c.oneOf ?? [value]).filter((v) => v === value);
      return next;
    case 'in': {
      if (!Array.isArray(value)) return next;
      const items = value.filter(isScalar);
      next.oneOf = c.oneOf === null ? items : c.oneOf.filter((v) => items.some((i) => deepEqual(i, v)));
      return next;
    }
    case '!=':
      if (isScalar(value)) {
        next.notIn.push(value);
        if (next.oneOf !== null) next.oneOf = next.oneOf.filter((v) => v !== value);
      }
      return next;
    default: {
      if (typeof value !== 'number') return next;
      if (op === '>' || op === '>=') {
        const inclusive = op === '>=';
        if (value > next.min || (value === next.min && !inclusive)) {
          next.min = value;
          next.minInclusive = inclusive;
        }
      } else {
        const inclusive = op === '<=';
        if (value < next.max || (value === next.max && !inclusive)) {
          next.max = value;
          next.maxInclusive = inclusive;
        }
      }
      if (next.oneOf !== null) next.oneOf = next.oneOf.filter((v) => typeof v !== 'number' || inRange(next, v));
      return next;
    }
  }
}

function inRange(c: PathConstraint, v: number): boolean {
  const aboveMin = v > c.min || (v === c.min && c.minInclusive);
  const belowMax = v < c.max || (v === c.max && c.maxInclusive);
  return aboveMin && belowMax;
}

/** No value satisfies the constraint. */
export function impossible(c: PathConstraint): boolean {
  if (c.oneOf !== null && c.oneOf.length === 0) return true;
  if (c.min > c.max) return true;
  return c.min === c.max && !(c.minInclusive && c.maxInclusive);
}

export function unsatisfiable(c: Conjunction): boolean {
  return c.constant === false || [...c.paths.values()].some(impossible);
}

/** Every value allowed by `a` is allowed by `b`. */
function constraintImplies(a: PathConstraint, b: PathConstraint): boolean {
  if (b.oneOf !== null) {
    if (a.oneOf === null) return false;
    if (!a.oneOf.every((v) => b.oneOf!.includes(v))) return false;
  }
  for (const excluded of b.notIn) {
    const aExcludes = a.notIn.includes(excluded) || (a.oneOf !== null && !a.oneOf.includes(excluded)) || (typeof excluded === 'number' && !inRange(a, excluded));
    if (!aExcludes) return false;
  }
  if (a.oneOf !== null && a.oneOf.every((v) => typeof v === 'number')) {
    return a.oneOf.every((v) => inRange(b, v as number));
  }
  const minOk = a.min > b.min || (a.min === b.min && (b.minInclusive || !a.minInclusive));
  const maxOk = a.max < b.max || (a.max === b.max && (b.maxInclusive || !a.maxInclusive));
  return minOk && maxOk;
}

/** Whenever `a` holds, `b` holds (as far as the constraints show). */
export function implies(a: Conjunction, b: Conjunction, domains: ReadonlyMap<string, Scalar[]>): boolean {
  if (a.constant === false || b.constant === true) return true;
  if (a.constant === true || b.constant === false) return false;
  for (const key of b.opaque) if (!a.opaque.has(key)) return false;
  for (const [path, constraint] of b.paths) {
    const mine = a.paths.get(path) ?? withDomain(open(), domains.get(path));
    if (!constraintImplies(mine, constraint)) return false;
  }
  return true;
}
