/** The JSON Schema object type and small JSON helpers (no Node-only APIs: this runs in browsers). */

/** A JSON Schema object (draft 2020-12). */
export type JsonSchema = { [key: string]: unknown };

/** A JSON value, as a literal in the source denotes it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Set on fields declared `sensitive`: the decision log redacts their values. */
export const SENSITIVE_KEYWORD = 'x-verdict-sensitive';
/** Source text of a `where` constraint (or the part of it) the schema could not express. */
export const WHERE_KEYWORD = 'x-verdict-where';
/**
 * Our annotation keywords. A strict validator must be told about them, e.g.
 * `ajv.addVocabulary([...VERDICT_KEYWORDS])`.
 */
export const VERDICT_KEYWORDS = [SENSITIVE_KEYWORD, WHERE_KEYWORD] as const;

export function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Defines an own enumerable property, so a name such as `__proto__` stays an ordinary key. */
export function setProperty(target: { [key: string]: unknown }, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Structural equality of JSON values (object key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
