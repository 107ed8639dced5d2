/** Tables: one pattern per column, patterns of the column's type, results of the return type. */
import type { TableDecl, TablePattern } from '../ast.ts';
import type { CheckContext } from './context.ts';
import { messages } from './messages.ts';
import { Scope } from './scope.ts';
import { assignable, base, fromTypeExpr, isLoose, show, type Type } from './types.ts';

export function checkTables(ctx: CheckContext): void {
  for (const decl of ctx.ast.decls) if (decl.kind === 'Table') checkTable(ctx, decl);
}

function checkTable(ctx: CheckContext, table: TableDecl): void {
  const columns = table.params.map((p) => fromTypeExpr(p.type));
  const returns = fromTypeExpr(table.returnType);
  const scope = new Scope(ctx.globals);
  table.params.forEach((p, i) => scope.define({ name: p.name.name, kind: 'variable', type: columns[i]!, span: p.name.span, doc: null, used: true }));
  let elseSeen = false;
  for (const row of table.rows) {
    if (elseSeen) ctx.report(messages.unreachableRow(row.span));
    if (row.isElse) elseSeen = true;
    else if (row.patterns.length !== columns.length) ctx.report(messages.tableArity(table.name.name, columns.length, row.patterns.length, row.span));
    else row.patterns.forEach((pattern, i) => checkPattern(ctx, pattern, columns[i]!, table.params[i]!.name.name, scope));
    if (row.guard !== null) ctx.expressions.condition(row.guard, scope, 'a row guard');
    const result = ctx.expressions.value(row.result, scope);
    if (!assignable(result, returns)) ctx.report(messages.typeMismatch(`a row of \`${table.name.name}\``, `of type ${show(returns)}`, result, row.result.span));
  }
  if (!elseSeen) ctx.report(messages.noElse(table.name.name, table.name.span));
}

function checkPattern(ctx: CheckContext, pattern: TablePattern, column: Type, name: string, scope: Scope): void {
  if (pattern.kind === 'Wildcard') return;
  const type = pattern.kind === 'TestPattern' ? column : ctx.expressions.value(pattern.value, scope);
  const fits = (t: Type) => isLoose(t) || isLoose(column) || assignable(t, column) || base(t).kind === base(column).kind;
  switch (pattern.kind) {
    case 'EqualsPattern':
    case 'ComparePattern':
      if (!fits(type)) ctx.report(messages.typeMismatch(`a pattern for column \`${name}\``, `of type ${show(column)}`, type, pattern.value.span));
      if (pattern.kind === 'ComparePattern' && pattern.op !== '!=' && !['number', 'string', 'timestamp', 'duration', 'any', 'error'].includes(base(column).kind)) {
        ctx.report(messages.operatorTypes(pattern.op, column, type, pattern.span));
      }
      break;
    case 'TestPattern':
      // the test reads the column through its parameter: an ordinary condition in the table's scope
      ctx.expressions.condition(pattern.value, scope, `a pattern for column \`${name}\``);
      break;
    case 'InPattern':
      if (type.kind !== 'list' ? !isLoose(type) : !fits(type.element)) ctx.report(messages.typeMismatch(`an \`in\` pattern for column \`${name}\``, `a list of ${show(column)}`, type, pattern.value.span));
      break;
  }
}
