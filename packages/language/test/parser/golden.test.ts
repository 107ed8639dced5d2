/**
 * AST goldens: each `golden/<construct>.policy` parses without diagnostics to
 * exactly the tree in `<construct>.ast.json` (JSON.stringify of the AST, spans
 * and ids included). `UPDATE_GOLDEN=1 npx vitest run packages/language/test/parser`
 * rewrites the goldens; review the diff before committing it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse.ts';
import { containmentProblems, spanProblems } from './spans.ts';

const dir = fileURLToPath(new URL('./golden/', import.meta.url));
const update = process.env['UPDATE_GOLDEN'] === '1';
const sources = readdirSync(dir)
  .filter((f) => f.endsWith('.policy'))
  .sort();

/** Expression ids: every one a distinct non-negative integer. */
function expressionIds(node: unknown, out: number[] = []): number[] {
  if (typeof node !== 'object' || node === null) return out;
  if (Array.isArray(node)) {
    for (const item of node) expressionIds(item, out);
    return out;
  }
  const record = node as Record<string, unknown>;
  if (typeof record['id'] === 'number' && typeof record['kind'] === 'string') out.push(record['id']);
  for (const value of Object.values(record)) expressionIds(value, out);
  return out;
}

describe('AST goldens', () => {
  it('has a golden input for every construct', () => {
    expect(sources.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of sources) {
    const name = file.replace(/\.policy$/, '');
    it(name, () => {
      const text = readFileSync(dir + file, 'utf8');
      const { ast, diagnostics } = parse(text);
      expect(diagnostics).toEqual([]);
      expect(spanProblems(text, ast)).toEqual([]);
      expect(containmentProblems(ast)).toEqual([]);
      const ids = expressionIds(ast);
      expect(ids.every((id) => Number.isInteger(id) && id >= 0)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);

      const actual = JSON.stringify(ast, null, 2) + '\n';
      const goldenPath = `${dir}${name}.ast.json`;
      if (update) {
        writeFileSync(goldenPath, actual);
        return;
      }
      if (!existsSync(goldenPath)) throw new Error(`no golden ${name}.ast.json: run with UPDATE_GOLDEN=1 and review it`);
      // Compare as data for a path-by-path diff, then as text so key order and formatting are pinned too.
      const golden = readFileSync(goldenPath, 'utf8');
      expect(JSON.parse(actual)).toEqual(JSON.parse(golden));
      expect(actual).toBe(golden);
    });
  }
});
