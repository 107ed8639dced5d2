/**
 * Formatter goldens (OPA style): `golden/<construct>.policy` is messy input,
 * `golden/<construct>.formatted.policy` the expected output. The test formats,
 * compares, formats the output again (idempotence) and re-parses it (meaning
 * kept). Run with UPDATE_GOLDEN=1 to rewrite the expected files.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { format } from '../../src/format.ts';
import { parse } from '../../src/parse.ts';
import { meaningDiff } from '../../src/format/compare.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const update = process.env['UPDATE_GOLDEN'] === '1';
const inputs = readdirSync(dir)
  .filter((f) => f.endsWith('.policy') && !f.endsWith('.formatted.policy'))
  .sort();

describe('formatter goldens', () => {
  it('has one golden per construct', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of inputs) {
    it(file, () => {
      const source = readFileSync(join(dir, file), 'utf8');
      const result = format(source);
      expect(result.diagnostics).toEqual([]);
      const text = result.text!;
      expect(text).not.toBeNull();
      const goldenPath = join(dir, file.replace(/\.policy$/, '.formatted.policy'));
      if (update || !existsSync(goldenPath)) writeFileSync(goldenPath, text);
      expect(text).toBe(readFileSync(goldenPath, 'utf8'));
      // idempotent
      expect(format(text).text).toBe(text);
      // meaning kept (the safety net checks this too; checked here independently of format())
      const before = parse(source);
      const after = parse(text);
      expect(after.diagnostics).toEqual([]);
      expect(meaningDiff(before.ast, source, after.ast, text)).toBeNull();
      expect(after.ast.comments.length).toBe(before.ast.comments.length);
    });
  }
});
