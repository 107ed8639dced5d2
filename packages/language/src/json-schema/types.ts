/** Verdict types -> JSON Schema, collecting the `where` constraints the schema cannot express. */
import { resolveType, type Expr, type FieldDecl, type TypeExpr } from '../ast.ts';
import type { Constants } from './literal.ts';
import { mergeSchemas, unique } from './merge.ts';
import { SENSITIVE_KEYWORD, WHERE_KEYWORD, setProperty, type JsonSchema } from './model.ts';
import { DECIMAL_PATTERN, DURATION_PATTERN, TIMESTAMP_PATTERN } from './patterns.ts';
import { CONJUNCT, printAt } from './print.ts';
import { translateWhere } from './where.ts';

/** Path segment standing for every element of a list or every value of a map. */
export const EACH = '*';

/**
 * An input field whose `where` the schema checks only in part (or not at all).
 * The constraint applies where the field is present (an absent optional field,
 * or one under an absent optional record, has nothing to check).
 */
export interface UntranslatedWhere {
  /** Field names from the input root; `*` (EACH) steps into every list element or map value. */
  path: string[];
  field: FieldDecl;
  /** The whole constraint as declared. */
  where: Expr;
  /** The `&&` conjuncts of `where` the schema does not check; the engine must, with `value` bound to the field. */
  untranslated: Expr[];
  /** Source text of `untranslated`, joined with ` && ` (the `x-verdict-where` annotation). */
  text: string;
}

export interface SchemaContext {
  constants: Constants;
  /** Receives every field `where` left (partly) untranslated, in declaration order. */
  untranslated: UntranslatedWhere[];
}

/** The schema of a value of `type` (nested fields with their `where`; the type itself has none). */
export function typeSchema(type: TypeExpr, ctx: SchemaContext, path: string[]): JsonSchema {
  switch (type.kind) {
    case 'PrimitiveType':
      switch (type.name) {
        case 'string':
        case 'number':
        case 'boolean':
          return { type: type.name };
        case 'timestamp':
          return { type: 'string', format: 'date-time', pattern: TIMESTAMP_PATTERN };
        case 'duration':
          return { type: 'string', pattern: DURATION_PATTERN };
        case 'decimal':
          // exact digits as a string, or a JSON number (read as its shortest decimal form)
          return { type: ['string', 'number'], pattern: DECIMAL_PATTERN };
        case 'any':
          return {};
      }
      break;
    case 'LiteralUnionType': {
      // `enum` alone allows any mix of strings, numbers and booleans; a `type` when
      // they agree helps code generators and lets strict validators accept `pattern` & co.
      const values = unique(type.values.filter((v) => typeof v !== 'number' || Number.isFinite(v)));
      const types = new Set(values.map((v) => typeof v));
      const [only] = types;
      return types.size === 1 && only !== undefined ? { type: only, enum: values } : { enum: values };
    }
    case 'ListType':
      return { type: 'array', items: typeSchema(type.element, ctx, [...path, EACH]) };
    case 'MapType':
      return { type: 'object', additionalProperties: typeSchema(type.value, ctx, [...path, EACH]) };
    case 'RecordType':
      return recordSchema(type.fields, ctx, path, type.rest !== null);
    case 'TypeRef': {
      // Inlined, titled with the alias name: validators and code generators need no `$ref` resolution.
      const target = resolveType(type);
      return target.kind === 'ErrorType' ? {} : { title: type.name, ...typeSchema(target, ctx, path) };
    }
    case 'ErrorType':
      // The parser has reported it; constrain nothing rather than guess.
      return {};
  }
}

/**
 * A record: every declared field typed, the non-optional ones required, and no
 * other fields allowed (`additionalProperties: false`) so a misspelt field in a
 * caller's payload is refused instead of silently reading as absent. An open
 * record (`...`) allows other fields (`additionalProperties: true`); the
 * declared ones keep their types and constraints.
 */
export function recordSchema(fields: readonly FieldDecl[], ctx: SchemaContext, path: string[], open = false): JsonSchema {
  const properties: JsonSchema = {};
  const required: string[] = [];
  for (const field of fields) {
    if (Object.hasOwn(properties, field.name)) continue; // duplicate: the checker reports it
    setProperty(properties, field.name, fieldSchema(field, ctx, [...path, field.name]));
    if (!field.optional) required.push(field.name);
  }
  const schema: JsonSchema = { type: 'object', properties };
  if (required.length > 0) schema['required'] = required;
  schema['additionalProperties'] = open;
  return schema;
}

function fieldSchema(field: FieldDecl, ctx: SchemaContext, path: string[]): JsonSchema {
  const { schema, text } = constrainedSchema(field.type, field.where, ctx, path, (untranslated, text) => {
    // Recorded before the fields nested in this one, so the list is in source order.
    if (field.where !== null) ctx.untranslated.push({ path, field, where: field.where, untranslated, text });
  });
  return annotate(schema, { description: field.doc, sensitive: field.sensitive, whereText: text });
}

/**
 * The schema of `type` narrowed by `where`, with the conjuncts left untranslated
 * and their source text (null when all of `where` is in the schema).
 * `onUntranslated` runs before the type's own fields are visited.
 */
export function constrainedSchema(
  type: TypeExpr,
  where: Expr | null,
  ctx: SchemaContext,
  path: string[],
  onUntranslated?: (untranslated: Expr[], text: string) => void,
): { schema: JsonSchema; untranslated: Expr[]; text: string | null } {
  const translation = where === null ? { schema: {}, untranslated: [] } : translateWhere(where, type, ctx.constants);
  const { untranslated } = translation;
  const text = untranslated.length === 0 ? null : untranslated.map((e) => printAt(e, CONJUNCT)).join(' && ');
  if (text !== null) onUntranslated?.(untranslated, text);
  return { schema: mergeSchemas(typeSchema(type, ctx, path), translation.schema), untranslated, text };
}

/** Adds description first and our annotations last, for a readable schema. */
export function annotate(
  schema: JsonSchema,
  notes: { description?: string | null; sensitive?: boolean; whereText?: string | null },
): JsonSchema {
  const out: JsonSchema = {};
  if (notes.description) out['description'] = notes.description;
  for (const [key, value] of Object.entries(schema)) setProperty(out, key, value);
  if (notes.sensitive) out[SENSITIVE_KEYWORD] = true;
  if (notes.whereText) out[WHERE_KEYWORD] = notes.whereText;
  return out;
}
