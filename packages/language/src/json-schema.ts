import type { Ruleset } from './ast.ts';

export type JsonSchema = { [key: string]: unknown };

/** The input schema as JSON Schema (draft 2020-12). PLACEHOLDER until the checker work lands. */
export function inputJsonSchema(ast: Ruleset): JsonSchema {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title: ast.name.name, type: 'object' };
}
