/**
 * Propositional reasoning over conditions: a condition is a formula whose
 * atoms are constraints on input paths (`amount > 1000`, `tier in [...]`) or
 * opaque terms compared by structure (`flag`, `has(a.b)`, `f(x) > 2`). A
 * small backtracking search decides whether a formula can hold given the
 * typed input (intervals for numbers, the value sets of literal unions and
 * booleans). It answers "maybe" whenever it is unsure (an unknown term, a
 * search that grows too large), so a finding is never a false one: a part
 * reported always true or never true is so for every input.
 */
import type { Expr } from '../ast.ts';
import { evaluateConstant, type ConstValue } from '../checker/const-eval.ts';
import { pathOf } from '../checker/scope.ts';
import { impossible, type PathConstraint } from './constraints.ts';
import { exprKey } from './expr-key.ts';

type Scalar = string | number | boolean;
type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'notin';

export type Formula =
  | { kind: 'const'; value: boolean }
  | { kind: 'and' | 'or'; parts: Formula[] }
  | { kind: 'constraint'; path: string; op: CompareOp; value: ConstValue }
  | { kind: 'opaque'; key: string; positive: boolean };

const TRUE: Formula = { kind: 'const', value: true };
const FALSE: Formula = { kind: 'const', value: false };
const NEGATED: Record<CompareOp, CompareOp> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<', in: 'notin', notin: 'in' };
const FLIPPED = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as const;

export interface Reasoner {
  /** Literal-union and boolean input paths with their possible values. */
  domains: ReadonlyMap<string, Scalar[]>;
  consts: ReadonlyMap<string, ConstValue>;
  /** Whether the checker typed this path read as a present number, string, boolean or literal (not `any`, not nullable). */
  typed(expr: Expr): boolean;
  /**
   * Work left for the whole analysis of one ruleset, shared by every search (see `ANALYSIS_BUDGET`).
   * Once spent, every search answers "maybe": findings go unreported, none is ever wrong.
   */
  budget?: { left: number };
}

/**
 * Work one ruleset's analysis may do in all: search steps, plus the values a step copies (one unit
 * per 16): a second or two at most; ordinary rulesets use a small fraction. Without it, a table of
 * 10,000 rows (each row searched against all the rows above it) took hours to check.
 */
export const ANALYSIS_BUDGET = 1_000_000;

/** Whether the shared budget is spent. */
export function exhausted(r: Reasoner): boolean {
  return r.budget !== undefined && r.budget.left <= 0;
}

/** Charges `units` of work to the shared budget. */
export function spend(r: Reasoner, units: number): void {
  if (r.budget !== undefined) r.budget.left -= units;
}

/** The formula of a boolean expression, negated when `positive` is false (negation is pushed to the atoms). */
export function formulaOf(expr: Expr, r: Reasoner, positive = true): Formula {
  const constant = evaluateConstant(expr, r.consts);
  if (typeof constant === 'boolean') return constant === positive ? TRUE : FALSE;
  if (expr.kind === 'Unary' && expr.op === '!') return formulaOf(expr.operand, r, !positive);
  if (expr.kind === 'Binary' && (expr.op === '&&' || expr.op === '||')) {
    const conjunctive = (expr.op === '&&') === positive;
    return { kind: conjunctive ? 'and' : 'or', parts: [formulaOf(expr.left, r, positive), formulaOf(expr.right, r, positive)] };
  }
  const atom = constraintOf(expr, r);
  if (atom !== null) return positive ? atom : { ...atom, op: NEGATED[atom.op] };
  const path = pathOf(expr);
  // a boolean path is a constraint on that path, so `flag == true` and `flag` are the same atom
  if (path !== null && r.typed(expr) && r.domains.get(path)?.every((v) => typeof v === 'boolean')) return { kind: 'constraint', path, op: '==', value: positive };
  return { kind: 'opaque', key: exprKey(expr), positive };
}

function constraintOf(term: Expr, r: Reasoner): Extract<Formula, { kind: 'constraint' }> | null {
  if (term.kind !== 'Binary') return null;
  const { op } = term;
  if (op !== '==' && op !== '!=' && op !== '<' && op !== '<=' && op !== '>' && op !== '>=' && op !== 'in') return null;
  const isPath = (p: string | null, e: Expr): p is string => p !== null && !r.consts.has(p.split('.')[0]!) && r.typed(e);
  const leftPath = pathOf(term.left);
  const rightValue = evaluateConstant(term.right, r.consts);
  if (isPath(leftPath, term.left) && rightValue !== undefined && usable(op, rightValue)) return { kind: 'constraint', path: leftPath, op, value: rightValue };
  if (op === 'in') return null;
  const rightPath = pathOf(term.right);
  const leftValue = evaluateConstant(term.left, r.consts);
  if (isPath(rightPath, term.right) && leftValue !== undefined && usable(op, leftValue)) return { kind: 'constraint', path: rightPath, op: FLIPPED[op], value: leftValue };
  return null;
}

/** Only comparisons the search models exactly become constraints; the rest stay opaque. */
function usable(op: CompareOp, value: ConstValue): boolean {
  if (op === 'in' || op === 'notin') return Array.isArray(value) && value.every(isScalar);
  if (op === '==' || op === '!=') return isScalar(value);
  return typeof value === 'number';
}

function isScalar(v: ConstValue): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export const and = (...parts: Formula[]): Formula => ({ kind: 'and', parts });
export const or = (...parts: Formula[]): Formula => ({ kind: 'or', parts });

