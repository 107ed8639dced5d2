/**
 * The JSON Schema (draft 2020-12) of a ruleset's decision, as `evaluate` returns it (without the
 * `ok` flag) and the server serves it (plus its own identity fields): the ruleset's outcomes, each
 * rule's violation (its id, outcome and severity as constants, its suggestion fields typed), the
 * outputs typed, and the shapes of errors and the explain trace. Services generate types from it
 * (`verdict schema --output`).
 *
 * Output and suggestion types are the declared ones where given, else the checker's inferred
 * type. An output or a suggestion field whose expression failed is `null` (the error is listed in
 * `errors`), so each is nullable.
 */
import { DECIMAL_PATTERN, DURATION_PATTERN, JSON_SCHEMA_DIALECT, typeJsonSchema, type Analysis, type JsonSchema, type RuleDecl, type Type } from '@verdict/language';
import type { RuleInfo } from './types.ts';

/** The decision schema of the ruleset `analysis` describes, compiled as `rules` with `outcomes`. */
export function decisionJsonSchema(analysis: Analysis, outcomes: readonly string[], rules: readonly RuleInfo[]): JsonSchema {
  const { ast, check } = analysis;
  const typeOf = (id: number): JsonSchema => checkedTypeSchema(check.types.get(id) ?? { kind: 'any' });
  const outputs: Record<string, JsonSchema> = {};
  for (const decl of ast.decls) {
    if (decl.kind !== 'Output') continue;
    // a decimal is its digits as a string in a decision (an input may also give it as a number)
    const declared = check.symbols.get(decl.name.name)?.type;
    const schema = decl.type !== null && !(declared !== undefined && holdsDecimal(declared)) ? typeJsonSchema(decl.type, ast) : declared !== undefined && decl.type !== null ? checkedTypeSchema(declared) : typeOf(decl.value.id);
    outputs[decl.name.name] = withDoc(nullable(schema), decl.doc);
  }
  const ruleDecls = new Map(ast.decls.filter((d): d is RuleDecl => d.kind === 'Rule').map((r) => [r.name.name, r]));
  const violations = rules.map((rule) => violationSchema(rule, ruleDecls.get(rule.id)?.suggestions ?? [], typeOf));
  const schema: JsonSchema = {
    $schema: JSON_SCHEMA_DIALECT,
    title: `${ast.name.name} decision`,
    type: 'object',
    required: ['decision', 'compliant', 'score', 'violations', 'outputs', 'errors', 'trace'],
    additionalProperties: false,
    properties: {
      decision: { enum: [...outcomes], description: `The fired outcome of highest precedence, else \`${outcomes[outcomes.length - 1] ?? ''}\` (the default).` },
      compliant: { type: 'boolean', description: 'True exactly when the decision is a compliant outcome: the default, or one `decision ... compliant` lists.' },
      score: { type: 'number', minimum: 0, maximum: 1, description: '1 minus the weight of the fired rules over the weight of all rules.' },
      violations: { type: 'array', items: violations.length > 0 ? { oneOf: violations } : false, description: 'The rules that fired, in declaration order.' },
      outputs: { type: 'object', properties: outputs, required: Object.keys(outputs), additionalProperties: false },
      errors: { type: 'array', items: { $ref: '#/$defs/error' } },
      trace: { anyOf: [{ type: 'null' }, { $ref: '#/$defs/trace' }], description: 'With `explain: true` only.' },
    },
    $defs: DEFS,
  };
  return schema;
}

function violationSchema(rule: RuleInfo, suggestions: RuleDecl['suggestions'], typeOf: (id: number) => JsonSchema): JsonSchema {
  const fields: Record<string, JsonSchema> = {};
  for (const s of suggestions) fields[s.name.name] = nullable(typeOf(s.value.id));
  const suggestion: JsonSchema =
    suggestions.length === 0 ? { type: 'null' } : { type: 'object', properties: fields, required: Object.keys(fields), additionalProperties: false };
  return withDoc(
    {
      type: 'object',
      required: ['rule', 'outcome', 'severity', 'message', 'suggestion', 'location', 'reads'],
      additionalProperties: false,
      properties: {
        rule: { const: rule.id },
        outcome: { const: rule.outcome },
        severity: { const: rule.severity },
        message: { type: 'string' },
        suggestion,
        location: { $ref: '#/$defs/location' },
        reads: { type: 'object', description: 'The input values the condition read, by dotted path.' },
      },
    },
    rule.doc,
  );
}

