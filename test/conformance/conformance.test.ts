/**
 * CI holds the CEL conformance result: every case passes through Verdict's
 * expression compiler except the listed deviations, which stay under 15%.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileExpression, type Value } from '@verdict/engine';
import { caseKey, corpusDir, corpusFiles } from './cases.ts';
import { runConformance, type Report } from './core.ts';
import { DEVIATIONS } from './deviations.ts';

const dir = corpusDir();
const present = existsSync(dir) && corpusFiles(dir).length > 0;
if (!present) console.warn(`CEL conformance skipped: no corpus at ${dir} (set VERDICT_CEL_CORPUS)`);

describe.skipIf(!present)(`CEL conformance (${dir})`, () => {
  let report: Report;
  const run = () => (report ??= runConformance(corpusFiles(dir)));

  it('passes every case that is not a listed deviation', () => {
    const failures = run()
      .files.flatMap((f) => f.results)
      .filter((r) => !r.verdict.pass && !r.deviation)
      .map((r) => `${caseKey(r.case)}: ${r.case.expr} -> ${r.verdict.pass ? '' : r.verdict.got}`);
    expect(failures).toEqual([]);
  });

  it('lists only deviations that still deviate and exist in the corpus', () => {
    expect(run().staleDeviations).toEqual([]);
    expect(run().unknownDeviations).toEqual([]);
  });

  it('keeps deviations under 15% of all cases', () => {
    const r = run();
    expect(r.deviations).toBe(Object.keys(DEVIATIONS).length);
    expect(r.deviations / r.total).toBeLessThan(0.15);
  });

  it('every deviation gives its reason', () => {
    for (const [key, d] of Object.entries(DEVIATIONS)) expect([key, d.why.length > 20]).toEqual([key, true]);
  });
});

// The CEL features the suite needed, checked without the corpus too.
describe('CEL features in Verdict expressions', () => {
  const run = (expr: string, bindings: Record<string, Value> = {}) => {
    const c = compileExpression(expr, bindings, {}, { unknownAsErrors: true });
    if ('diagnostics' in c) return { diagnostics: c.diagnostics.map((d) => d.code) };
    const r = c.evaluate();
    return r.ok ? r.value : { error: r.error.code };
  };
  it.each<[string, unknown, Record<string, Value>?]>([
    ['{1: "a", true: "b"}[1]', 'a'],
    ['{true: "b"}[true]', 'b'],
    ['3.1 in {1: 1, 3: 3}', false],
    ['{1: 1.0, 2: 3} == {1: 1, 2: 3.0}', true],
    ['{0: 1, 0: 2}', { error: 'invalid_argument' }],
    ['{(null): 1}', { error: 'type_error' }],
    ['{6: "six", 7: "seven"}.exists_one(k, k % 5 == 2)', true],
    ['{"content-type": "json"}.`content-type`', 'json'],
    ['has({"a.b": 1}.`a.b`)', true],
    ['a.b.c', 'yeah', { 'a.b.c': 'yeah', 'a.b': { c: 'oops' } }],
    ['a.b.c', 'yeah', { 'a.b': { c: 'yeah' } }],
    ['x || true', true],
    ['f_unknown(1)', { error: 'unknown_function' }],
    ['type(null) == null_type && type([]) == list && type(1) == double', true],
    ['int(-7.9) + uint(25.5) + double("1.5")', 19.5],
    ['bool("t") && dyn(true)', true],
  ])('%s', (expr, expected, bindings) => {
    expect(run(expr, bindings)).toEqual(expected);
  });
  it('reports unknown names at compile time unless asked not to', () => {
    const c = compileExpression('x || true', {});
    expect('diagnostics' in c ? c.diagnostics.map((d) => d.code) : []).toEqual(['VD5001']);
  });
});