export function not(f: Formula): Formula {
  switch (f.kind) {
    case 'const':
      return f.value ? FALSE : TRUE;
    case 'and':
      return { kind: 'or', parts: f.parts.map(not) };
    case 'or':
      return { kind: 'and', parts: f.parts.map(not) };
    case 'constraint':
      return { ...f, op: NEGATED[f.op] };
    case 'opaque':
      return { ...f, positive: !f.positive };
  }
}

interface State {
  paths: Map<string, PathConstraint>;
  opaque: Map<string, boolean>;
}

/** How many search steps before giving up (and answering "maybe satisfiable"). */
const BUDGET = 20_000;
/** How many goals deep one line of the search may go (each is a stack frame) before answering "maybe". */
const MAX_DEPTH = 2_000;

/** What is left to prove, first goal first (a linked list: taking the first goal copies nothing). */
type Goals = { goal: Formula; rest: Goals } | null;

/** False only when no input satisfies the formula. */
export function satisfiable(f: Formula, r: Reasoner): boolean {
  let steps = 0;
  const search = (goals: Goals, state: State, depth = 0): boolean => {
    if (++steps > BUDGET || depth > MAX_DEPTH || exhausted(r)) return true;
    spend(r, 1);
    if (goals === null) return true;
    const { goal, rest } = goals;
    switch (goal.kind) {
      case 'const':
        return goal.value && search(rest, state, depth + 1);
      case 'and': {
        let next = rest;
        for (let i = goal.parts.length - 1; i >= 0; i--) next = { goal: goal.parts[i]!, rest: next };
        spend(r, goal.parts.length >> 4);
        return search(next, state, depth + 1);
      }
      case 'or':
        return goal.parts.some((part) => search({ goal: part, rest }, state, depth + 1));
      case 'opaque': {
        const known = state.opaque.get(goal.key);
        if (known !== undefined) return known === goal.positive && search(rest, state, depth + 1);
        const opaque = new Map(state.opaque).set(goal.key, goal.positive);
        spend(r, opaque.size >> 4);
        return search(rest, { paths: state.paths, opaque }, depth + 1);
      }
      case 'constraint': {
        const current = state.paths.get(goal.path) ?? start(r.domains.get(goal.path));
        const next = narrow(current, goal.op, goal.value);
        spend(r, (next.notIn.length + (next.oneOf?.length ?? 0) + (Array.isArray(goal.value) ? goal.value.length : 0)) >> 4);
        if (empty(next)) return false;
        return search(rest, { paths: new Map(state.paths).set(goal.path, next), opaque: state.opaque }, depth + 1);
      }
    }
  };
  return search({ goal: f, rest: null }, { paths: new Map(), opaque: new Map() });
}

/** True when the formula holds for every input. */
export function valid(f: Formula, r: Reasoner): boolean {
  return !satisfiable(not(f), r);
}

function start(domain: Scalar[] | undefined): PathConstraint {
  return { oneOf: domain === undefined ? null : [...domain], notIn: [], min: -Infinity, minInclusive: false, max: Infinity, maxInclusive: false };
}

function narrow(c: PathConstraint, op: CompareOp, value: ConstValue): PathConstraint {
  // a value excluded from a known set of values is taken out of the set: `notIn` stays short
  switch (op) {
    case '==':
      return { ...c, oneOf: (c.oneOf ?? [value as Scalar]).filter((v) => v === value) };
    case 'in': {
      const items = value as Scalar[];
      if (c.oneOf === null) return { ...c, oneOf: [...items] };
      // a set, not `includes`: against a list of 60,000 constants that was quadratic (minutes)
      const listed = new Set(items);
      return { ...c, oneOf: c.oneOf.filter((v) => listed.has(v)) };
    }
    case '!=':
      return c.oneOf !== null ? { ...c, oneOf: c.oneOf.filter((v) => v !== value) } : { ...c, notIn: [...c.notIn, value as Scalar] };
    case 'notin': {
      const items = value as Scalar[];
      if (c.oneOf === null) return { ...c, notIn: [...c.notIn, ...items] };
      const excluded = new Set(items);
      return { ...c, oneOf: c.oneOf.filter((v) => !excluded.has(v)) };
    }
    default: {
      const next: PathConstraint = { ...c };
      const n = value as number;
      if (op === '>' || op === '>=') {
        const inclusive = op === '>=';
        if (n > next.min || (n === next.min && !inclusive)) [next.min, next.minInclusive] = [n, inclusive];
      } else {
        const inclusive = op === '<=';
        if (n < next.max || (n === next.max && !inclusive)) [next.max, next.maxInclusive] = [n, inclusive];
      }
      return next;
    }
  }
}

/** No value is left: the allowed set minus the excluded values and outside the interval, or an empty interval. */
function empty(c: PathConstraint): boolean {
  if (c.oneOf !== null) {
    const excluded = c.notIn.length === 0 ? null : new Set(c.notIn);
    for (const v of c.oneOf) if ((excluded === null || !excluded.has(v)) && inRange(c, v)) return false;
    return true;
  }
  if (impossible(c)) return true;
  // a single point excluded: `x >= 5 && x <= 5 && x != 5`
  return c.min === c.max && c.notIn.includes(c.min);
}

/** Whether `v` lies in `c`'s interval (a value that is not a number always does). */
function inRange(c: PathConstraint, v: Scalar): boolean {
  return typeof v !== 'number' || ((v > c.min || (v === c.min && c.minInclusive)) && (v < c.max || (v === c.max && c.maxInclusive)));
}
