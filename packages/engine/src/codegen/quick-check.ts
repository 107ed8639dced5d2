/**
 * A generated "surely valid" test run before ajv. It answers true only for
 * values ajv accepts, and false whenever it is unsure, in which case ajv runs
 * and reports the problems as always. It knows the keywords the language
 * writes for plain types (type, properties, required, additionalProperties,
 * enum, const, items, numeric bounds, item counts and the two formats);
 * a schema using anything else gets no quick check at all.
 *
 * It is also stricter than ajv where the evaluator's typed code needs it: an
 * object with fields must be plain (its `constructor` is `Object`, a cheap
 * test where `Object.getPrototypeOf` costs a call, or its prototype null),
 * and a number finite. Whatever it accepts has exactly the declared
 * types, so the typed rule scan may run on it.
 *
 * Objects are tested as ajv tests them (`typeof` and not an array), fields
 * are read as ajv reads them (`data.field`, own or not), and undeclared
 * fields are found as ajv finds them: every key `for...in` yields must be a
 * declared field holding a value, which one count of keys settles.
 *
 * Why: ajv's code for a 2020-12 schema destructures an options object and
 * tracks evaluated properties on every call, and tests each key against the
 * declared names; on a valid input this test does the same checks in less.
 */
import type { JsonSchema } from '@verdict/language';
import { isPrototypeName } from '../values.ts';

export type QuickCheck = (value: unknown) => boolean;

/** Keywords that never change what validates. */
const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment']);
const HANDLED = new Set(['type', 'properties', 'required', 'additionalProperties', 'enum', 'const', 'items', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'minLength', 'maxLength', 'format', 'pattern']);

const TYPE_TESTS: Record<string, (v: string) => string> = {
  string: (v) => `typeof ${v} === "string"`,
  // finite only: ajv accepts NaN and Infinity as numbers unless strict, so those go to ajv
  number: (v) => `(typeof ${v} === "number" && Number.isFinite(${v}))`,
  integer: (v) => `Number.isInteger(${v})`,
  boolean: (v) => `typeof ${v} === "boolean"`,
  null: (v) => `${v} === null`,
  array: (v) => `Array.isArray(${v})`,
  // ajv's own object test; undeclared keys are then counted with `for...in`, as ajv finds them
  object: (v) => `(${v} !== null && typeof ${v} === "object" && !Array.isArray(${v}))`,
};

class Unsupported extends Error {}

