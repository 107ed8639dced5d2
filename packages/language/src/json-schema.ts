/**
 * JSON Schema (draft 2020-12) for a ruleset's `input { }` and its params.
 *
 * - Records are closed (`additionalProperties: false`): an input with a field
 *   the ruleset does not declare is refused, so a typo in a service payload
 *   surfaces as a validation error instead of reading as an absent field.
 *   A record (or the whole `input`) ending in `...` is open
 *   (`additionalProperties: true`); its declared fields are checked as ever.
 * - A `type` alias is inlined where it is used, titled with its name.
 *   Optional fields (`name?: T`) may be left out; `null` is not accepted for them.
 * - `timestamp` is an RFC 3339 string (`format: date-time` plus a shape
 *   `pattern`), `duration` a Go-style duration string (`1h30m`, `-5m`).
 * - `sensitive` fields carry `"x-verdict-sensitive": true` (the decision log redacts them).
 * - `where` constraints on `value` become keywords where they are recognisable
 *   (`value > 0`, `size(value) <= 3`, `value.matches(re)`, `value in [..]`, ...);
 *   the rest is annotated `"x-verdict-where": "<expression>"` and listed by
 *   `untranslatedWheres`, for the engine to evaluate after schema validation.
 *
 * A strict ajv needs our annotation keywords declared:
 * `ajv.addVocabulary([...VERDICT_KEYWORDS])`, and a `date-time` format
 * (ajv-formats, or `ajv.addFormat('date-time', ...)`).
 *
 * No Node-only imports: this module runs in the browser too.
 */
import type { ParamDecl, Ruleset, TypeExpr } from './ast.ts';
import { constantsOf, literalValue } from './json-schema/literal.ts';
import { JSON_SCHEMA_DIALECT, type JsonSchema } from './json-schema/model.ts';
import { annotate, constrainedSchema, recordSchema, typeSchema, type SchemaContext, type UntranslatedWhere } from './json-schema/types.ts';

export { JSON_SCHEMA_DIALECT, SENSITIVE_KEYWORD, VERDICT_KEYWORDS, WHERE_KEYWORD, type JsonSchema, type JsonValue } from './json-schema/model.ts';
export { EACH, type UntranslatedWhere } from './json-schema/types.ts';
export { printExpr } from './json-schema/print.ts';
export { DECIMAL_PATTERN, DURATION_PATTERN, TIMESTAMP_PATTERN } from './json-schema/patterns.ts';

/** The input schema: title = ruleset name, description = ruleset doc (else the input's doc). */
export function inputJsonSchema(ast: Ruleset): JsonSchema {
  return buildInput(ast).schema;
}

/**
 * Input fields whose `where` the schema of `inputJsonSchema` does not fully
 * check, in source order. The engine evaluates each entry's `untranslated`
 * conjuncts with `value` bound to the field's value (every element's, for
 * paths through `*`), after the input has passed schema validation.
 */
export function untranslatedWheres(ast: Ruleset): UntranslatedWhere[] {
  return buildInput(ast).untranslated;
}

/**
 * A param's type and `where` as a schema, with its doc as description and its
 * default (when it is a constant) as `default`. `ruleset` resolves `const`
 * names used in the `where` and the default.
 */
export function paramJsonSchema(param: ParamDecl, ruleset?: Ruleset): JsonSchema {
  const ctx = context(ruleset);
  const { schema, text } = constrainedSchema(param.type, param.where, ctx, [param.name.name]);
  const out = annotate(schema, { description: param.doc });
  const fallback = literalValue(param.default, { constants: ctx.constants, bound: new Set() });
  if (fallback !== undefined) out['default'] = fallback.value;
  return annotate(out, { whereText: text });
}

/** The schema of a type (fields' `where` translated as in the input schema). */
export function typeJsonSchema(type: TypeExpr, ruleset?: Ruleset): JsonSchema {
  return typeSchema(type, context(ruleset), []);
}

function context(ruleset: Ruleset | undefined): SchemaContext {
  return { constants: constantsOf(ruleset), untranslated: [] };
}

function buildInput(ast: Ruleset): { schema: JsonSchema; untranslated: UntranslatedWhere[] } {
  const ctx = context(ast);
  const inputs = ast.decls.filter((d) => d.kind === 'Input');
  // Several `input` blocks are an error the checker reports; take all their fields.
  const fields = inputs.flatMap((d) => d.fields);
  const schema: JsonSchema = { $schema: JSON_SCHEMA_DIALECT };
  if (ast.name.name !== '') schema['title'] = ast.name.name;
  const description = ast.doc ?? inputs.find((d) => d.doc !== null)?.doc ?? null;
  if (description !== null) schema['description'] = description;
  Object.assign(schema, recordSchema(fields, ctx, [], inputs.some((d) => d.rest !== null)));
  return { schema, untranslated: ctx.untranslated };
}
