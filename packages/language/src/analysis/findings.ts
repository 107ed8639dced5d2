/**
 * What a reviewer would catch beyond whole-rule findings: a part of a
 * condition that is always true or never true over the typed input (VD4010),
 * a table row that earlier rows always take first (VD4011), and a `let` that
 * only unused declarations read (VD4012).
 */
import type { Expr, LetDecl, Ruleset, TableDecl, TablePattern } from '../ast.ts';
import type { CheckResult } from '../checker/index.ts';
import { evaluateConstant, type ConstValue } from '../checker/const-eval.ts';
import type { Type } from '../checker/types.ts';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { exprKey } from './expr-key.ts';
import { ANALYSIS_BUDGET, and, exhausted, formulaOf, not, or, satisfiable, spend, valid, type Formula, type Reasoner } from './truth.ts';

type Scalar = string | number | boolean;

export function reasonerFor(checked: CheckResult, consts: ReadonlyMap<string, ConstValue>): Reasoner {
  const domains = new Map<string, Scalar[]>();
  const walk = (t: Type, path: string) => {
    if (t.kind === 'literal') domains.set(path, [...t.values]);
    else if (t.kind === 'boolean') domains.set(path, [true, false]);
    else if (t.kind === 'record') for (const [name, f] of t.fields) if (!f.optional) walk(f.type, path === '' ? name : `${path}.${name}`);
  };
  walk(checked.input, '');
  const typed = (expr: Expr) => {
    const t = checked.types.get(expr.id);
    return t !== undefined && (t.kind === 'number' || t.kind === 'string' || t.kind === 'boolean' || t.kind === 'literal');
  };
  return { domains, consts, typed, budget: { left: ANALYSIS_BUDGET } };
}

/**
 * The largest parts of `condition` (below the whole, which VD4001 and VD4004
 * cover) that are always true or never true. Each span is reported once.
 */
export function constantParts(condition: Expr, r: Reasoner, seen: Set<number>): Diagnostic[] {
  const found: Diagnostic[] = [];
  const visit = (expr: Expr, root: boolean) => {
    const logical = (expr.kind === 'Binary' && (expr.op === '&&' || expr.op === '||')) || (expr.kind === 'Unary' && expr.op === '!');
    if (!root && evaluateConstant(expr, r.consts) === undefined && (logical || expr.kind === 'Binary')) {
      const f = formulaOf(expr, r);
      const verdict = valid(f, r) ? true : !satisfiable(f, r) ? false : null;
      if (verdict !== null) {
        if (!seen.has(expr.span.start)) {
          seen.add(expr.span.start);
          found.push(
            diagnostic('VD4010', 'warning', `this part of the condition is ${verdict ? 'always true' : 'never true'}`, expr.span, {
              hint: verdict
                ? 'together its cases cover every value the input can have; remove it or compare with what you meant'
                : 'its cases exclude each other (or the declared values of the input); remove it or compare with what you meant',
            }),
          );
        }
        return;
      }
    }
    if (expr.kind === 'Binary' && (expr.op === '&&' || expr.op === '||')) {
      visit(expr.left, false);
      visit(expr.right, false);
    } else if (expr.kind === 'Unary' && expr.op === '!') {
      visit(expr.operand, false);
    } else if (expr.kind === 'Conditional') {
      visit(expr.test, false);
    }
  };
  visit(condition, true);
  return found;
}

/** Rows that can never match because the rows above take every input they would (first match wins). */
export function unreachableRows(ast: Ruleset, r: Reasoner): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const decl of ast.decls) {
    if (decl.kind !== 'Table') continue;
    const columns = decl.params.map((p) => columnInfo(decl, p.name.name));
    const earlier: Formula[] = [];
    const reasoner = tableReasoner(r, decl);
    for (const row of decl.rows) {
      if (row.isElse) break; // rows after `else` are VD3014
      // each row is weighed against all the rows above it: past the analysis budget the rest go unjudged
      if (exhausted(r)) break;
      spend(r, earlier.length >> 4);
      const matches = and(...row.patterns.map((p, i) => patternFormula(p, columns[i]!, reasoner)), row.guard === null ? { kind: 'const', value: true } : formulaOf(row.guard, reasoner));
      if (earlier.length > 0 && !satisfiable(and(matches, not(or(...earlier))), reasoner)) {
        found.push(
          diagnostic('VD4011', 'warning', `this row of table \`${decl.name.name}\` can never match: the rows above take every value it matches`, row.span, {
            hint: 'the first matching row wins: move this row above the rows that cover it, or remove it',
          }),
        );
      }
      earlier.push(matches);
    }
  }
  return found;
}

