/** Replaces names by their definitions (a rule's lets), respecting macro variables that shadow them. */
import type { Expr } from '../ast.ts';

export function inlineNames(expr: Expr, definitions: ReadonlyMap<string, Expr>): Expr {
  if (definitions.size === 0) return expr;
  const go = (e: Expr): Expr => inlineNames(e, definitions);
  switch (expr.kind) {
    case 'Ident': {
      const definition = definitions.get(expr.name);
      if (definition === undefined) return expr;
      const rest = new Map([...definitions].filter(([n]) => n !== expr.name));
      return inlineNames(definition, rest);
    }
    case 'List':
      return { ...expr, items: expr.items.map(go) };
    case 'Map':
      return { ...expr, entries: expr.entries.map((en) => ({ ...en, key: go(en.key), value: go(en.value) })) };
    case 'Member':
      return { ...expr, object: go(expr.object) };
    case 'Index':
      return { ...expr, object: go(expr.object), index: go(expr.index) };
    case 'Call':
      return { ...expr, target: expr.target === null ? null : go(expr.target), args: expr.args.map(go) };
    case 'Macro': {
      const inner = new Map([...definitions].filter(([n]) => n !== expr.variable && n !== expr.valueVariable));
      return { ...expr, target: go(expr.target), filter: expr.filter === null ? null : inlineNames(expr.filter, inner), body: inlineNames(expr.body, inner) };
    }
    case 'Has':
      return { ...expr, target: { ...expr.target, object: go(expr.target.object) } };
    case 'Unary':
      return { ...expr, operand: go(expr.operand) };
    case 'Binary':
      return { ...expr, left: go(expr.left), right: go(expr.right) };
    case 'Conditional':
      return { ...expr, test: go(expr.test), consequent: go(expr.consequent), alternate: go(expr.alternate) };
    case 'Template':
      return { ...expr, parts: expr.parts.map((p) => (typeof p === 'string' ? p : go(p))) };
    default:
      return expr;
  }
}
