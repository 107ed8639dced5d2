/**
 * A structural key of an expression: equal keys mean equal expressions up
 * to spans, ids and how literals were written. `substitute` replaces names
 * (a rule's `let`s) by their definitions, so `n > 0` in two rules with
 * different `let n` never compare equal.
 */
import type { Expr } from '../ast.ts';
import { fieldNameText } from '../names.ts';

export function exprKey(expr: Expr, substitute: ReadonlyMap<string, Expr> = new Map()): string {
  const k = (e: Expr): string => exprKey(e, substitute);
  switch (expr.kind) {
    case 'Null':
      return 'null';
    case 'Bool':
    case 'Number':
      return String(expr.value);
    case 'String':
      return JSON.stringify(expr.value);
    case 'Template':
      return `tpl(${expr.parts.map((p) => (typeof p === 'string' ? JSON.stringify(p) : k(p))).join(',')})`;
    case 'Ident': {
      const replacement = substitute.get(expr.name);
      return replacement === undefined ? expr.name : `(${exprKey(replacement, new Map([...substitute].filter(([n]) => n !== expr.name)))})`;
    }
    case 'List':
      return `[${expr.items.map(k).join(',')}]`;
    case 'Map':
      return `{${expr.entries.map((e) => `${k(e.key)}:${k(e.value)}`).join(',')}}`;
    case 'Member':
      return `${k(expr.object)}${expr.optional ? '?.' : '.'}${fieldNameText(expr.property)}`;
    case 'Index':
      return `${k(expr.object)}${expr.optional ? '?.' : ''}[${k(expr.index)}]`;
    case 'Call':
      return `${expr.target === null ? '' : k(expr.target) + '.'}${expr.callee}(${expr.args.map(k).join(',')})`;
    case 'Macro': {
      const inner = new Map([...substitute].filter(([n]) => n !== expr.variable && n !== expr.valueVariable));
      const ik = (e: Expr) => exprKey(e, inner);
      const names = expr.valueVariable === null ? expr.variable : `${expr.variable},${expr.valueVariable}`;
      return `${k(expr.target)}.${expr.macro}(${names},${expr.filter === null ? '' : ik(expr.filter) + ','}${ik(expr.body)})`;
    }
    case 'Has':
      return `has(${k(expr.target)})`;
    case 'Unary':
      return `${expr.op}(${k(expr.operand)})`;
    case 'Binary':
      return `(${k(expr.left)} ${expr.op} ${k(expr.right)})`;
    case 'Conditional':
      return `(${k(expr.test)} ? ${k(expr.consequent)} : ${k(expr.alternate)})`;
    case 'ErrorExpr':
      return `error#${expr.id}`;
  }
}
