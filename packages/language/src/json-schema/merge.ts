/** Conjunction of schema fragments: merge keywords where that is exact, `allOf` for the rest. */
import type { JsonSchema } from './model.ts';
import { deepEqual, isObject, setProperty } from './model.ts';

const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']);
/** Keywords whose value is a schema for the same children: merge recursively. */
const NESTED = new Set(['items', 'additionalProperties', 'propertyNames']);
/** `minContains`/`maxContains` count matches of `contains`: they travel together. */
const CONTAINS_GROUP = ['contains', 'minContains', 'maxContains'];

/** A schema that holds exactly when both `a` and `b` hold. Neither argument is changed. */
export function mergeSchemas(a: JsonSchema, b: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...a };
  const rest: JsonSchema = {};
  const entries = Object.entries(b);
  const containsClash = 'contains' in b && 'contains' in out && !deepEqual(out['contains'], b['contains']);
  for (const [key, value] of entries) {
    if (containsClash && CONTAINS_GROUP.includes(key)) {
      setProperty(rest, key, value);
      continue;
    }
    if (!Object.hasOwn(out, key)) {
      setProperty(out, key, value);
      continue;
    }
    const current = out[key];
    if (deepEqual(current, value)) continue;
    const merged = mergeKeyword(key, current, value);
    if (merged === undefined) setProperty(rest, key, value);
    else setProperty(out, key, merged);
  }
  if (Object.keys(rest).length > 0) {
    const allOf = Array.isArray(out['allOf']) ? (out['allOf'] as unknown[]) : [];
    out['allOf'] = [...allOf, rest];
  }
  return out;
}

/** The merged value of one keyword present on both sides, or undefined when it cannot be merged exactly. */
function mergeKeyword(key: string, current: unknown, value: unknown): unknown {
  if (typeof current === 'number' && typeof value === 'number') {
    if (LOWER_BOUNDS.has(key)) return Math.max(current, value);
    if (UPPER_BOUNDS.has(key)) return Math.min(current, value);
  }
  if (key === 'type' && isNumberAndInteger(current, value)) return 'integer';
  if (key === 'required' && Array.isArray(current) && Array.isArray(value)) return unique([...current, ...value]);
  if (key === 'allOf' && Array.isArray(current) && Array.isArray(value)) return [...current, ...value];
  if (key === 'enum' && Array.isArray(current) && Array.isArray(value)) {
    const common = current.filter((x) => value.some((y) => deepEqual(x, y)));
    return common.length > 0 ? common : undefined;
  }
  if (key === 'not' && isObject(current) && isObject(value)) {
    // not A and not B = not (A or B): for plain value lists, one `not enum`.
    const left = exclusions(current);
    const right = exclusions(value);
    return left && right ? { enum: unique([...left, ...right]) } : undefined;
  }
  if (NESTED.has(key) && isObject(current) && isObject(value)) return mergeSchemas(current, value);
  return undefined;
}

function isNumberAndInteger(a: unknown, b: unknown): boolean {
  return (a === 'number' && b === 'integer') || (a === 'integer' && b === 'number');
}

/** The values a `{const}` or `{enum}` schema (and nothing else) admits. */
function exclusions(schema: JsonSchema): unknown[] | undefined {
  const keys = Object.keys(schema);
  if (keys.length !== 1) return undefined;
  if (keys[0] === 'const') return [schema['const']];
  if (keys[0] === 'enum' && Array.isArray(schema['enum'])) return schema['enum'] as unknown[];
  return undefined;
}

/** Deduplicates by deep equality, keeping the first occurrence. */
export function unique(values: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) if (!out.some((o) => deepEqual(o, v))) out.push(v);
  return out;
}
