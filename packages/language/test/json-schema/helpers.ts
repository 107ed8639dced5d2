import { expect } from 'vitest';
import type { Ruleset } from '../../src/ast.ts';
import { inputJsonSchema, type JsonSchema } from '../../src/json-schema.ts';
import { parse } from '../../src/parse.ts';

/** Parses a ruleset, failing the test on any syntax error. */
export function parseRuleset(text: string): Ruleset {
  const { ast, diagnostics } = parse(text);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return ast;
}

/** The schema of `input { f: <decl> }`, with `preamble` declarations (consts) before it. */
export function fieldSchema(decl: string, preamble = ''): JsonSchema {
  const ast = parseRuleset(`ruleset t\n${preamble}\ninput {\n  f: ${decl}\n}\n`);
  const properties = inputJsonSchema(ast)['properties'] as Record<string, JsonSchema>;
  const schema = properties['f'];
  if (schema === undefined) throw new Error('no schema for field f');
  return schema;
}