/** String length as ajv counts it for minLength/maxLength (a surrogate pair is one; ajv's `ucs2length`). */
function ucs2length(s: string): number {
  let length = 0;
  for (let pos = 0; pos < s.length; ) {
    length++;
    const unit = s.charCodeAt(pos++);
    if (unit >= 0xd800 && unit <= 0xdbff && pos < s.length && (s.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;
  }
  return length;
}

const isPrimitive = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * `formats`: the same format functions ajv was given, by name. `patterns`: tests for the patterns
 * the language writes into every schema of a time type (timestamp, duration), by pattern text;
 * each may accept only strings the pattern matches. Any other pattern leaves the schema to ajv.
 */
export function compileQuickCheck(schema: JsonSchema, formats: Record<string, (s: string) => boolean>, patterns: Record<string, (s: string) => boolean> = {}): QuickCheck | null {
  const formatFns: Array<(s: string) => boolean> = [];
  let vars = 0;
  const lit = (v: unknown) => (typeof v === 'number' ? `(${String(v)})` : JSON.stringify(v));

  /** Statements that `return false` unless `v` is surely valid against `s`. */
  const check = (s: unknown, v: string): string => {
    if (s === true) return '';
    if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new Unsupported();
    const node = s as Record<string, unknown>;
    for (const k of Object.keys(node)) if (!ANNOTATIONS.has(k) && !HANDLED.has(k)) throw new Unsupported();
    const out: string[] = [];
    const type = node['type'];
    if (type !== undefined) {
      const types = Array.isArray(type) ? type : [type];
      const tests = types.map((t) => {
        const test = typeof t === 'string' ? TYPE_TESTS[t] : undefined;
        if (!test) throw new Unsupported();
        return test(v);
      });
      out.push(`if (!(${tests.join(' || ')})) return false;`);
    }
    if (node['enum'] !== undefined) {
      const values = node['enum'];
      if (!Array.isArray(values) || !values.every(isPrimitive)) throw new Unsupported();
      out.push(`if (!(${values.map((e) => `${v} === ${lit(e)}`).join(' || ') || 'false'})) return false;`);
    }
    if (node['const'] !== undefined) {
      if (!isPrimitive(node['const'])) throw new Unsupported();
      out.push(`if (${v} !== ${lit(node['const'])}) return false;`);
    }
    for (const [k, op] of [['minimum', '<'], ['maximum', '>'], ['exclusiveMinimum', '<='], ['exclusiveMaximum', '>=']] as const) {
      const bound = node[k];
      if (bound === undefined) continue;
      if (typeof bound !== 'number' || !Number.isFinite(bound)) throw new Unsupported();
      out.push(`if (typeof ${v} === "number" && !(${v} ${op === '<' ? '>=' : op === '>' ? '<=' : op === '<=' ? '>' : '<'} ${lit(bound)})) return false;`);
    }
    for (const [k, op] of [['minItems', '>='], ['maxItems', '<=']] as const) {
      const count = node[k];
      if (count === undefined) continue;
      if (!Number.isInteger(count)) throw new Unsupported();
      out.push(`if (Array.isArray(${v}) && !(${v}.length ${op} ${lit(count)})) return false;`);
    }
    for (const [k, op] of [['minLength', '>='], ['maxLength', '<=']] as const) {
      const count = node[k];
      if (count === undefined) continue;
      if (!Number.isInteger(count)) throw new Unsupported();
      out.push(`if (typeof ${v} === "string" && !(LEN(${v}) ${op} ${lit(count)})) return false;`);
    }
    if (node['format'] !== undefined) {
      const fn = typeof node['format'] === 'string' ? formats[node['format']] : undefined;
      if (!fn) throw new Unsupported();
      out.push(`if (typeof ${v} === "string" && !FMT[${formatFns.push(fn) - 1}](${v})) return false;`);
    }
    if (node['pattern'] !== undefined) {
      const fn = typeof node['pattern'] === 'string' && Object.hasOwn(patterns, node['pattern']) ? patterns[node['pattern']] : undefined;
      if (!fn) throw new Unsupported();
      out.push(`if (typeof ${v} === "string" && !FMT[${formatFns.push(fn) - 1}](${v})) return false;`);
    }
    if (node['items'] !== undefined) {
      const item = `v${vars++}`;
      const body = check(node['items'], item);
      if (body !== '') out.push(`if (Array.isArray(${v})) for (let i = 0; i < ${v}.length; i++) { const ${item} = ${v}[i]; ${body} }`);
    }
    const props = node['properties'];
    const required = node['required'];
    const additional = node['additionalProperties'];
    if (props !== undefined || required !== undefined || additional !== undefined) {
      if (props !== undefined && (props === null || typeof props !== 'object' || Array.isArray(props))) throw new Unsupported();
      if (required !== undefined && (!Array.isArray(required) || !required.every((r) => typeof r === 'string'))) throw new Unsupported();
      if (additional !== undefined && additional !== false && additional !== true) throw new Unsupported();
      const declared = Object.keys((props ?? {}) as object);
      const requiredNames = (required ?? []) as string[];
      // names `Object.prototype` answers would need own-property tests: leave those schemas to ajv
      if ([...declared, ...requiredNames].some(isPrototypeName)) throw new Unsupported();
      if (requiredNames.some((n) => !declared.includes(n)) && additional === false) throw new Unsupported();
      // plain objects only (a map to the evaluator's `isMap`; no own `constructor` key gets past the key count): typed code reads their fields with no further test
      const body: string[] = [`if (${TYPE_TESTS['object']!(v)}) {`, `if (${v}.constructor !== Object && Object.getPrototypeOf(${v}) !== null) return false;`, 'let present = 0;'];
      for (const name of declared) {
        const field = `v${vars++}`;
        const inner = check((props as Record<string, unknown>)[name], field);
        const isRequired = requiredNames.includes(name);
        body.push(`{ const ${field} = ${v}[${JSON.stringify(name)}];`);
        body.push(isRequired ? `if (${field} === undefined) return false;` : '');
        body.push(`if (${field} !== undefined) { present++; ${inner} } }`);
      }
      for (const name of requiredNames) if (!declared.includes(name)) body.push(`if (${v}[${JSON.stringify(name)}] === undefined) return false;`);
      // no undeclared field: every key ajv's `for...in` would see is a declared field that holds a value
      if (additional === false) body.push(`{ let keys = 0; for (const k in ${v}) keys++; if (keys !== present) return false; }`);
      body.push('}');
      out.push(body.join('\n'));
    }
    return out.join('\n');
  };

  try {
    const body = check(schema, 'value');
    const make = new Function('FMT', 'LEN', `"use strict"; return function quickCheck(value) {\n${body}\nreturn true;\n};`);
    return make(formatFns, ucs2length) as QuickCheck;
  } catch {
    // a keyword it does not know, or a host that refuses generated code: ajv alone
    return null;
  }
}
