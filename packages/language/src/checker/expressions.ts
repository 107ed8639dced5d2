/**
 * Type inference for expressions. Every expression gets a type in the side
 * table `types` (by node id); names are resolved into `references`.
 */
import type { BinaryExpr, CallExpr, Expr, MacroExpr, MemberExpr, Span } from '../ast.ts';
import { BUILTINS, type Overload, type SignatureType } from '../builtins.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { fieldNameText, INPUT_ROOT } from '../names.ts';
import { closest } from './did-you-mean.ts';
import { messages } from './messages.ts';
import { pathOf, Scope, type SymbolInfo } from './scope.ts';
import { assignable, base, isLoose, join, show, stripNullable, T, type LiteralValue, type Type } from './types.ts';

export interface TableSignature {
  name: string;
  params: Type[];
  returns: Type;
}

export interface ExpressionContext {
  report(d: Diagnostic): void;
  types: Map<number, Type>;
  references: Map<number, SymbolInfo>;
  tables: Map<string, TableSignature>;
  /** Called before a global symbol's type is read, so `let`s are inferred on demand (and cycles found). */
  resolve(symbol: SymbolInfo, at: Span): void;
  /** The input document as `input.<field>` reads it: its record type and its top-level fields' symbols. */
  inputRoot: { type: Type; fields: ReadonlyMap<string, SymbolInfo> };
}

export class ExpressionChecker {
  constructor(private readonly ctx: ExpressionContext) {}

  /** The type of `expr`; nullable when it may be absent. */
  infer(expr: Expr, scope: Scope): Type {
    const type = this.inferInner(expr, scope);
    this.ctx.types.set(expr.id, type);
    return type;
  }

  /** The type of `expr` where a present value is required: reports a possibly absent read. */
  value(expr: Expr, scope: Scope): Type {
    const type = this.infer(expr, scope);
    if (type.kind === 'nullable' || type.kind === 'null') {
      if (type.kind === 'nullable') this.ctx.report(messages.mayBeAbsent(describe(expr), expr.span, type.inner));
      return type.kind === 'nullable' ? type.inner : T.error;
    }
    return type;
  }

  /** Checks that `expr` is a boolean (conditions, `where`, guards). */
  condition(expr: Expr, scope: Scope, what: string): void {
    const type = this.value(expr, scope);
    if (!assignable(type, T.boolean)) this.ctx.report(messages.typeMismatch(what, 'a boolean', type, expr.span));
  }

