/** Standalone expressions (the CEL conformance runner, the REPL). */
import { hasErrors, parseExpression, type Diagnostic } from '@verdict/language';
import { TYPE_DENOTATIONS } from './builtins/conversions.ts';
import { compileExpr, type Closure, type CompileEnv, type Ctx, type GlobalRef } from './compiler.ts';
import { FastModule } from './codegen/module.ts';
import { describeName } from './codegen/names.ts';
import { DEFAULT_LIMITS, EvalState, type Limits } from './context.ts';
import { VError, type Value } from './values.ts';

export type ExpressionResult = { ok: true; value: Value } | { ok: false; error: { code: string; message: string; node: number } };

export interface CompiledExpression {
  evaluate(): ExpressionResult;
}

export interface ExpressionOptions {
  /**
   * Unknown names and functions are evaluation errors (`unknown_name`,
   * `unknown_function`) instead of compile diagnostics, as in unchecked CEL:
   * `x || true` is then `true`.
   */
  unknownAsErrors?: boolean;
  /** Evaluate generated code instead of the closures (the same results; differential tests hold them to it). */
  codegen?: boolean;
}

/** Codes `unknownAsErrors` turns into run-time errors: unknown names and functions, wrong argument counts. */
const UNKNOWN_CODES = new Set(['VD5001', 'VD5002', 'VD5003']);

/**
 * Parse (no type check) and compile `text`; identifiers resolve to `bindings`
 * (a binding named with dots, `a.b`, is read by the expression `a.b`). CEL's
 * type denotations (`int`, `string`, `map`, ...) are names for their type
 * names, as `type(x)` returns them.
 */
export function compileExpression(
  text: string,
  bindings: Record<string, unknown>,
  limits: Partial<Limits> = {},
  options: ExpressionOptions = {},
): CompiledExpression | { diagnostics: Diagnostic[] } {
  const parsed = parseExpression(text);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  let slots = 0;
  const env: CompileEnv = { globals: new Map(), tables: new Map(), diagnostics: [], newSlot: () => slots++ };
  // CEL's type denotations (`type(x) == int`), unless a binding takes the name
  for (const name of TYPE_DENOTATIONS) env.globals.set(name, describeName((() => () => name) as GlobalRef, { kind: 'const' }));
  for (const name of Object.keys(bindings)) {
    const value = bindings[name] as Value;
    env.globals.set(name, describeName((() => () => value) as GlobalRef, { kind: 'const' }));
  }
  let closure: Closure = compileExpr(parsed.expr, env);
  if (options.codegen) {
    const fast = new FastModule(env);
    fast.add(parsed.expr, closure, new Map(), (fn) => (closure = fn));
    fast.build();
  }
  const diagnostics = options.unknownAsErrors ? env.diagnostics.filter((d) => !UNKNOWN_CODES.has(d.code)) : env.diagnostics;
  if (hasErrors(diagnostics)) return { diagnostics };
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