function holdsDecimal(t: Type): boolean {
  switch (t.kind) {
    case 'decimal':
      return true;
    case 'nullable':
      return holdsDecimal(t.inner);
    case 'list':
      return holdsDecimal(t.element);
    case 'map':
      return holdsDecimal(t.value);
    case 'record':
      return [...t.fields.values()].some((f) => holdsDecimal(f.type));
    default:
      return false;
  }
}

/** The JSON a value of the checked type `t` becomes in a decision (timestamps and durations as text). */
export function checkedTypeSchema(t: Type): JsonSchema {
  switch (t.kind) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return { type: t.kind };
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'duration':
      return { type: 'string', pattern: DURATION_PATTERN };
    case 'decimal':
      return { type: 'string', pattern: DECIMAL_PATTERN, description: 'An exact decimal, as its digits.' };
    case 'literal':
      return { enum: [...t.values] };
    case 'list':
      return { type: 'array', items: checkedTypeSchema(t.element) };
    case 'map':
      return { type: 'object', additionalProperties: checkedTypeSchema(t.value) };
    case 'record': {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [name, field] of t.fields) {
        properties[name] = checkedTypeSchema(field.type);
        if (!field.optional) required.push(name);
      }
      return { type: 'object', properties, required, additionalProperties: t.open === true };
    }
    case 'nullable':
      return nullable(checkedTypeSchema(t.inner));
    case 'any':
    case 'error':
      return {};
  }
}

function nullable(schema: JsonSchema): JsonSchema {
  if (Object.keys(schema).length === 0) return schema; // anything, null included
  if (schema['type'] === 'null') return schema;
  return { anyOf: [schema, { type: 'null' }] };
}

function withDoc(schema: JsonSchema, doc: string | null): JsonSchema {
  return doc === null ? schema : { ...schema, description: doc };
}

const LOCATION: JsonSchema = {
  type: 'object',
  required: ['line', 'column'],
  additionalProperties: false,
  properties: { line: { type: 'integer', minimum: 0 }, column: { type: 'integer', minimum: 0 } },
};

const DEFS: JsonSchema = {
  location: LOCATION,
  error: {
    type: 'object',
    required: ['rule', 'output', 'kind', 'code', 'message', 'location'],
    additionalProperties: false,
    properties: {
      rule: { type: ['string', 'null'] },
      output: { type: ['string', 'null'] },
      kind: { enum: ['condition', 'message', 'suggestion', 'output'] },
      code: { type: 'string' },
      message: { type: 'string' },
      location: { $ref: '#/$defs/location' },
    },
  },
  trace: {
    type: 'object',
    required: ['rules', 'rulesEvaluated', 'steps'],
    additionalProperties: false,
    properties: {
      rules: {
        type: 'array',
        items: {
          type: 'object',
          required: ['rule', 'result', 'values'],
          additionalProperties: false,
          properties: {
            rule: { type: 'string' },
            result: { enum: ['fired', 'passed', 'error'] },
            skipped: { const: 'index' },
            values: {
              type: 'array',
              items: {
                type: 'object',
                required: ['node', 'line', 'column', 'expr', 'value'],
                additionalProperties: false,
                properties: { node: { type: 'integer' }, line: { type: 'integer' }, column: { type: 'integer' }, expr: { type: 'string' }, value: {} },
              },
            },
          },
        },
      },
      rulesEvaluated: { type: 'integer', minimum: 0 },
      steps: { type: 'integer', minimum: 0 },
    },
  },
};