  private inferInner(expr: Expr, scope: Scope): Type {
    switch (expr.kind) {
      case 'Null':
        return T.null;
      case 'Bool':
        return T.boolean;
      case 'Number':
        return T.number;
      case 'String':
        return { kind: 'literal', values: [expr.value] };
      case 'Template':
        for (const part of expr.parts) if (typeof part !== 'string') this.infer(part, scope);
        return T.string;
      case 'Ident':
        return this.ident(expr.id, expr.name, expr.span, scope);
      case 'List': {
        let element: Type | null = null;
        // A run of literals of one base type is gathered in one set, as `join` would union them:
        // joined pair by pair, the union was copied (and its base type found) once per item, and
        // a list of 60,000 strings took minutes to check.
        let gathered: Set<LiteralValue> | null = null;
        let gatheredBase: Type | null = null;
        for (const item of expr.items) {
          const t = this.infer(item, scope);
          if (element !== null && element.kind === 'literal' && t.kind === 'literal') {
            gatheredBase ??= base(element);
            if (gatheredBase.kind !== 'any' && base(t).kind === gatheredBase.kind) {
              gathered ??= new Set(element.values);
              for (const v of t.values) gathered.add(v);
              continue;
            }
          }
          if (gathered !== null) element = { kind: 'literal', values: [...gathered] };
          gathered = null;
          gatheredBase = null;
          element = element === null ? t : join(element, t);
        }
        if (gathered !== null) element = { kind: 'literal', values: [...gathered] };
        return T.list(element ?? T.any);
      }
      case 'Map': {
        const fields = new Map<string, { type: Type; optional: boolean }>();
        let allStringKeys = true;
        for (const entry of expr.entries) {
          const keyType = this.value(entry.key, scope);
          if (!assignable(keyType, T.string)) this.ctx.report(messages.typeMismatch('a map key', 'a string', keyType, entry.key.span));
          const valueType = this.infer(entry.value, scope);
          if (entry.key.kind === 'String') fields.set(entry.key.value, { type: valueType, optional: false });
          else allStringKeys = false;
        }
        if (allStringKeys) return { kind: 'record', fields };
        return T.map([...fields.values()].reduce<Type>((a, f) => join(a, f.type), T.any));
      }
      case 'Member':
        return this.member(expr, scope);
      case 'Index':
        return this.index(expr.object, expr.index, expr.optional, expr.span, scope);
      case 'Call':
        return this.call(expr, scope);
      case 'Macro':
        return this.macro(expr, scope);
      case 'Has': {
        const rootFields = this.inputRoot(expr.target.object, scope);
        if (rootFields !== null) {
          this.inputField(expr.target, rootFields, scope);
          this.ctx.types.set(expr.target.id, T.boolean);
          return T.boolean;
        }
        const objectType = stripNullable(this.infer(expr.target.object, scope));
        this.ctx.types.set(expr.target.id, T.boolean);
        if (objectType.kind === 'record' && !objectType.fields.has(expr.target.property)) {
          this.ctx.report(messages.unknownField(expr.target.property, describe(expr.target.object), expr.target.propertySpan, closest(expr.target.property, objectType.fields.keys()), [...objectType.fields.keys()]));
        } else if (!isLoose(objectType) && objectType.kind !== 'record' && objectType.kind !== 'map') {
          this.ctx.report(messages.noFields(describe(expr.target.object), objectType, expr.target.object.span));
        }
        return T.boolean;
      }
      case 'Unary': {
        const operand = this.value(expr.operand, scope);
        if (expr.op === '!') {
          if (!assignable(operand, T.boolean)) this.ctx.report(messages.operatorTypes('!', operand, null, expr.span));
          return T.boolean;
        }
        if (assignable(operand, T.number)) return T.number;
        if (operand.kind === 'duration') return T.duration;
        if (operand.kind === 'decimal') return T.decimal;
        this.ctx.report(messages.operatorTypes('-', operand, null, expr.span));
        return T.error;
      }
      case 'Binary':
        return this.binary(expr, scope);
      case 'Conditional': {
        this.condition(expr.test, scope, 'the condition of `? :`');
        const whenTrue = this.infer(expr.consequent, scope.withFacts(facts(expr.test, true)));
        const whenFalse = this.infer(expr.alternate, scope.withFacts(facts(expr.test, false)));
        return join(whenTrue, whenFalse);
      }
      case 'ErrorExpr':
        return T.error;
    }
  }

  private ident(id: number, name: string, span: Span, scope: Scope): Type {
    const symbol = scope.lookup(name);
    if (symbol === undefined) {
      if (name === INPUT_ROOT) {
        this.ctx.report(messages.inputIsNotAValue(span));
        return T.error;
      }
      const guess = closest(name, scope.visible());
      // a top-level field whose name is not an identifier is read through `input`
      const known = guess === null ? null : scope.lookup(guess);
      this.ctx.report(messages.unknownName(name, span, guess === null || known?.kind !== 'input' ? guess : `${INPUT_ROOT}.${fieldNameText(guess)}`));
      return T.error;
    }
    symbol.used = true;
    this.ctx.references.set(id, symbol);
    this.ctx.resolve(symbol, span);
    if (symbol.kind === 'table') {
      this.ctx.report(messages.typeMismatch(`table \`${name}\``, 'called', symbol.type, span, `call it: \`${name}(...)\``));
      return T.error;
    }
    if (symbol.type.kind === 'nullable' && scope.present.has(name)) return symbol.type.inner;
    return symbol.type;
  }

  /**
   * The top-level input fields when `object` is `input`, the input document (no declaration or
   * local is named `input`); null otherwise.
   */
  private inputRoot(object: Expr, scope: Scope): ReadonlyMap<string, SymbolInfo> | null {
    if (object.kind !== 'Ident' || object.name !== INPUT_ROOT || scope.lookup(INPUT_ROOT) !== undefined) return null;
    this.ctx.types.set(object.id, this.ctx.inputRoot.type);
    return this.ctx.inputRoot.fields;
  }

  /**
   * `input.f`: the top-level field `f`, typed as its name would be (the way to read a field whose
   * name is not an identifier, `` input.`account-information` ``). Guards name it the same way.
   */
  private inputField(expr: MemberExpr, fields: ReadonlyMap<string, SymbolInfo>, scope: Scope): Type {
    const symbol = fields.get(expr.property);
    if (symbol === undefined) {
      const names = [...fields.keys()];
      this.ctx.report(messages.unknownField(expr.property, INPUT_ROOT, expr.propertySpan, closest(expr.property, names), names));
      return T.error;
    }
    symbol.used = true;
    this.ctx.references.set(expr.id, symbol);
    if (symbol.type.kind === 'nullable' && scope.present.has(pathOf(expr) ?? '')) return symbol.type.inner;
    return symbol.type;
  }

