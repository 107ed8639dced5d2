/** A compact one-line rendering of an expression, for traces and errors. */
import { fieldNameText, type Expr } from '@verdict/language';

const PRECEDENCE: Record<string, number> = {
  '??': 2, '||': 3, '&&': 4, '==': 5, '!=': 5, '<': 5, '<=': 5, '>': 5, '>=': 5, in: 5, '+': 6, '-': 6, '*': 7, '/': 7, '%': 7,
};

function prec(e: Expr): number {
  if (e.kind === 'Conditional') return 1;
  if (e.kind === 'Binary') return PRECEDENCE[e.op] ?? 0;
  if (e.kind === 'Unary') return 8;
  return 9;
}

function wrap(e: Expr, min: number): string {
  const s = printExpr(e);
  return prec(e) < min ? `(${s})` : s;
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'Null':
      return 'null';
    case 'Bool':
      return String(e.value);
    case 'Number':
    case 'String':
    case 'Template':
      return e.raw;
    case 'Ident':
      return e.name;
    case 'List':
      return `[${e.items.map(printExpr).join(', ')}]`;
    case 'Map':
      return `{${e.entries.map((en) => `${printExpr(en.key)}: ${printExpr(en.value)}`).join(', ')}}`;
    case 'Member':
      return `${wrap(e.object, 9)}${e.optional ? '?.' : '.'}${fieldNameText(e.property)}`;
    case 'Index':
      return `${wrap(e.object, 9)}${e.optional ? '?.' : ''}[${printExpr(e.index)}]`;
    case 'Call':
      return e.target ? `${wrap(e.target, 9)}.${e.callee}(${e.args.map(printExpr).join(', ')})` : `${e.callee}(${e.args.map(printExpr).join(', ')})`;
    case 'Macro': {
      const args = [e.variable, ...(e.valueVariable === null ? [] : [e.valueVariable]), ...(e.filter ? [printExpr(e.filter)] : []), printExpr(e.body)];
      return `${wrap(e.target, 9)}.${e.macro}(${args.join(', ')})`;
    }
    case 'Has':
      return `has(${printExpr(e.target)})`;
    case 'Unary':
      return `${e.op}${wrap(e.operand, 8)}`;
    case 'Binary': {
      const p = PRECEDENCE[e.op] ?? 0;
      return `${wrap(e.left, p)} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case 'Conditional':
      return `${wrap(e.test, 2)} ? ${wrap(e.consequent, 2)} : ${wrap(e.alternate, 1)}`;
    case 'ErrorExpr':
      return '<error>';
  }
}
