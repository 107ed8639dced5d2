/** Property tests: idempotence, meaning kept, and never throwing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format } from '../../src/format.ts';
import { parse } from '../../src/parse.ts';
import { meaningDiff } from '../../src/format/compare.ts';
import { printRuleset } from '../../src/format/decls.ts';
import { program, soup } from './generators.ts';

const RUNS = Number(process.env['FORMAT_RUNS'] ?? 300);
/** Seeded for a stable CI, as the parser properties are; `FC_SEED=<n>` (with `FORMAT_RUNS`) explores further. */
const SEED = Number(process.env['FC_SEED'] ?? 20261127);

describe('formatter properties', () => {
  it('formats every valid program, idempotently, keeping its meaning and comments', () => {
    fc.assert(
      fc.property(program, (source) => {
        const before = parse(source);
        fc.pre(before.diagnostics.length === 0);
        const once = format(source);
        expect(once.diagnostics).toEqual([]);
        const text = once.text!;
        const after = parse(text);
        expect(after.diagnostics).toEqual([]);
        expect(meaningDiff(before.ast, source, after.ast, text)).toBeNull();
        expect(format(text).text).toBe(text);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('prints comment-free programs canonically in one pass (no help from the fixed-point loop)', () => {
    fc.assert(
      fc.property(program, (raw) => {
        const source = raw.replace(/#[^\n]*/g, '');
        const before = parse(source);
        fc.pre(before.diagnostics.length === 0);
        const once = printRuleset(before.ast, source);
        const after = parse(once);
        expect(after.diagnostics).toEqual([]);
        expect(meaningDiff(before.ast, source, after.ast, once)).toBeNull();
        expect(printRuleset(after.ast, once)).toBe(once);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('never throws on random text, and what it formats is stable', () => {
    fc.assert(
      fc.property(fc.oneof(soup, fc.string({ maxLength: 80 }), program.map((p) => p.slice(0, Math.floor(p.length / 2)))), (source) => {
        const result = format(source);
        if (result.text === null) {
          expect(result.diagnostics.length).toBeGreaterThan(0);
          expect(result.diagnostics.every((d) => d.severity === 'error')).toBe(true);
        } else {
          expect(format(result.text).text).toBe(result.text);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