  private member(expr: MemberExpr, scope: Scope): Type {
    const rootFields = this.inputRoot(expr.object, scope);
    if (rootFields !== null) return this.inputField(expr, rootFields, scope);
    const raw = this.infer(expr.object, scope);
    if (raw.kind === 'null') return T.null;
    let objectType: Type = raw;
    const nullableObject = raw.kind === 'nullable';
    if (nullableObject) {
      objectType = stripNullable(raw);
      if (!expr.optional) this.ctx.report(messages.mayBeAbsent(describe(expr.object), expr.object.span, readType(objectType, expr.property), `${describe(expr.object)}?.${fieldNameText(expr.property)}`));
    }
    const wrap = (t: Type) => (nullableObject && expr.optional ? T.nullable(t) : t);
    if (isLoose(objectType)) return objectType;
    if (objectType.kind === 'map') return wrap(expr.optional ? T.nullable(objectType.value) : objectType.value);
    if (objectType.kind !== 'record') {
      this.ctx.report(messages.noFields(describe(expr.object), objectType, expr.object.span));
      return T.error;
    }
    const field = objectType.fields.get(expr.property);
    if (field === undefined) {
      const names = [...objectType.fields.keys()];
      this.ctx.report(messages.unknownField(expr.property, describe(expr.object), expr.propertySpan, closest(expr.property, names), names));
      return T.error;
    }
    if (!field.optional) return wrap(field.type);
    const path = pathOf(expr);
    if (path !== null && scope.present.has(path)) return wrap(field.type);
    return T.nullable(field.type);
  }

  private index(object: Expr, index: Expr, optional: boolean, span: Span, scope: Scope): Type {
    const raw = this.infer(object, scope);
    if (raw.kind === 'nullable' && !optional) this.ctx.report(messages.mayBeAbsent(describe(object), object.span, raw.inner));
    const objectType = stripNullable(raw);
    const indexType = this.value(index, scope);
    const wrap = (t: Type) => (optional ? T.nullable(t) : t);
    if (isLoose(objectType)) return objectType;
    if (objectType.kind === 'list') {
      if (!assignable(indexType, T.number)) this.ctx.report(messages.typeMismatch('a list index', 'a number', indexType, index.span));
      return wrap(objectType.element);
    }
    if (objectType.kind === 'map') {
      if (!assignable(indexType, T.string)) this.ctx.report(messages.typeMismatch('a map key', 'a string', indexType, index.span));
      return wrap(objectType.value);
    }
    if (objectType.kind === 'record') {
      if (index.kind === 'String') {
        const field = objectType.fields.get(index.value);
        if (field === undefined) {
          const names = [...objectType.fields.keys()];
          this.ctx.report(messages.unknownField(index.value, describe(object), index.span, closest(index.value, names), names));
          return T.error;
        }
        return field.optional ? T.nullable(field.type) : wrap(field.type);
      }
      if (!assignable(indexType, T.string)) this.ctx.report(messages.typeMismatch('a field name', 'a string', indexType, index.span));
      return T.any;
    }
    this.ctx.report(messages.notIndexable(objectType, span));
    return T.error;
  }

