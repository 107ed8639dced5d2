/**
 * A small evaluator for constant expressions, used by the checker to test
 * param defaults and test-block params against their `where`. It answers
 * `undefined` for anything it does not know (the engine checks those at run
 * time), so it can only ever add certainty, never a false error.
 */
import type { Expr } from '../ast.ts';

export type ConstValue = null | boolean | number | string | ConstValue[] | { [key: string]: ConstValue };

export function evaluateConstant(expr: Expr, env: ReadonlyMap<string, ConstValue> = new Map()): ConstValue | undefined {
  switch (expr.kind) {
    case 'Null':
      return null;
    case 'Bool':
    case 'Number':
    case 'String':
      return expr.value;
    case 'Ident':
      return env.get(expr.name);
    case 'List': {
      const items = expr.items.map((i) => evaluateConstant(i, env));
      return items.every((i) => i !== undefined) ? (items as ConstValue[]) : undefined;
    }
    case 'Map': {
      const out: { [key: string]: ConstValue } = Object.create(null) as { [key: string]: ConstValue };
      for (const e of expr.entries) {
        const k = evaluateConstant(e.key, env);
        const v = evaluateConstant(e.value, env);
        if (typeof k !== 'string' || v === undefined) return undefined;
        out[k] = v;
      }
      return out;
    }
    case 'Unary': {
      const v = evaluateConstant(expr.operand, env);
      if (expr.op === '!') return typeof v === 'boolean' ? !v : undefined;
      return typeof v === 'number' ? -v : undefined;
    }
    case 'Binary': {
      const l = evaluateConstant(expr.left, env);
      if (expr.op === '&&' && l === false) return false;
      if (expr.op === '||' && l === true) return true;
      const r = evaluateConstant(expr.right, env);
      if (l === undefined || r === undefined) return undefined;
      return binary(expr.op, l, r);
    }
    case 'Conditional': {
      const t = evaluateConstant(expr.test, env);
      if (typeof t !== 'boolean') return undefined;
      return evaluateConstant(t ? expr.consequent : expr.alternate, env);
    }
    case 'Call':
      return call(expr.callee, (expr.target === null ? expr.args : [expr.target, ...expr.args]).map((a) => evaluateConstant(a, env)));
    default:
      return undefined;
  }
}

function binary(op: string, l: ConstValue, r: ConstValue): ConstValue | undefined {
  switch (op) {
    case '&&':
    case '||':
      return typeof l === 'boolean' && typeof r === 'boolean' ? (op === '&&' ? l && r : l || r) : undefined;
    case '??':
      return l ?? r;
    case '==':
      return deepEqual(l, r);
    case '!=':
      return !deepEqual(l, r);
    case 'in':
      return Array.isArray(r) ? r.some((x) => deepEqual(x, l)) : undefined;
  }
  if (typeof l === 'number' && typeof r === 'number') {
    switch (op) {
      case '<': return l < r;
      case '<=': return l <= r;
      case '>': return l > r;
      case '>=': return l >= r;
      case '+': return l + r;
      case '-': return l - r;
      case '*': return l * r;
      case '/': return r === 0 ? undefined : l / r;
      case '%': return r === 0 ? undefined : l % r;
    }
  }
  if (typeof l === 'string' && typeof r === 'string') {
    switch (op) {
      case '<': return l < r;
      case '<=': return l <= r;
      case '>': return l > r;
      case '>=': return l >= r;
      case '+': return l + r;
    }
  }
  return undefined;
}

function call(name: string, args: Array<ConstValue | undefined>): ConstValue | undefined {
  if (args.some((a) => a === undefined)) return undefined;
  const [a, b] = args as ConstValue[];
  switch (name) {
    case 'size':
      if (typeof a === 'string') return [...a].length;
      if (Array.isArray(a)) return a.length;
      return a !== null && typeof a === 'object' ? Object.keys(a).length : undefined;
    case 'floor':
      return typeof a === 'number' ? Math.floor(a) : undefined;
    case 'ceil':
      return typeof a === 'number' ? Math.ceil(a) : undefined;
    case 'abs':
      return typeof a === 'number' ? Math.abs(a) : undefined;
    case 'startsWith':
      return typeof a === 'string' && typeof b === 'string' ? a.startsWith(b) : undefined;
    case 'endsWith':
      return typeof a === 'string' && typeof b === 'string' ? a.endsWith(b) : undefined;
    case 'contains':
      if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
      return Array.isArray(a) ? a.some((x) => deepEqual(x, b!)) : undefined;
    case 'lower':
      return typeof a === 'string' ? a.toLowerCase() : undefined;
    case 'upper':
      return typeof a === 'string' ? a.toUpperCase() : undefined;
    case 'min':
    case 'max': {
      const nums = args.length === 1 && Array.isArray(a) ? a : args;
      if (nums.length === 0 || !nums.every((n) => typeof n === 'number')) return undefined;
      return name === 'min' ? Math.min(...(nums as number[])) : Math.max(...(nums as number[]));
    }
    default:
      return undefined;
  }
}

export function deepEqual(a: ConstValue, b: ConstValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]!));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k]!, b[k]!));
  }
  return false;
}

export function showConstant(v: ConstValue): string {
  return JSON.stringify(v);
}
