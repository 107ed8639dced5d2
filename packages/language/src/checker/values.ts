/** Field `where` clauses, param defaults and constraints, and outputs. */
import type { Expr, FieldDecl, InputDecl, ParamDecl, TypeExpr } from '../ast.ts';
import type { CheckContext } from './context.ts';
import { evaluateConstant, showConstant } from './const-eval.ts';
import { messages } from './messages.ts';
import { Scope } from './scope.ts';
import { fitsWithTimeStrings, holdsTime } from './time-literals.ts';
import { assignable, fromTypeExpr, show, T } from './types.ts';

export function checkDeclarationValues(ctx: CheckContext, input: InputDecl | undefined): void {
  for (const field of input?.fields ?? []) checkField(ctx, field);
  for (const decl of ctx.ast.decls) {
    if (decl.kind === 'Param') checkParam(ctx, decl);
    // An alias's fields are checked once, where it is declared, not at each use.
    else if (decl.kind === 'TypeAlias') for (const f of nestedFields(decl.type)) checkField(ctx, f);
    else if (decl.kind === 'Output') {
      const type = ctx.expressions.value(decl.value, ctx.globals);
      const symbol = ctx.symbols.get(decl.name.name);
      if (decl.type !== null) {
        const declared = fromTypeExpr(decl.type);
        if (!assignable(type, declared)) ctx.report(messages.typeMismatch(`output \`${decl.name.name}\``, `of type ${show(declared)}`, type, decl.value.span));
        if (symbol?.kind === 'output') symbol.type = declared;
      } else if (symbol?.kind === 'output') {
        symbol.type = type;
      }
    }
  }
}

function checkField(ctx: CheckContext, field: FieldDecl): void {
  // ajv drops `__proto__` from `properties` (a guard against prototype pollution), so the field could
  // be neither supplied nor left out: every input would be refused
  if (field.name === '__proto__') ctx.report(messages.reservedFieldName(field.name, field.nameSpan));
  if (field.where !== null) {
    const scope = new Scope(ctx.globals);
    scope.define({ name: 'value', kind: 'variable', type: fromTypeExpr(field.type), span: field.nameSpan, doc: `the value of \`${field.name}\``, used: true });
    ctx.expressions.condition(field.where, scope, `the \`where\` of \`${field.name}\``);
  }
  for (const f of nestedFields(field.type)) checkField(ctx, f);
}

/** The fields of records inside a type, through lists and maps (`list<map<{ a: number }>>`). */
function nestedFields(type: TypeExpr): FieldDecl[] {
  switch (type.kind) {
    case 'RecordType':
      return type.fields;
    case 'ListType':
      return nestedFields(type.element);
    case 'MapType':
      return nestedFields(type.value);
    default:
      return [];
  }
}

function checkParam(ctx: CheckContext, decl: ParamDecl): void {
  const declared = fromTypeExpr(decl.type);
  const defaultType = ctx.expressions.value(decl.default, ctx.globals);
  const typeOf = (e: Expr) => ctx.types.get(e.id) ?? T.error;
  if (!assignable(defaultType, declared) && !(holdsTime(declared) && fitsWithTimeStrings(decl.default, declared, typeOf, ctx.report))) {
    ctx.report(messages.typeMismatch(`the default of param \`${decl.name.name}\``, `of type ${show(declared)}`, defaultType, decl.default.span));
    return;
  }
  if (decl.where === null) return;
  const scope = new Scope(ctx.globals);
  scope.define({ name: 'value', kind: 'variable', type: declared, span: decl.name.span, doc: `the value of param \`${decl.name.name}\``, used: true });
  ctx.expressions.condition(decl.where, scope, `the \`where\` of param \`${decl.name.name}\``);
  const value = evaluateConstant(decl.default);
  if (value === undefined) return;
  const ok = evaluateConstant(decl.where, new Map([['value', value]]));
  if (ok === false) ctx.report(messages.defaultBreaksWhere(decl.name.name, showConstant(value), decl.default.span));
}
