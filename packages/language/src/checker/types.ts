/**
 * The checker's type model. Types live in side tables keyed by expression id
 * (see CheckResult.types); the AST is never mutated.
 *
 * `nullable` marks a value that may be absent or null: the read of an
 * optional field, `a?.b`, `null` itself. It must be unwrapped (`??`, a `has()`
 * guard) before it is used where a value is required.
 */
import { resolveType, type TypeExpr } from '../ast.ts';

export type LiteralValue = string | number | boolean;

export type Type =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'null' }
  | { kind: 'timestamp' }
  | { kind: 'duration' }
  /** An exact decimal number (money); mixes with numbers in arithmetic and comparisons. */
  | { kind: 'decimal' }
  /** Unknown or mixed: accepted everywhere, checked at run time. */
  | { kind: 'any' }
  /** A finite set of literal values, e.g. `"free" | "standard"`. */
  | { kind: 'literal'; values: LiteralValue[] }
  | { kind: 'list'; element: Type }
  | { kind: 'map'; value: Type }
  /** `open`: the value may hold other fields too (a record type ending in `...`); they cannot be read. */
  | { kind: 'record'; fields: Map<string, FieldType>; open?: boolean }
  | { kind: 'nullable'; inner: Type }
  /** A sub-expression already reported: suppresses cascades of errors. */
  | { kind: 'error' };

export interface FieldType {
  type: Type;
  optional: boolean;
}

export const T = {
  string: { kind: 'string' } as Type,
  number: { kind: 'number' } as Type,
  boolean: { kind: 'boolean' } as Type,
  null: { kind: 'null' } as Type,
  timestamp: { kind: 'timestamp' } as Type,
  duration: { kind: 'duration' } as Type,
  decimal: { kind: 'decimal' } as Type,
  any: { kind: 'any' } as Type,
  error: { kind: 'error' } as Type,
  list: (element: Type): Type => ({ kind: 'list', element }),
  map: (value: Type): Type => ({ kind: 'map', value }),
  nullable: (inner: Type): Type => (inner.kind === 'nullable' || inner.kind === 'null' || isLoose(inner) ? inner : { kind: 'nullable', inner }),
};

/** `any` and `error` accept everything and are accepted everywhere. */
export function isLoose(t: Type): boolean {
  return t.kind === 'any' || t.kind === 'error';
}

/** The type an AST type annotation denotes. */
export function fromTypeExpr(t: TypeExpr): Type {
  switch (t.kind) {
    case 'PrimitiveType':
      return { kind: t.name };
    case 'LiteralUnionType':
      return { kind: 'literal', values: [...t.values] };
    case 'ListType':
      return T.list(fromTypeExpr(t.element));
    case 'MapType':
      return T.map(fromTypeExpr(t.value));
    case 'RecordType': {
      const fields = new Map<string, FieldType>();
      for (const f of t.fields) fields.set(f.name, { type: fromTypeExpr(f.type), optional: f.optional });
      return t.rest === null ? { kind: 'record', fields } : { kind: 'record', fields, open: true };
    }
    case 'TypeRef':
      return fromTypeExpr(resolveType(t));
    case 'ErrorType':
      return T.error;
  }
}

/** The primitive family of a type: literal unions behave as their base type. */
export function base(t: Type): Type {
  if (t.kind !== 'literal') return t;
  const kinds = new Set(t.values.map((v) => typeof v));
  if (kinds.size !== 1) return T.any;
  const only = [...kinds][0];
  return only === 'string' ? T.string : only === 'number' ? T.number : T.boolean;
}

export function stripNullable(t: Type): Type {
  return t.kind === 'nullable' ? t.inner : t;
}

/** Whether a value of type `from` may be used where `to` is expected. */
export function assignable(from: Type, to: Type): boolean {
  if (isLoose(from) || isLoose(to)) return true;
  if (to.kind === 'nullable') return from.kind === 'null' || assignable(stripNullable(from), to.inner);
  if (from.kind === 'nullable' || from.kind === 'null') return false;
  if (to.kind === 'literal') {
    if (from.kind !== 'literal') return false;
    return from.values.every((v) => to.values.includes(v));
  }
  if (from.kind === 'literal') return assignable(base(from), to);
  switch (to.kind) {
    case 'list':
      return from.kind === 'list' && assignable(from.element, to.element);
    case 'map':
      if (from.kind === 'map') return assignable(from.value, to.value);
      // A record literal may stand for a map when every field fits.
      return from.kind === 'record' && !from.open && [...from.fields.values()].every((f) => assignable(f.type, to.value));
    case 'record': {
      if (from.kind === 'map') return false;
      if (from.kind !== 'record') return false;
      for (const [name, field] of to.fields) {
        const have = from.fields.get(name);
        if (have === undefined) {
          if (!field.optional) return false;
          continue;
        }
        if (!assignable(have.type, field.optional ? T.nullable(field.type) : field.type)) return false;
      }
      if (to.open) return true;
      // A closed record takes no other fields; an open one may carry fields it cannot name.
      if (from.open) return false;
      for (const name of from.fields.keys()) if (!to.fields.has(name)) return false;
      return true;
    }
    default:
      return from.kind === to.kind;
  }
}

/** The smallest type covering both (for list literals, conditionals, `??`). */
export function join(a: Type, b: Type): Type {
  if (a.kind === 'error' || b.kind === 'error') return T.error;
  // `any` absorbs: `(x ?? "d")` with x of type any may be anything.
  if (a.kind === 'any' || b.kind === 'any') return T.any;
  if (a.kind === 'null') return T.nullable(b);
  if (b.kind === 'null') return T.nullable(a);
  if (a.kind === 'nullable' || b.kind === 'nullable') return T.nullable(join(stripNullable(a), stripNullable(b)));
  if (a.kind === 'literal' && b.kind === 'literal') {
    const ba = base(a);
    const bb = base(b);
    if (ba.kind === bb.kind && ba.kind !== 'any') return { kind: 'literal', values: [...new Set([...a.values, ...b.values])] };
    return T.any;
  }
  if (assignable(a, b)) return b;
  if (assignable(b, a)) return a;
  if (a.kind === 'list' && b.kind === 'list') return T.list(join(a.element, b.element));
  return T.any;
}

export function show(t: Type): string {
  switch (t.kind) {
    case 'literal':
      return t.values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(' | ');
    case 'list':
      return `list<${show(t.element)}>`;
    case 'map':
      return `map<${show(t.value)}>`;
    case 'record':
      return `{ ${[...[...t.fields].map(([n, f]) => `${n}${f.optional ? '?' : ''}: ${show(f.type)}`), ...(t.open ? ['...'] : [])].join(', ')} }`;
    case 'nullable':
      return `${show(t.inner)} (may be absent)`;
    case 'error':
      return 'unknown';
    default:
      return t.kind;
  }
}
