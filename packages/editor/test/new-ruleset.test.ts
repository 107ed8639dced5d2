import { compile, runTests } from '@verdict/engine';
import { analyze } from '@verdict/language';
import { describe, expect, it } from 'vitest';
import { RULESET_NAME, starterTemplate } from '../src/app/new-ruleset.ts';

describe('New ruleset', () => {
  it('starts from a template that checks cleanly and passes its own tests', () => {
    const text = starterTemplate('payments.refunds');
    const analysis = analyze(text);
    expect(analysis.ast.name.name).toBe('payments.refunds');
    expect(analysis.diagnostics).toEqual([]);
    const run = runTests(analysis.ast, text, compile(analysis).ruleset!);
    expect(run.results.length).toBeGreaterThan(0);
    expect(run.results.filter((r) => !r.passed)).toEqual([]);
  });

  it('accepts dotted lowercase names only', () => {
    for (const good of ['payments', 'payments.refunds', 'a1.b_2']) expect(RULESET_NAME.test(good), good).toBe(true);
    for (const bad of ['', 'Payments', 'payments.', '.x', '1a', 'a b', 'a-b']) expect(RULESET_NAME.test(bad), bad).toBe(false);
  });
});
