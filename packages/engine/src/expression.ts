/** Standalone expressions (the CEL conformance runner, the REPL). */
import { hasErrors, parseExpression, type Diagnostic } from '@verdict/language';
import { compileExpr, type Closure, type CompileEnv, type Ctx } from './compiler.ts';
import { DEFAULT_LIMITS, EvalState, type Limits } from './context.ts';
import { VError, type Value } from './values.ts';

export type ExpressionResult = { ok: true; value: Value } | { ok: false; error: { code: string; message: string; node: number } };

export interface CompiledExpression {
  evaluate(): ExpressionResult;
}

/** Parse (no type check) and compile `text`; identifiers resolve to `bindings`. */
export function compileExpression(text: string, bindings: Record<string, unknown>, limits: Partial<Limits> = {}): CompiledExpression | { diagnostics: Diagnostic[] } {
  const parsed = parseExpression(text);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  let slots = 0;
  const env: CompileEnv = { globals: new Map(), tables: new Map(), diagnostics: [], newSlot: () => slots++ };
  for (const name of Object.keys(bindings)) {
    const value = bindings[name] as Value;
    env.globals.set(name, () => () => value);
  }
  const closure: Closure = compileExpr(parsed.expr, env);
  if (hasErrors(env.diagnostics)) return { diagnostics: env.diagnostics };
  const fullLimits = { ...DEFAULT_LIMITS, ...limits };
  return {
    evaluate(): ExpressionResult {
      const ctx: Ctx = { state: new EvalState(fullLimits), input: {}, params: [], slots: new Array(slots), trace: null, depth: 0 };
      let v: Value;
      try {
        v = closure(ctx);
      } catch (e) {
        v = new VError(e instanceof RangeError ? 'limit_exceeded' : 'internal', e instanceof Error ? e.message : String(e), parsed.expr.id);
      }
      return v instanceof VError ? { ok: false, error: { code: v.code, message: v.message, node: v.node } } : { ok: true, value: v };
    },
  };
}
