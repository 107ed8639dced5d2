/** Declared types as JSON Schema (for params), and input conversion for time types. */
import { DECIMAL_PATTERN, resolveType, type FieldDecl, type JsonSchema, type TypeExpr } from '@verdict/language';
import { decimalFrom, isDecimal } from './money.ts';
import { parseDuration, parseTimestamp } from './time.ts';
import { Duration, Timestamp, isMap, setOwn, type VMap, type Value } from './values.ts';

export const DURATION_FORMAT = 'duration';

export function typeSchema(t: TypeExpr): JsonSchema {
  switch (t.kind) {
    case 'PrimitiveType':
      switch (t.name) {
        case 'any':
          return {};
        case 'timestamp':
          return { type: 'string', format: 'date-time' };
        case 'duration':
          return { type: 'string', format: DURATION_FORMAT };
        case 'decimal':
          return { type: ['string', 'number'], pattern: DECIMAL_PATTERN };
        default:
          return { type: t.name };
      }
    case 'LiteralUnionType':
      return { enum: [...t.values] };
    case 'ListType':
      return { type: 'array', items: typeSchema(t.element) };
    case 'MapType':
      return { type: 'object', additionalProperties: typeSchema(t.value) };
    case 'RecordType':
      return fieldsSchema(t.fields, t.rest !== null);
    case 'TypeRef':
      return typeSchema(resolveType(t));
    case 'ErrorType':
      return {};
  }
}

/** `open`: other fields are allowed (a record ending in `...`). */
export function fieldsSchema(fields: FieldDecl[], open = false): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const f of fields) properties[f.name] = typeSchema(f.type);
  return {
    type: 'object',
    properties,
    required: fields.filter((f) => !f.optional).map((f) => f.name),
    additionalProperties: open,
  };
}

type Convert = (v: Value) => Value;

/** A converter turning RFC 3339 / duration strings into engine values, or null when the type holds none. */
export function converterFor(t: TypeExpr): Convert | null {
  switch (t.kind) {
    case 'PrimitiveType':
      if (t.name === 'timestamp') return (v) => (typeof v === 'string' ? (parseTimestamp(v) ?? v) : v);
      if (t.name === 'duration') return (v) => (typeof v === 'string' ? (parseDuration(v) ?? v) : v);
      if (t.name === 'decimal') return (v) => decimalFrom(v) ?? v;
      return null;
    case 'ListType': {
      const inner = converterFor(t.element);
      return inner && ((v) => (Array.isArray(v) ? v.map(inner) : v));
    }
    case 'MapType': {
      const inner = converterFor(t.value);
      return (
        inner &&
        ((v) => {
          if (!isMap(v)) return v;
          const out: VMap = {};
          for (const k of Object.keys(v)) setOwn(out, k, inner(v[k] as Value));
          return out;
        })
      );
    }
    case 'RecordType':
      return recordConverter(t.fields);
    case 'TypeRef':
      return converterFor(resolveType(t));
    default:
      return null;
  }
}

export function recordConverter(fields: FieldDecl[]): Convert | null {
  const parts: Array<[string, Convert]> = [];
  for (const f of fields) {
    const c = converterFor(f.type);
    if (c) parts.push([f.name, c]);
  }
  if (parts.length === 0) return null;
  return (v) => {
    if (!isMap(v)) return v;
    const out: VMap = {};
    for (const k of Object.keys(v)) setOwn(out, k, v[k] as Value);
    for (const [name, c] of parts) if (Object.hasOwn(out, name)) setOwn(out, name, c(out[name] as Value));
    return out;
  };
}

/**
 * A run-time test that a value has the declared type `t`, or null when every value does (`any`).
 * The checker proves it for well-typed expressions; a value that came through `any` (an untyped
 * input field, `dyn`) is only known when it arrives, and a typed output must not pass it on.
 */
export function runtimeTypeTest(t: TypeExpr): ((v: Value) => boolean) | null {
  switch (t.kind) {
    case 'PrimitiveType':
      switch (t.name) {
        case 'any':
          return null;
        case 'string':
          return (v) => typeof v === 'string';
        case 'number':
          return (v) => typeof v === 'number';
        case 'boolean':
          return (v) => typeof v === 'boolean';
        case 'timestamp':
          return (v) => v instanceof Timestamp;
        case 'duration':
          return (v) => v instanceof Duration;
        case 'decimal':
          return (v) => isDecimal(v);
      }
      break;
    case 'LiteralUnionType': {
      const values = new Set<unknown>(t.values);
      return (v) => values.has(v);
    }
    case 'ListType': {
      const item = runtimeTypeTest(t.element);
      return (v) => Array.isArray(v) && (item === null || v.every(item));
    }
    case 'MapType': {
      const value = runtimeTypeTest(t.value);
      return (v) => isMap(v) && (value === null || Object.keys(v).every((k) => value(v[k] as Value)));
    }
    case 'RecordType': {
      const fields = t.fields.map((f) => ({ name: f.name, optional: f.optional, test: runtimeTypeTest(f.type) }));
      const declared = new Set(t.fields.map((f) => f.name));
      const open = t.rest !== null;
      return (v) =>
        isMap(v) &&
        (open || Object.keys(v).every((k) => declared.has(k))) &&
        fields.every(({ name, optional, test }) => {
          const field = Object.hasOwn(v, name) ? (v[name] as Value) : undefined;
          if (field === undefined) return optional;
          return test === null || test(field);
        });
    }
    case 'TypeRef':
      return runtimeTypeTest(resolveType(t));
    case 'ErrorType':
      return null;
  }
}

