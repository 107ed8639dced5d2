/**
 * `where` constraints -> JSON Schema keywords.
 *
 * A `where` is split into its `&&` conjuncts; each conjunct that is a
 * recognisable constraint on `value` becomes keywords, the others are returned
 * untranslated (the engine evaluates them after schema validation). A keyword
 * is only emitted when the declared type guarantees it applies: `value > 0`
 * becomes `exclusiveMinimum` on a `number`, but stays untranslated on `any`,
 * where JSON Schema would let a string through that Verdict would reject.
 */
import { resolveType, type BinaryExpr, type CallExpr, type Expr, type MacroExpr, type TypeExpr } from '../ast.ts';
import { literalValue, type Constants, type LiteralScope } from './literal.ts';
import { mergeSchemas, unique } from './merge.ts';
import type { JsonSchema, JsonValue } from './model.ts';
import { escapeRegex, isValidPattern } from './patterns.ts';

export interface WhereTranslation {
  /** Keywords equivalent to the translated conjuncts (`{}` when none). */
  schema: JsonSchema;
  /** Conjuncts the schema does not express, in source order. */
  untranslated: Expr[];
}

/** What the declared type says about a value, as far as keyword applicability goes. */
type ValueKind = 'string' | 'number' | 'boolean' | 'list' | 'map' | 'record' | 'mixed' | 'time' | 'any';

interface Subject {
  /** The name the value goes by: `value`, or a macro variable inside `value.all(x, ...)`. */
  name: string;
  type: TypeExpr;
  kind: ValueKind;
}

interface Context extends LiteralScope {
  subject: Subject;
}

/** Translates the `where` of a value of type `type` into schema keywords plus untranslated conjuncts. */
export function translateWhere(where: Expr, type: TypeExpr, constants: Constants): WhereTranslation {
  const ctx: Context = { constants, bound: new Set(['value']), subject: { name: 'value', type, kind: kindOf(type) } };
  let schema: JsonSchema = {};
  const untranslated: Expr[] = [];
  for (const conjunct of conjuncts(where)) {
    const fragment = constraint(conjunct, ctx);
    if (fragment === null) untranslated.push(conjunct);
    else schema = mergeSchemas(schema, fragment);
  }
  return { schema, untranslated };
}