  private call(expr: CallExpr, scope: Scope): Type {
    const table = expr.target === null ? this.ctx.tables.get(expr.callee) : undefined;
    const tableSymbol = expr.target === null ? scope.lookup(expr.callee) : undefined;
    if (table !== undefined && tableSymbol?.kind === 'table') {
      tableSymbol.used = true;
      this.ctx.references.set(expr.id, tableSymbol);
      const args = expr.args.map((a) => this.value(a, scope));
      if (args.length !== table.params.length) {
        this.ctx.report(messages.arity(expr.callee, plural(table.params.length, 'argument'), args.length, expr.span));
      } else {
        args.forEach((arg, i) => {
          const want = table.params[i]!;
          if (!comparable(arg, want)) this.ctx.report(messages.argumentType(expr.callee, String(i + 1), article(show(want)), arg, expr.args[i]!.span));
        });
      }
      return table.returns;
    }
    const builtin = BUILTINS.get(expr.callee);
    if (builtin === undefined && expr.callee === 'has' && expr.target === null) {
      this.ctx.report(messages.hasNeedsField(expr.calleeSpan, expr.args[0]?.kind === 'Ident' ? expr.args[0].name : null));
      return T.boolean;
    }
    const argExprs = expr.target === null ? expr.args : [expr.target, ...expr.args];
    const args = argExprs.map((a) => this.value(a, scope));
    if (builtin === undefined) {
      const known = [...BUILTINS.keys(), ...this.ctx.tables.keys()];
      this.ctx.report(messages.unknownFunction(expr.callee, expr.calleeSpan, closest(expr.callee, known)));
      return T.error;
    }
    const byArity = builtin.overloads.filter((o) => args.length >= o.params.length && (o.rest !== undefined || args.length === o.params.length));
    if (byArity.length === 0) {
      const counts = [...new Set(builtin.overloads.map((o) => (o.rest ? `${o.params.length} or more` : String(o.params.length))))];
      this.ctx.report(messages.arity(expr.callee, `${counts.join(' or ')} argument${counts.length === 1 && counts[0] === '1' ? '' : 's'}`, args.length, expr.calleeSpan));
      return T.error;
    }
    let firstFailure: (() => void) | null = null;
    for (const overload of byArity) {
      const result = this.bind(expr.callee, overload, args, argExprs);
      if (result.ok) return result.returns;
      firstFailure ??= result.report;
    }
    firstFailure?.();
    return T.error;
  }

  private bind(name: string, overload: Overload, args: Type[], argExprs: Expr[]): { ok: true; returns: Type } | { ok: false; report: () => void } {
    let element: Type | null = null;
    for (let i = 0; i < args.length; i++) {
      const param = overload.params[i] ?? overload.rest!;
      const arg = args[i]!;
      const fail = (expected: string) => ({ ok: false as const, report: () => this.ctx.report(messages.argumentType(name, param.name, expected, arg, argExprs[i]!.span)) });
      if (isLoose(arg)) continue;
      if (param.type === 'list<T>') {
        if (arg.kind !== 'list') return fail('a list');
        element = arg.element;
      } else if (param.type === 'map<T>') {
        if (arg.kind === 'map') element = arg.value;
        else if (arg.kind === 'record') element = [...arg.fields.values()].reduce<Type>((a, f) => join(a, f.type), T.any);
        else return fail('a map');
      } else if (param.type === 'T') {
        if (element !== null && !comparable(arg, element)) return fail(article(show(element)));
      } else if (!assignable(arg, param.type)) {
        return fail(article(show(param.type)));
      }
    }
    return { ok: true, returns: instantiate(overload.returns, element ?? T.any) };
  }

  private macro(expr: MacroExpr, scope: Scope): Type {
    if (expr.valueVariable !== null) return this.pairMacro(expr, expr.valueVariable, scope);
    const target = this.value(expr.target, scope);
    let element: Type;
    if (isLoose(target)) element = T.any;
    else if (target.kind === 'list') element = target.element;
    else if (target.kind === 'map' || target.kind === 'record') element = T.string;
    else {
      this.ctx.report(messages.notIterable(expr.macro, target, expr.target.span));
      element = T.error;
    }
    const inner = new Scope(scope);
    const variable: SymbolInfo = { name: expr.variable, kind: 'variable', type: element, span: expr.variableSpan, doc: null, used: false };
    inner.define(variable);
    if (expr.filter !== null) this.condition(expr.filter, inner, `the filter of \`${expr.macro}\``);
    const bodyScope = expr.filter === null ? inner : inner.withFacts(facts(expr.filter, true));
    switch (expr.macro) {
      case 'map':
        return T.list(this.infer(expr.body, bodyScope));
      case 'filter':
        this.condition(expr.body, bodyScope, 'the predicate of `filter`');
        return T.list(element);
      default:
        this.condition(expr.body, bodyScope, `the predicate of \`${expr.macro}\``);
        return T.boolean;
    }
  }

