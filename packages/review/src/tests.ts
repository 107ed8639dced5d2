/**
 * Both versions' in-file tests, each run on its own version: the tests that
 * passed before and fail now are what a reviewer must see by name.
 */
import { runTests, type CompiledRuleset, type TestResult } from '@verdict/engine';
import type { Ruleset } from '@verdict/language';
import type { TestsImpact } from './model.ts';

export interface TestedVersion {
  ast: Ruleset;
  source: string;
  compiled: CompiledRuleset;
}

export function compareTests(before: TestedVersion, after: TestedVersion): TestsImpact {
  const old = runTests(before.ast, before.source, before.compiled).results;
  const now = runTests(after.ast, after.source, after.compiled).results;
  const oldByName = new Map(old.map((t) => [t.name, t]));
  const nowByName = new Map(now.map((t) => [t.name, t]));
  const count = (results: TestResult[]) => ({ passed: results.filter((t) => t.passed).length, failed: results.filter((t) => !t.passed).length });
  return {
    before: count(old),
    after: count(now),
    failing: now
      .filter((t) => !t.passed)
      .map((t) => {
        const was = oldByName.get(t.name);
        return { name: t.name, line: t.line, failures: t.failures, was: was === undefined ? 'absent' : was.passed ? 'passed' : 'failed' };
      }),
    fixed: old.filter((t) => !t.passed && nowByName.get(t.name)?.passed === true).map((t) => t.name),
  };
}
