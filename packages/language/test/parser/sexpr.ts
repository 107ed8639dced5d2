/**
 * A compact S-expression form of expression ASTs, so table tests read as
 * `(+ 1 (* 2 3))` rather than nested JSON:
 *
 *   literals   null true 1.5 "s" (numbers as written: `0x1F`, `-3`)
 *   names      x
 *   list/map   [a b]  {a: 1 "b": 2}  (identifier keys print as strings)
 *   member     (. a b)  (?. a b)      index  ([] a i)  (?[] a i)
 *   call       (call f a b)  method (call .f target a b)
 *   macro      (all xs x body)  (map xs x filter body)   has  (has (. a b))
 *   operators  (! a)  (- a)  (&& a b)  (?: test then else)
 *   template   (template "text" expr ...)   error  <error>
 */
import type { Expr } from '../../src/ast.ts';

export function sexpr(e: Expr): string {
  switch (e.kind) {
    case 'Null':
      return 'null';
    case 'Bool':
      return String(e.value);
    case 'Number':
      return e.raw;
    case 'String':
      return JSON.stringify(e.value);
    case 'Template':
      return `(template${e.parts.map((p) => ' ' + (typeof p === 'string' ? JSON.stringify(p) : sexpr(p))).join('')})`;
    case 'Ident':
      return e.name;
    case 'List':
      return `[${e.items.map(sexpr).join(' ')}]`;
    case 'Map':
      return `{${e.entries.map((entry) => `${sexpr(entry.key)}: ${sexpr(entry.value)}`).join(' ')}}`;
    case 'Member':
      return `(${e.optional ? '?.' : '.'} ${sexpr(e.object)} ${e.property})`;
    case 'Index':
      return `(${e.optional ? '?[]' : '[]'} ${sexpr(e.object)} ${sexpr(e.index)})`;
    case 'Call': {
      const head = e.target === null ? e.callee : `.${e.callee} ${sexpr(e.target)}`;
      return `(call ${head}${e.args.map((a) => ' ' + sexpr(a)).join('')})`;
    }
    case 'Macro':
      return `(${e.macro} ${sexpr(e.target)} ${e.variable}${e.valueVariable === null ? '' : ' ' + e.valueVariable}${e.filter ? ' ' + sexpr(e.filter) : ''} ${sexpr(e.body)})`;
    case 'Has':
      return `(has ${sexpr(e.target)})`;
    case 'Unary':
      return `(${e.op} ${sexpr(e.operand)})`;
    case 'Binary':
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case 'Conditional':
      return `(?: ${sexpr(e.test)} ${sexpr(e.consequent)} ${sexpr(e.alternate)})`;
    case 'ErrorExpr':
      return '<error>';
  }
}