  /** CEL's two-variable comprehensions: (index: number, item) over a list, (key: string, value) over a map. */
  private pairMacro(expr: MacroExpr, valueName: string, scope: Scope): Type {
    const target = this.value(expr.target, scope);
    let key: Type;
    let value: Type;
    if (isLoose(target)) [key, value] = [T.any, T.any];
    else if (target.kind === 'list') [key, value] = [T.number, target.element];
    else if (target.kind === 'map') [key, value] = [T.string, target.value];
    else if (target.kind === 'record') [key, value] = [T.string, T.any];
    else {
      this.ctx.report(messages.notIterable(expr.macro, target, expr.target.span));
      [key, value] = [T.error, T.error];
    }
    const inner = new Scope(scope);
    inner.define({ name: expr.variable, kind: 'variable', type: key, span: expr.variableSpan, doc: null, used: false });
    inner.define({ name: valueName, kind: 'variable', type: value, span: expr.valueVariableSpan ?? expr.variableSpan, doc: null, used: false });
    if (expr.filter !== null) this.condition(expr.filter, inner, `the filter of \`${expr.macro}\``);
    const bodyScope = expr.filter === null ? inner : inner.withFacts(facts(expr.filter, true));
    switch (expr.macro) {
      case 'transformList':
        return T.list(this.infer(expr.body, bodyScope));
      case 'transformMap':
        return T.map(this.infer(expr.body, bodyScope));
      case 'transformMapEntry': {
        const entry = this.infer(expr.body, bodyScope);
        return T.map(entry.kind === 'map' ? entry.value : T.any);
      }
      default:
        this.condition(expr.body, bodyScope, `the predicate of \`${expr.macro}\``);
        return T.boolean;
    }
  }

  private binary(expr: BinaryExpr, scope: Scope): Type {
    const { op } = expr;
    if (op === '&&' || op === '||') {
      this.condition(expr.left, scope, `the left side of \`${op}\``);
      this.condition(expr.right, scope.withFacts(facts(expr.left, op === '&&')), `the right side of \`${op}\``);
      return T.boolean;
    }
    if (op === '??') {
      const left = this.infer(expr.left, scope);
      const right = this.infer(expr.right, scope);
      return join(stripNullable(left), right);
    }
    if (op === '==' || op === '!=') {
      const left = this.infer(expr.left, scope);
      const right = this.infer(expr.right, scope);
      if (!comparable(stripNullable(left), stripNullable(right)) && left.kind !== 'null' && right.kind !== 'null') {
        this.ctx.report(messages.operatorTypes(op, left, right, expr.span, `the two sides can never be equal`));
      } else {
        this.checkUnionValue(expr.left, left, expr.right);
        this.checkUnionValue(expr.right, right, expr.left);
      }
      return T.boolean;
    }
    const left = this.value(expr.left, scope);
    const right = this.value(expr.right, scope);
    if (isLoose(left) || isLoose(right)) return arithmeticResult(op, left, right);
    const l = base(left);
    const r = base(right);
    switch (op) {
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (l.kind === r.kind && (l.kind === 'number' || l.kind === 'string' || l.kind === 'timestamp' || l.kind === 'duration' || l.kind === 'decimal')) return T.boolean;
        if (isDecimalMix(l, r)) return T.boolean;
        this.ctx.report(messages.operatorTypes(op, left, right, expr.span, 'compare two numbers (or decimals), two strings, two timestamps or two durations'));
        return T.boolean;
      case 'in':
        if (r.kind === 'list') {
          if (!comparable(l, r.element)) this.ctx.report(messages.operatorTypes('in', left, right, expr.span, 'the item and the list elements must be of one type'));
          else if (expr.right.kind === 'List') for (const item of expr.right.items) this.checkUnionValue(expr.left, left, item);
          return T.boolean;
        }
        if (r.kind === 'map' || r.kind === 'record') {
          if (!assignable(l, T.string)) this.ctx.report(messages.operatorTypes('in', left, right, expr.span, 'map keys are strings'));
          return T.boolean;
        }
        this.ctx.report(messages.operatorTypes('in', left, right, expr.span, '`in` tests membership of a list or a map; for text use `contains`'));
        return T.boolean;
      default: {
        const result = arithmetic(op, l, r);
        if (result === null) {
          this.ctx.report(messages.operatorTypes(op, left, right, expr.span, op === '+' ? 'add numbers, join strings or lists, or add a duration to a timestamp' : 'arithmetic needs numbers'));
          return T.error;
        }
        return result;
      }
    }
  }