/** `a && b && c` -> [a, b, c]. */
export function conjuncts(expr: Expr): Expr[] {
  return expr.kind === 'Binary' && expr.op === '&&' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

function kindOf(type: TypeExpr): ValueKind {
  switch (type.kind) {
    case 'PrimitiveType':
      if (type.name === 'timestamp' || type.name === 'duration') return 'time';
      // a string or a number: its constraints are left to the engine
      if (type.name === 'decimal') return 'any';
      return type.name;
    case 'LiteralUnionType': {
      const kinds = new Set(type.values.map((v) => typeof v));
      if (kinds.size !== 1) return 'mixed';
      return kinds.has('string') ? 'string' : kinds.has('number') ? 'number' : 'boolean';
    }
    case 'ListType':
      return 'list';
    case 'MapType':
      return 'map';
    case 'RecordType':
      return 'record';
    case 'TypeRef':
      return kindOf(resolveType(type));
    case 'ErrorType':
      return 'any';
  }
}

/** The schema equivalent to `expr` holding, or null when there is none we are sure of. */
function constraint(expr: Expr, ctx: Context): JsonSchema | null {
  switch (expr.kind) {
    case 'Binary':
      return binary(expr, ctx);
    case 'Unary': {
      if (expr.op !== '!') return null;
      const inner = constraint(expr.operand, ctx);
      return inner === null ? null : { not: inner };
    }
    case 'Call':
      return call(expr, ctx);
    case 'Macro':
      return macro(expr, ctx);
    default:
      return null;
  }
}

function binary(expr: BinaryExpr, ctx: Context): JsonSchema | null {
  switch (expr.op) {
    case '&&': {
      const left = constraint(expr.left, ctx);
      const right = left === null ? null : constraint(expr.right, ctx);
      return left === null || right === null ? null : mergeSchemas(left, right);
    }
    case '||': {
      const left = constraint(expr.left, ctx);
      const right = left === null ? null : constraint(expr.right, ctx);
      return left === null || right === null ? null : { anyOf: [left, right] };
    }
    case 'in':
      return membership(expr, ctx);
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return comparison(expr.op, expr.left, expr.right, ctx);
    default:
      return null;
  }
}

type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

const FLIPPED: Record<CompareOp, CompareOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function comparison(op: CompareOp, left: Expr, right: Expr, ctx: Context): JsonSchema | null {
  const l = literalValue(left, ctx);
  const r = literalValue(right, ctx);
  if (l !== undefined && r !== undefined) return null; // constant: nothing to say about value
  // Normalise to `<operand> op <literal>`.
  let operand: Expr, literal: JsonValue, normalOp: CompareOp;
  if (r !== undefined) [operand, literal, normalOp] = [left, r.value, op];
  else if (l !== undefined) [operand, literal, normalOp] = [right, l.value, FLIPPED[op]];
  else return integerCheck(op, left, right, ctx);
  if (isSubject(operand, ctx)) return valueComparison(normalOp, literal, ctx.subject.kind);
  const sized = sizeOperand(operand, ctx);
  if (sized) return typeof literal === 'number' ? sizeComparison(normalOp, literal, ctx.subject.kind) : null;
  if (operand.kind === 'Binary' && operand.op === '%' && isSubject(operand.left, ctx) && literal === 0) {
    return remainder(normalOp, operand.right, ctx);
  }
  return null;
}

const ORDER_KEYWORD: Record<'<' | '<=' | '>' | '>=', string> = {
  '>': 'exclusiveMinimum',
  '>=': 'minimum',
  '<': 'exclusiveMaximum',
  '<=': 'maximum',
};

function valueComparison(op: CompareOp, literal: JsonValue, kind: ValueKind): JsonSchema | null {
  // Timestamps and durations are strings in JSON but compare as instants/lengths.
  if (kind === 'time') return null;
  if (op === '==') return { const: literal };
  if (op === '!=') return { not: { const: literal } };
  if (kind !== 'number' || typeof literal !== 'number') return null;
  return { [ORDER_KEYWORD[op]]: literal };
}

const SIZE_KEYWORDS: Partial<Record<ValueKind, [string, string]>> = {
  string: ['minLength', 'maxLength'],
  list: ['minItems', 'maxItems'],
  map: ['minProperties', 'maxProperties'],
};

/** `size(value) op n`: sizes are whole numbers, so bounds round inwards. */
function sizeComparison(op: CompareOp, n: number, kind: ValueKind): JsonSchema | null {
  const keywords = SIZE_KEYWORDS[kind];
  if (keywords === undefined) return null;
  const [minKey, maxKey] = keywords;
  const between = (min: number, max: number): JsonSchema => {
    if (max < min || max < 0) return { not: {} }; // never holds
    const out: JsonSchema = {};
    if (min > 0) out[minKey] = min;
    if (max !== Infinity) out[maxKey] = max;
    return out;
  };
  switch (op) {
    case '==':
      return Number.isInteger(n) && n >= 0 ? between(n, n) : null;
    case '!=':
      return Number.isInteger(n) && n >= 0 ? { not: between(n, n) } : null;
    case '>':
      return between(Math.floor(n) + 1, Infinity);
    case '>=':
      return between(Math.ceil(n), Infinity);
    case '<':
      return between(0, Math.ceil(n) - 1);
    case '<=':
      return between(0, Math.floor(n));
  }
}

/** `value % n == 0` with a positive whole n: `multipleOf` (or `type: integer` for 1). */
function remainder(op: CompareOp, divisor: Expr, ctx: Context): JsonSchema | null {
  if (ctx.subject.kind !== 'number' || (op !== '==' && op !== '!=')) return null;
  const n = literalValue(divisor, ctx)?.value;
  // Fractional divisors: float remainders and ajv's multipleOf disagree (0.3 % 0.1 != 0).
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) return null;
  const schema: JsonSchema = n === 1 ? { type: 'integer' } : { multipleOf: n };
  return op === '==' ? schema : { not: schema };
}

const ROUNDING = new Set(['floor', 'ceil', 'round']);

/** `value == floor(value)` (or ceil/round, either side): the value is whole. */
function integerCheck(op: CompareOp, left: Expr, right: Expr, ctx: Context): JsonSchema | null {
  if (ctx.subject.kind !== 'number' || (op !== '==' && op !== '!=')) return null;
  const rounds = (e: Expr): boolean => {
    if (e.kind !== 'Call' || !ROUNDING.has(e.callee)) return false;
    const args = callArgs(e);
    if (args.length === 1) return isSubject(args[0], ctx);
    // round(value, 0) is round(value).
    return e.callee === 'round' && args.length === 2 && isSubject(args[0], ctx) && literalValue(args[1] as Expr, ctx)?.value === 0;
  };
  if (!((isSubject(left, ctx) && rounds(right)) || (rounds(left) && isSubject(right, ctx)))) return null;
  return op === '==' ? { type: 'integer' } : { not: { type: 'integer' } };
}