interface Column {
  name: string;
  domain: Scalar[] | null;
  /** The column's values are numbers, strings or booleans, which the reasoning models exactly. */
  exact: boolean;
}

function columnInfo(table: TableDecl, name: string): Column {
  const type = table.params.find((p) => p.name.name === name)!.type;
  if (type.kind === 'LiteralUnionType') return { name, domain: [...type.values], exact: true };
  if (type.kind === 'PrimitiveType') {
    if (type.name === 'boolean') return { name, domain: [true, false], exact: true };
    return { name, domain: null, exact: type.name === 'number' || type.name === 'string' };
  }
  return { name, domain: null, exact: false };
}

/** Table params are paths of their own; their literal and boolean domains come from the declared types. */
function tableReasoner(r: Reasoner, table: TableDecl): Reasoner {
  const domains = new Map(r.domains);
  for (const p of table.params) {
    const column = columnInfo(table, p.name.name);
    if (column.domain !== null) domains.set(p.name.name, column.domain);
    else domains.delete(p.name.name);
  }
  return { ...r, domains };
}

function patternFormula(pattern: TablePattern, column: Column, r: Reasoner): Formula {
  if (pattern.kind === 'Wildcard') return { kind: 'const', value: true };
  if (pattern.kind === 'TestPattern') return formulaOf(pattern.value, r);
  const value = evaluateConstant(pattern.value, r.consts);
  const op = pattern.kind === 'EqualsPattern' ? '==' : pattern.kind === 'InPattern' ? 'in' : pattern.op;
  const exactValue = value !== undefined && (op === 'in' ? Array.isArray(value) && value.every((v) => typeof v !== 'object') : op === '==' || op === '!=' ? value !== null && typeof value !== 'object' : typeof value === 'number');
  if (column.exact && exactValue) return { kind: 'constraint', path: column.name, op, value: value };
  return { kind: 'opaque', key: `${column.name} ${op} ${exprKey(pattern.value)}`, positive: true };
}

/**
 * Lets that no rule, output or table reads, even through other lets: the
 * checker's VD3030 names a let nothing reads; this names the lets that only
 * such lets read.
 */
export function unreadLets(ast: Ruleset, checked: CheckResult): Diagnostic[] {
  const lets = new Map<string, LetDecl>();
  for (const decl of ast.decls) if (decl.kind === 'Let') lets.set(decl.name.name, decl);
  if (lets.size === 0) return [];
  const read = new Set<string>();
  const pending: Expr[] = [];
  const namesIn = (expr: Expr) => {
    for (const name of identifiers(expr, checked)) {
      const let_ = lets.get(name);
      if (let_ !== undefined && !read.has(name)) {
        read.add(name);
        pending.push(let_.value);
      }
    }
  };
  for (const decl of ast.decls) {
    if (decl.kind === 'Rule') {
      for (const l of decl.lets) namesIn(l.value);
      for (const e of [decl.condition, decl.message, ...decl.suggestions.map((s) => s.value)]) if (e !== null) namesIn(e);
    } else if (decl.kind === 'Output') {
      namesIn(decl.value);
    } else if (decl.kind === 'Table') {
      for (const row of decl.rows) {
        namesIn(row.result);
        if (row.guard !== null) namesIn(row.guard);
        for (const p of row.patterns) if (p.kind !== 'Wildcard') namesIn(p.value);
      }
    }
  }
  for (let e = pending.pop(); e !== undefined; e = pending.pop()) namesIn(e);
  const found: Diagnostic[] = [];
  for (const [name, decl] of lets) {
    const symbol = checked.symbols.get(name);
    // a let nothing reads at all is the checker's VD3030
    if (read.has(name) || symbol === undefined || !symbol.used) continue;
    found.push(
      diagnostic('VD4012', 'warning', `let \`${name}\` is read by no rule, output or table`, decl.name.span, {
        hint: 'only lets that are themselves never used read it; remove them, or use them in a rule',
      }),
    );
  }
  return found;
}

/** The global names an expression reads (references resolved by the checker, so macro variables do not count). */
function identifiers(expr: Expr, checked: CheckResult): string[] {
  const names: string[] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    const e = node as Expr;
    if ('id' in e && 'kind' in e && e.kind === 'Ident') {
      const symbol = checked.references.get(e.id);
      if (symbol?.kind === 'let') names.push(e.name);
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'span' && typeof value === 'object') walk(value);
  };
  walk(expr);
  return names;
}