  /** `service.tier == "enterprize"`: a literal outside the union can never match. */
  private checkUnionValue(subject: Expr, subjectType: Type, literal: Expr): void {
    const union = stripNullable(subjectType);
    if (union.kind !== 'literal' || literal.kind !== 'String' && literal.kind !== 'Number' && literal.kind !== 'Bool') return;
    const value = literal.value;
    if (union.values.includes(value)) return;
    const allowed = union.values.map((v) => JSON.stringify(v));
    const strings = union.values.filter((v): v is string => typeof v === 'string');
    const guess = typeof value === 'string' ? closest(value, strings) : null;
    this.ctx.report(messages.notInUnion(JSON.stringify(value), describe(subject), allowed, literal.span, guess === null ? null : JSON.stringify(guess)));
  }
}

/** Facts (present paths) that hold when `expr` evaluates to `truth`. */
export function facts(expr: Expr, truth: boolean): string[] {
  switch (expr.kind) {
    case 'Has': {
      const path = pathOf(expr.target);
      return truth && path !== null ? [path] : [];
    }
    case 'Unary':
      return expr.op === '!' ? facts(expr.operand, !truth) : [];
    case 'Binary': {
      if (expr.op === '&&' && truth) return [...facts(expr.left, true), ...facts(expr.right, true)];
      if (expr.op === '||' && !truth) return [...facts(expr.left, false), ...facts(expr.right, false)];
      const presentWhen = expr.op === '!=' ? true : expr.op === '==' ? false : null;
      if (presentWhen === truth) {
        const other = expr.left.kind === 'Null' ? expr.right : expr.right.kind === 'Null' ? expr.left : null;
        const path = other === null ? null : pathOf(other);
        return path === null ? [] : [path];
      }
      return [];
    }
    default:
      return [];
  }
}

/** Equality makes sense between the two types. */
function comparable(a: Type, b: Type): boolean {
  return isDecimalMix(base(a), base(b)) || assignable(a, b) || assignable(b, a) || (base(a).kind === base(b).kind && a.kind !== 'record');
}

/** A decimal with a decimal or a number: exact arithmetic, comparisons by value. */
function isDecimalMix(l: Type, r: Type): boolean {
  return (l.kind === 'decimal' && (r.kind === 'decimal' || r.kind === 'number')) || (r.kind === 'decimal' && l.kind === 'number');
}

function arithmetic(op: string, l: Type, r: Type): Type | null {
  const both = (k: Type['kind']) => l.kind === k && r.kind === k;
  if (both('number')) return T.number;
  if (isDecimalMix(l, r) && ['+', '-', '*', '/', '%'].includes(op)) return T.decimal;
  if (op === '+') {
    if (both('string')) return T.string;
    if (l.kind === 'list' && r.kind === 'list') return T.list(join(l.element, r.element));
    if ((l.kind === 'timestamp' && r.kind === 'duration') || (l.kind === 'duration' && r.kind === 'timestamp')) return T.timestamp;
    if (both('duration')) return T.duration;
  }
  if (op === '-') {
    if (both('timestamp')) return T.duration;
    if (l.kind === 'timestamp' && r.kind === 'duration') return T.timestamp;
    if (both('duration')) return T.duration;
  }
  return null;
}

function arithmeticResult(op: string, left: Type, right: Type): Type {
  if (op === '<' || op === '<=' || op === '>' || op === '>=' || op === 'in') return T.boolean;
  if (left.kind === 'error' || right.kind === 'error') return T.error;
  const known = isLoose(left) ? base(right) : base(left);
  if (known.kind === 'decimal') return T.decimal;
  return op === '+' || op === '-' ? (known.kind === 'number' || known.kind === 'string' ? known : T.any) : T.number;
}

function instantiate(t: SignatureType, element: Type): Type {
  if (t === 'T') return element;
  if (t === 'list<T>') return T.list(element);
  if (t === 'map<T>') return T.map(element);
  return t;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Short source-like text of an expression for messages. */
export function describe(expr: Expr): string {
  switch (expr.kind) {
    case 'Ident':
      return expr.name;
    case 'Member':
      return `${describe(expr.object)}${expr.optional ? '?.' : '.'}${fieldNameText(expr.property)}`;
    case 'Index':
      return `${describe(expr.object)}[${describe(expr.index)}]`;
    case 'String':
    case 'Number':
      return expr.raw;
    case 'Call':
      return expr.target === null ? `${expr.callee}(...)` : `${describe(expr.target)}.${expr.callee}(...)`;
    default:
      return 'this value';
  }
}

/** The type of `object.property` when it is there (for the default a VD2005 hint suggests). */
function readType(object: Type, property: string): Type {
  if (object.kind === 'record') return object.fields.get(property)?.type ?? T.error;
  if (object.kind === 'map') return object.value;
  return T.error;
}
