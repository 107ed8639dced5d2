/**
 * Input schema changes beyond the goldens: nested records, lists and maps of
 * records, literal unions against primitives, constraints dropped. Breaking
 * means some input the old version accepted may be refused by the new one.
 */
import { describe, expect, it } from 'vitest';
import { parse, type FieldDecl } from '@verdict/language';
import { diffInputSchemas } from '../src/index.ts';

function fields(input: string): { fields: FieldDecl[]; source: string } {
  const source = `ruleset t.schema\ninput {\n${input}\n}\n`;
  const { ast, diagnostics } = parse(source);
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return { fields: ast.decls.flatMap((d) => (d.kind === 'Input' ? d.fields : [])), source };
}

function changes(before: string, after: string): string[] {
  const a = fields(before);
  const b = fields(after);
  return diffInputSchemas(a.fields, b.fields, a.source, b.source).map(
    (c) => `${c.path} ${c.change} ${c.from ?? '∅'} -> ${c.to ?? '∅'}${c.breaking ? ' BREAKING' : ''}`,
  );
}

describe('diffInputSchemas', () => {
  it.each<[string, string, string, string[]]>([
    ['no change', 'a: number', 'a: number', []],
    ['union to its primitive widens', 'a: "x" | "y"', 'a: string', ['a type "x" | "y" -> string']],
    ['primitive to a union narrows', 'a: string', 'a: "x" | "y"', ['a type string -> "x" | "y" BREAKING']],
    ['number union to string breaks', 'a: 1 | 2', 'a: string', ['a type 1 | 2 -> string BREAKING']],
    ['anything widens to any', 'a: number', 'a: any', ['a type number -> any']],
    ['list element union widened', 'a: list<"x">', 'a: list<"x" | "y">', ['a type list<"x"> -> list<"x" | "y">']],
    ['map value narrowed', 'a: map<string>', 'a: map<"x">', ['a type map<string> -> map<"x"> BREAKING']],
    ['field added inside a list of records', 'items: list<{ sku: string }>', 'items: list<{ sku: string, qty?: number }>', ['items[].qty added ∅ -> qty?: number']],
    ['required field added inside a map of records', 'm: map<{ a: number }>', 'm: map<{ a: number, b: string }>', ['m{}.b added ∅ -> b: string BREAKING']],
    ['field removed inside a nested record', 'r: { s: { a: number, b: number } }', 'r: { s: { a: number } }', ['r.s.b removed b: number -> ∅ BREAKING']],
    ['a removed record is reported once', 'r?: { a: number, b: number }\nx: number', 'x: number', ['r removed r?: { a: number, b: number } -> ∅ BREAKING']],
    ['a record replaced by a string', 'r: { a: number }', 'r: string', ['r type {…} -> string BREAKING', 'r.a removed a: number -> ∅ BREAKING']],
    ['constraint dropped', 'a: number where value > 0', 'a: number', ['a constraint value > 0 -> ∅']],
    ['constraint added', 'a: number', 'a: number where value > 0', ['a constraint ∅ -> value > 0 BREAKING']],
    ['constraint respelled', 'a: number where value > 0', 'a: number where value>0.0', []],
    ['sensitive dropped', 'a: string sensitive', 'a: string', ['a sensitivity sensitive -> not sensitive']],
    ['union reordered', 'a: "x" | "y"', 'a: "y" | "x"', []],
  ])('%s', (_, before, after, expected) => {
    expect(changes(before, after)).toEqual(expected);
  });
});