function membership(expr: BinaryExpr, ctx: Context): JsonSchema | null {
  const { kind } = ctx.subject;
  if (isSubject(expr.left, ctx)) {
    // `value in [..]` (list membership) or `value in {..}` (map key).
    const container = literalValue(expr.right, ctx)?.value;
    if (kind === 'time' || container === undefined || container === null) return null;
    if (Array.isArray(container)) return container.length > 0 ? { enum: unique(container) } : { not: {} };
    if (typeof container === 'object' && kind === 'string') {
      const keys = Object.keys(container);
      return keys.length > 0 ? { enum: keys } : { not: {} };
    }
    return null;
  }
  if (isSubject(expr.right, ctx)) {
    // `x in value`: the list holds x. (For a map, `required` without `properties`
    // is refused by strict validators, and `properties` would exempt the key from
    // the value type: left to the engine.)
    const item = literalValue(expr.left, ctx)?.value;
    if (item !== undefined && kind === 'list') return { contains: { const: item } };
  }
  return null;
}

/** Boolean builtins on the value: matches, startsWith, endsWith, contains. */
function call(expr: CallExpr, ctx: Context): JsonSchema | null {
  const args = callArgs(expr);
  if (args.length !== 2 || !isSubject(args[0], ctx)) return null;
  const arg = literalValue(args[1] as Expr, ctx)?.value;
  const { kind } = ctx.subject;
  if (kind === 'list' && expr.callee === 'contains' && arg !== undefined) return { contains: { const: arg } };
  if (kind !== 'string' || typeof arg !== 'string') return null;
  let pattern: string;
  switch (expr.callee) {
    case 'matches':
      // Both are unanchored searches. RE2's POSIX classes (`[[:alpha:]]`) are valid
      // JavaScript with another meaning; other RE2-only syntax fails isValidPattern.
      if (arg.includes('[:')) return null;
      pattern = arg;
      break;
    case 'startsWith':
      pattern = '^' + escapeRegex(arg);
      break;
    case 'endsWith':
      pattern = escapeRegex(arg) + '$';
      break;
    case 'contains':
      pattern = escapeRegex(arg);
      break;
    default:
      return null;
  }
  return isValidPattern(pattern) ? { pattern } : null;
}

/** `value.all(x, p)` -> items, `exists` -> contains, `exists_one` -> exactly one contained. */
function macro(expr: MacroExpr, ctx: Context): JsonSchema | null {
  const type = resolveType(ctx.subject.type);
  if (!isSubject(expr.target, ctx) || type.kind !== 'ListType' || expr.filter !== null || expr.valueVariable !== null) return null;
  const inner: Context = {
    ...ctx,
    bound: new Set([...ctx.bound, expr.variable]),
    subject: { name: expr.variable, type: type.element, kind: kindOf(type.element) },
  };
  const body = constraint(expr.body, inner);
  if (body === null) return null;
  switch (expr.macro) {
    case 'all':
      return { items: body }; // merged into the list's own `items`, which has the type
    case 'exists':
      return { contains: typed(body, inner.subject.kind) };
    case 'exists_one':
      return { contains: typed(body, inner.subject.kind), minContains: 1, maxContains: 1 };
    default:
      return null;
  }
}

const JSON_TYPE: Partial<Record<ValueKind, string>> = { string: 'string', number: 'number', boolean: 'boolean', list: 'array', map: 'object', record: 'object' };

/** `schema` with the JSON type of its values stated (strict validators want one beside `pattern` & co). */
function typed(schema: JsonSchema, kind: ValueKind): JsonSchema {
  const type = JSON_TYPE[kind];
  return type === undefined || 'type' in schema ? schema : { type, ...schema };
}

/** `size(value)` or `value.size()`. */
function sizeOperand(expr: Expr, ctx: Context): boolean {
  if (expr.kind !== 'Call' || expr.callee !== 'size') return false;
  const args = callArgs(expr);
  return args.length === 1 && isSubject(args[0], ctx);
}

/** Arguments with the method-form receiver first (`x.f(y)` is `f(x, y)`). */
function callArgs(expr: CallExpr): Expr[] {
  return expr.target === null ? expr.args : [expr.target, ...expr.args];
}

function isSubject(expr: Expr | undefined, ctx: Context): boolean {
  return expr !== undefined && expr.kind === 'Ident' && expr.name === ctx.subject.name;
}
