import { analyze } from '@verdict/language';
import { expect } from 'vitest';
import { compile, compileExpression, type CompileOptions, type CompiledRuleset, type ExpressionResult } from '@verdict/engine';

/** Evaluate a standalone expression; throws on parse/compile diagnostics. */
export function ev(text: string, bindings: Record<string, unknown> = {}): ExpressionResult {
  const c = compileExpression(text, bindings);
  if ('diagnostics' in c) throw new Error(`${text}: ${c.diagnostics.map((d) => d.message).join('; ')}`);
  return c.evaluate();
}

/** The value, or `{ error: code }`. */
export function val(text: string, bindings: Record<string, unknown> = {}): unknown {
  const r = ev(text, bindings);
  return r.ok ? r.value : { error: r.error.code };
}

/** Compile a policy source; fails the test on any error diagnostic (checker included). */
export function ruleset(source: string, options: CompileOptions = {}): CompiledRuleset {
  const analysis = analyze(source);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`)).toEqual([]);
  const r = compile(analysis, options);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!r.ruleset) throw new Error('no ruleset');
  return r.ruleset;
}

/** Property tests are seeded for a stable CI, as the language's are; `FC_SEED=<n>` explores further. */
export const FC_SEED = Number(process.env['FC_SEED'] ?? 20261127);
