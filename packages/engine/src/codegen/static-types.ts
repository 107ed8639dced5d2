/**
 * What a value is known to be, for typed code generation: the static type of
 * an input field as the input declaration gives it, once the generated quick
 * check has accepted the input (exact types, finite numbers, plain objects,
 * every required field present). Types the quick check does not pin down
 * exactly (`any`, maps, timestamps and durations, which are converted after
 * validation) have no static type here, so code reading them stays generic.
 */
import { resolveType, type FieldDecl, type TypeExpr } from '@verdict/language';
import { isPrototypeName, type Value } from '../values.ts';

export type StaticType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'bool' }
  | { kind: 'list'; item: StaticType }
  | { kind: 'record'; fields: ReadonlyMap<string, FieldType> };

export type RecordType = Extract<StaticType, { kind: 'record' }>;

export interface FieldType {
  /** Null when the field's own type is not static (its reads stay generic). */
  type: StaticType | null;
  optional: boolean;
}

const STRING: StaticType = { kind: 'string' };
const NUMBER: StaticType = { kind: 'number' };
const BOOL: StaticType = { kind: 'bool' };

export function staticTypeOf(type: TypeExpr): StaticType | null {
  const t = resolveType(type);
  switch (t.kind) {
    case 'PrimitiveType':
      return t.name === 'string' ? STRING : t.name === 'number' ? NUMBER : t.name === 'boolean' ? BOOL : null;
    case 'LiteralUnionType': {
      const kinds = new Set(t.values.map((v) => typeof v));
      if (kinds.size !== 1) return null;
      const [kind] = kinds;
      return kind === 'string' ? STRING : kind === 'number' ? NUMBER : kind === 'boolean' ? BOOL : null;
    }
    case 'ListType': {
      const item = staticTypeOf(t.element);
      return item && { kind: 'list', item };
    }
    case 'RecordType':
      return recordTypeOf(t.fields);
    default:
      return null;
  }
}

/** A record of `fields`; fields named like `Object.prototype` members are left out (their reads need own-property tests). */
export function recordTypeOf(fields: FieldDecl[]): RecordType {
  const out = new Map<string, FieldType>();
  for (const f of fields) if (!isPrototypeName(f.name)) out.set(f.name, { type: staticTypeOf(f.type), optional: f.optional });
  return { kind: 'record', fields: out };
}

/** The static type of a constant value: primitives and lists of one primitive kind. */
export function staticTypeOfValue(v: Value): StaticType | null {
  if (typeof v === 'string') return STRING;
  if (typeof v === 'number') return Number.isFinite(v) ? NUMBER : null;
  if (typeof v === 'boolean') return BOOL;
  if (Array.isArray(v) && v.length > 0) {
    const first = staticTypeOfValue(v[0] as Value);
    if (first === null || first.kind === 'list' || first.kind === 'record') return null;
    return v.every((x) => staticTypeOfValue(x as Value)?.kind === first.kind) ? { kind: 'list', item: first } : null;
  }
  return null;
}

export function isScalar(t: StaticType): t is { kind: 'string' | 'number' | 'bool' } {
  return t.kind === 'string' || t.kind === 'number' || t.kind === 'bool';
}

export function sameType(a: StaticType, b: StaticType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'list' && b.kind === 'list') return sameType(a.item, b.item);
  return a.kind !== 'record';
}
