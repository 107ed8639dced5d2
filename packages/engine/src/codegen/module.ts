/**
 * One generated module per ruleset: every expression added becomes a
 * function in a single `new Function` body, built once after the whole
 * ruleset is compiled. Until `build()` (and for good if the host refuses
 * `new Function`, as a strict Content-Security-Policy does) each handle runs
 * the closure compiler's closure, so generation is an optimisation only.
 */
import type { Expr } from '@verdict/language';
import { COMPUTING, type Closure, type CompileEnv, type Locals } from '../compiler.ts';
import { conditionalTest, has, index, isFatal, isNullish, logicalRest, macroItems, member, binary, typeError, unary } from '../ops.ts';
import { matchPattern } from '../table.ts';
import { VError, toText, typeName } from '../values.ts';
import { Emitter, PRELUDE, Scope, type ModuleTables } from './emit.ts';

/** A compiled expression; `fn` becomes the generated function once the module is built. */
export interface FastHandle {
  fn: Closure;
}

/** The helpers generated code calls, by the names it uses. */
const RUNTIME = { VError, COMPUTING, matchPattern, binary, conditionalTest, has, index, isFatal, isNullish, logicalRest, macroItems, member, toText, typeError, typeName, unary };

export class FastModule {
  private readonly values: unknown[] = [];
  private readonly closures: Closure[] = [];
  private readonly builtins: unknown[] = [];
  private readonly functions: string[] = [];
  private readonly handles: FastHandle[] = [];
  private readonly emitter: Emitter;
  private readonly listeners = new Map<FastHandle, (fn: Closure) => void>();
  private hoisted = 0;

  /** `env` is compiled against silently: its diagnostics were reported by the closure compiler. */
  constructor(env: CompileEnv) {
    const tables: ModuleTables = {
      value: (v) => `K[${this.values.push(v) - 1}]`,
      closure: (c) => `C[${this.closures.push(c) - 1}]`,
      builtin: (fn) => `F[${this.builtins.push(fn) - 1}]`,
      hoist: (build) => {
        const name = `h${this.hoisted++}`;
        this.functions.push(build(name));
        return name;
      },
    };
    this.emitter = new Emitter({ ...env, diagnostics: [] }, tables);
  }

  /**
   * Adds `expr`, whose closure is `fallback`: the handle runs it until `build()`, which then hands
   * the generated function to `built` (so a compiled rule can swap it in).
   */
  add(expr: Expr, fallback: Closure, locals: Locals = new Map(), built?: (fn: Closure) => void): FastHandle {
    const handle: FastHandle = { fn: fallback };
    if (built) this.listeners.set(handle, built);
    const scope = new Scope();
    const body = this.emitter.expr(expr, locals, scope);
    this.functions.push(`function f${this.handles.length}(ctx) {
  ${PRELUDE}
  ${scope.declaration()}
  return ${body};
}`);
    this.handles.push(handle);
    return handle;
  }

  /** Generates and binds every added function; false when the host refused generated code. */
  build(): boolean {
    const names = Object.keys(RUNTIME);
    const source = `"use strict";
const { ${names.join(', ')} } = R;
${this.functions.join('\n')}
return [${this.handles.map((_, i) => `f${i}`).join(', ')}];`;
    let made: Closure[];
    try {
      made = new Function('R', 'K', 'C', 'F', source)(RUNTIME, this.values, this.closures, this.builtins) as Closure[];
    } catch {
      return false;
    }
    this.handles.forEach((h, i) => {
      h.fn = made[i] as Closure;
      this.listeners.get(h)?.(h.fn);
    });
    return true;
  }
}
