/**
 * A small expression printer: Expr -> source text, with the fewest parentheses
 * that keep the tree the same when re-parsed. Used for `x-verdict-where`, so the
 * schema does not depend on the formatter (or on having the source at hand).
 * Literals print as written (`raw`); spacing is canonical, comments are lost.
 */
import type { BinaryOperator, Expr } from '../ast.ts';
import { fieldNameText } from '../names.ts';

// Binding strength, loosest first; mirrors the parser's levels.
const CONDITIONAL = 1;
const UNARY = 8;
const POSTFIX = 9;

const BINARY_PRECEDENCE: Record<BinaryOperator, number> = {
  '??': 2,
  '||': 3,
  '&&': 4,
  '==': 5,
  '!=': 5,
  '<': 5,
  '<=': 5,
  '>': 5,
  '>=': 5,
  in: 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '%': 7,
};

/** Prints an expression as Verdict source. */
export function printExpr(expr: Expr): string {
  return printAt(expr, CONDITIONAL);
}

/** Prints `expr` so that it can stand where an operand of binding strength `min` is expected. */
export function printAt(expr: Expr, min: number): string {
  const text = print(expr);
  return precedence(expr) < min ? `(${text})` : text;
}

/** Binding strength of a `&&` operand: conjuncts joined with ` && ` stay separate. */
export const CONJUNCT = BINARY_PRECEDENCE['&&'];

function precedence(expr: Expr): number {
  switch (expr.kind) {
    case 'Conditional':
      return CONDITIONAL;
    case 'Binary':
      return BINARY_PRECEDENCE[expr.op];
    case 'Unary':
      return UNARY;
    case 'Number':
      // A folded negative literal (`-1`) reads like a unary minus.
      return expr.raw.startsWith('-') ? UNARY : POSTFIX;
    default:
      return POSTFIX;
  }
}

function print(expr: Expr): string {
  switch (expr.kind) {
    case 'Null':
      return 'null';
    case 'Bool':
      return expr.value ? 'true' : 'false';
    case 'Number':
    case 'String':
    case 'Template':
      return expr.raw;
    case 'Ident':
      return expr.name;
    case 'List':
      return `[${expr.items.map((item) => printAt(item, CONDITIONAL)).join(', ')}]`;
    case 'Map':
      return `{${expr.entries.map((e) => `${printAt(e.key, CONDITIONAL)}: ${printAt(e.value, CONDITIONAL)}`).join(', ')}}`;
    case 'Member':
      return `${printAt(expr.object, POSTFIX)}${expr.optional ? '?.' : '.'}${fieldNameText(expr.property)}`;
    case 'Index':
      return `${printAt(expr.object, POSTFIX)}${expr.optional ? '?.' : ''}[${printAt(expr.index, CONDITIONAL)}]`;
    case 'Call': {
      const args = expr.args.map((a) => printAt(a, CONDITIONAL)).join(', ');
      return expr.target === null ? `${expr.callee}(${args})` : `${printAt(expr.target, POSTFIX)}.${expr.callee}(${args})`;
    }
    case 'Macro': {
      const filter = expr.filter === null ? '' : `${printAt(expr.filter, CONDITIONAL)}, `;
      const names = expr.valueVariable === null ? expr.variable : `${expr.variable}, ${expr.valueVariable}`;
      return `${printAt(expr.target, POSTFIX)}.${expr.macro}(${names}, ${filter}${printAt(expr.body, CONDITIONAL)})`;
    }
    case 'Has':
      return `has(${print(expr.target)})`;
    case 'Unary': {
      const operand = printAt(expr.operand, UNARY);
      // `- -x` must not become `--x`.
      return expr.op === '-' && operand.startsWith('-') ? `- ${operand}` : `${expr.op}${operand}`;
    }
    case 'Binary': {
      const p = BINARY_PRECEDENCE[expr.op];
      // Every binary level is left-associative: the right operand binds tighter.
      return `${printAt(expr.left, p)} ${expr.op} ${printAt(expr.right, p + 1)}`;
    }
    case 'Conditional':
      return `${printAt(expr.test, CONDITIONAL + 1)} ? ${printAt(expr.consequent, CONDITIONAL)} : ${printAt(expr.alternate, CONDITIONAL)}`;
    case 'ErrorExpr':
      return '<error>';
  }
}
