/**
 * Expression compiler: each AST node becomes a JS closure `(ctx) => Value`,
 * with names, builtins and tables resolved once at compile time. No `eval`,
 * no `new Function`.
 */
import { diagnostic, INPUT_ROOT, type Diagnostic, type Expr, type MemberExpr, type Span } from '@verdict/language';
import { BUILTIN_IMPLS } from './builtins/index.ts';
import { nameInfo } from './codegen/names.ts';
import type { EvalState } from './context.ts';
import { addMapEntry, binary, conditionalTest, has, index, isFatal, isNullish, logicalRest, macroEntries, macroItems, member, optionalIndex, optionalMember, runMacro, runPairMacro, unary, type MacroKind, type PairMacroKind } from './ops.ts';
import { readsOptionalField, type NodeTypes } from './optional-fields.ts';
import { VError, toText, type VMap, type Value } from './values.ts';

/** Marks a lazily computed slot that is being computed (a cycle if re-entered). */
export const COMPUTING = Symbol('computing');

export interface Ctx {
  state: EvalState;
  input: VMap;
  /** Current param values, by param index. */
  params: Value[];
  /** Macro variables, table arguments, `value`, and lazily computed lets. */
  slots: Array<Value | undefined | typeof COMPUTING>;
  /** Sub-expression values recorded by traced closures (explain mode). */
  trace: Array<[number, Value]> | null;
  /** Table call depth (tables may not recurse). */
  depth: number;
  /** Told of lets computed and table rows and cells decided (`verdict test` coverage); absent otherwise. */
  coverage?: CoverageRecorder;
}

/** What test coverage records of an evaluation beyond the rule traces. */
export interface CoverageRecorder {
  let(name: string, value: Value): void;
  /** Row `row` (0-based, `else` included) of `table` gave the result. */
  row(table: string, row: number): void;
  /** The pattern in column `column` of row `row` was tried: it matched or not. */
  cell(table: string, row: number, column: number, matched: boolean): void;
}

export type Closure = (ctx: Ctx) => Value;

export interface TableRef {
  arity: number;
  /** Filled after all tables are compiled, so tables may call each other. */
  call: (args: Value[], ctx: Ctx, node: number) => Value;
}

/** Makes the closure for a global name read at expression node `node`. */
export type GlobalRef = (node: number) => Closure;

export interface CompileEnv {
  globals: Map<string, GlobalRef>;
  tables: Map<string, TableRef>;
  diagnostics: Diagnostic[];
  /** Allocates a fresh slot index. */
  newSlot(): number;
  /** The checker's types, by node id: a read of a declared optional field gives null when absent. None for standalone expressions. */
  types?: NodeTypes;
}

export type Locals = ReadonlyMap<string, Closure>;

export interface CompileOptions {
  /** Record the value of each evaluated non-literal node into `ctx.trace`. */
  traced?: boolean;
}

/** How deep table calls may nest (tables may call tables, never themselves for good). */
export const MAX_TABLE_DEPTH = 64;

export function compileExpr(expr: Expr, env: CompileEnv, locals: Locals = new Map(), opts: CompileOptions = {}): Closure {
  const compiler = new ExprCompiler(env, opts.traced === true);
  return compiler.expr(expr, locals);
}

/** Read a lazily computed slot, computing it once (per ctx) with `compute`. */
export function lazySlot(slot: number, compute: Closure, node: number, name: string): Closure {
  return (ctx) => {
    const cached = ctx.slots[slot];
    if (cached === COMPUTING) return new VError('cycle', `\`${name}\` depends on itself`, node);
    if (cached !== undefined) return cached;
    ctx.slots[slot] = COMPUTING;
    const v = compute(ctx);
    ctx.slots[slot] = v;
    return v;
  };
}

/** `a.b.c` for a chain of plain (not optional) field reads on a name, else null. */
export function dottedPath(e: Expr): string | null {
  if (e.kind === 'Ident') return e.name;
  if (e.kind !== 'Member' || e.optional) return null;
  const head = dottedPath(e.object);
  return head === null ? null : `${head}.${e.property}`;
}

/**
 * `input.f` where `input` is the input document (no global, table or local is named `input`) and
 * `f` a top-level input field: `f`, whose global the read compiles to, so it reads exactly as the
 * name `f` reads (even where a local `f` hides it); null otherwise. The checker types it the same way.
 */
export function rootedField(e: MemberExpr, locals: Locals, env: CompileEnv): string | null {
  if (e.object.kind !== 'Ident' || e.object.name !== INPUT_ROOT) return null;
  if (locals.has(INPUT_ROOT) || env.globals.has(INPUT_ROOT) || env.tables.has(INPUT_ROOT)) return null;
  const global = env.globals.get(e.property);
  return global !== undefined && nameInfo(global)?.kind === 'input' ? e.property : null;
}

/** Deeper expressions are refused at compile time (the closures would overflow the stack). */
export const MAX_EXPR_DEPTH = 400;

class ExprCompiler {
  private inMacro = 0;
  private depth = 0;
  private tooDeep = false;
  constructor(
    private readonly env: CompileEnv,
    private readonly traced: boolean,
  ) {}

  private error(code: string, message: string, span: Span): void {
    this.env.diagnostics.push(diagnostic(code, 'error', message, span));
  }

  /** `quiet`: do not record this node (the object of a field access, summarised by the access). */
  expr(e: Expr, locals: Locals, quiet = false): Closure {
    if (this.depth >= MAX_EXPR_DEPTH) {
      if (!this.tooDeep) this.error('VD5006', `the expression nests more than ${MAX_EXPR_DEPTH} levels deep`, e.span);
      this.tooDeep = true;
      const id = e.id;
      return () => new VError('limit_exceeded', 'the expression nests too deeply', id);
    }
    this.depth++;
    let c: Closure;
    try {
      c = this.node(e, locals);
    } finally {
      this.depth--;
    }
    if (!this.traced || this.inMacro > 0 || quiet) return c;
    switch (e.kind) {
      case 'Null':
      case 'Bool':
      case 'Number':
      case 'String':
      case 'Template':
      case 'List':
      case 'Map':
      case 'ErrorExpr':
        return c;
      default: {
        const id = e.id;
        return (ctx) => {
          const v = c(ctx);
          ctx.trace?.push([id, v]);
          return v;
        };
      }
    }
  }

  private node(e: Expr, locals: Locals): Closure {
    const id = e.id;
    switch (e.kind) {
      case 'Null':
        return () => null;
      case 'Bool': {
        const v = e.value;
        return () => v;
      }
      case 'Number': {
        const v = e.value;
        return () => v;
      }
      case 'String': {
        const v = e.value;
        return () => v;
      }
      case 'Template': {
        const parts = e.parts.map((p) => (typeof p === 'string' ? p : this.expr(p, locals)));
        return (ctx) => {
          let out = '';
          for (const p of parts) {
            if (typeof p === 'string') out += p;
            else {
              const v = p(ctx);
              if (v instanceof VError) return v;
              out += toText(v);
            }
          }
          return ctx.state.checkLength(out.length, id) ?? out;
        };
      }
      case 'Ident': {
        const local = locals.get(e.name);
        if (local) return local;
        const global = this.env.globals.get(e.name);
        if (global) return global(id);
        this.error('VD5001', `unknown name \`${e.name}\``, e.span);
        const name = e.name;
        return () => new VError('unknown_name', `unknown name \`${name}\``, id);
      }
      case 'List': {
        const items = e.items.map((x) => this.expr(x, locals));
        return (ctx) => {
          const out: Value[] = [];
          for (const item of items) {
            const v = item(ctx);
            if (v instanceof VError) return v;
            out.push(v);
          }
          return out;
        };
      }
      case 'Map': {
        const entries = e.entries.map((en) => [this.expr(en.key, locals), this.expr(en.value, locals)] as const);
        return (ctx) => {
          const out: VMap = {};
          for (const [k, v] of entries) {
            const key = k(ctx);
            if (key instanceof VError) return key;
            const value = v(ctx);
            if (value instanceof VError) return value;
            const bad = addMapEntry(out, key, value, id);
            if (bad) return bad;
          }
          return out;
        };
      }
      case 'Member': {
        const field = rootedField(e, locals, this.env);
        if (field !== null) return this.env.globals.get(field)!(id);
        // A binding whose name is a dotted path (`a.b.c`, CEL qualified names) wins over field reads.
        const path = dottedPath(e);
        const qualified = path !== null && !locals.has(path.split('.')[0] as string) ? this.env.globals.get(path) : undefined;
        if (qualified) return qualified(id);
        const obj = this.expr(e.object, locals, true);
        const { property, optional } = e;
        if (readsOptionalField(e, this.env.types)) return (ctx) => optionalMember(obj(ctx), property, optional, id);
        return (ctx) => member(obj(ctx), property, optional, id);
      }
      case 'Index': {
        const obj = this.expr(e.object, locals, true);
        const key = this.expr(e.index, locals);
        const optional = e.optional;
        const read = readsOptionalField(e, this.env.types) ? optionalIndex : index;
        return (ctx) => {
          const o = obj(ctx);
          if (optional && isNullish(o)) return null;
          return read(o, key(ctx), optional, id);
        };
      }
      case 'Has': {
        const field = rootedField(e.target, locals, this.env);
        if (field !== null) return (ctx) => has(ctx.input, field, id);
        const obj = this.expr(e.target.object, locals, true);
        const property = e.target.property;
        return (ctx) => has(obj(ctx), property, id);
      }
      case 'Unary': {
        const operand = this.expr(e.operand, locals);
        const op = e.op;
        return (ctx) => unary(op, operand(ctx), id);
      }
      case 'Conditional': {
        const test = this.expr(e.test, locals);
        const yes = this.expr(e.consequent, locals);
        const no = this.expr(e.alternate, locals);
        return (ctx) => {
          const t = conditionalTest(test(ctx), id);
          if (t instanceof VError) return t;
          return t ? yes(ctx) : no(ctx);
        };
      }
      case 'Binary':
        return this.binary(e, locals);
      case 'Call':
        return this.call(e, locals);
      case 'Macro':
        return this.macro(e, locals);
      case 'ErrorExpr':
        return () => new VError('syntax_error', 'the expression did not parse', id);
    }
  }

  private binary(e: Extract<Expr, { kind: 'Binary' }>, locals: Locals): Closure {
    const id = e.id;
    const left = this.expr(e.left, locals);
    const right = this.expr(e.right, locals);
    const op = e.op;
    if (op === '&&' || op === '||') {
      const decisive = op === '||';
      return (ctx) => {
        const l = left(ctx);
        if (l === decisive) return decisive;
        if (isFatal(l)) return l;
        return logicalRest(op, l, right(ctx), id);
      };
    }
    if (op === '??') {
      return (ctx) => {
        const l = left(ctx);
        return isNullish(l) ? right(ctx) : l;
      };
    }
    return (ctx) => {
      const l = left(ctx);
      if (l instanceof VError) return l;
      return binary(op, l, right(ctx), id, ctx.state);
    };
  }

  private call(e: Extract<Expr, { kind: 'Call' }>, locals: Locals): Closure {
    const id = e.id;
    const argExprs = e.target ? [e.target, ...e.args] : e.args;
    const args = argExprs.map((a) => this.expr(a, locals));
    const evalArgs = (ctx: Ctx): Value[] | VError => {
      const out: Value[] = [];
      for (const a of args) {
        const v = a(ctx);
        if (v instanceof VError) return v;
        out.push(v);
      }
      return out;
    };
    const table = this.env.tables.get(e.callee);
    if (table) {
      if (table.arity !== args.length) {
        this.error('VD5003', `table \`${e.callee}\` takes ${table.arity} argument(s), not ${args.length}`, e.calleeSpan);
      }
      return (ctx) => {
        const vs = evalArgs(ctx);
        if (vs instanceof VError) return vs;
        const stop = ctx.state.step(id);
        if (stop) return stop;
        if (ctx.depth >= MAX_TABLE_DEPTH) return new VError('limit_exceeded', 'tables nest too deeply', id);
        ctx.depth++;
        try {
          return table.call(vs, ctx, id);
        } finally {
          ctx.depth--;
        }
      };
    }
    const impl = BUILTIN_IMPLS.get(e.callee);
    if (!impl) {
      this.error('VD5002', `unknown function \`${e.callee}\``, e.calleeSpan);
      const name = e.callee;
      return () => new VError('unknown_function', `unknown function \`${name}\``, id);
    }
    if (args.length < impl.minArgs || args.length > impl.maxArgs) {
      this.error('VD5003', `\`${e.callee}\` does not take ${args.length} argument(s)`, e.calleeSpan);
      const name = e.callee;
      return () => new VError('type_error', `wrong number of arguments to \`${name}\``, id);
    }
    const fn = impl.fn;
    return (ctx) => {
      const vs = evalArgs(ctx);
      if (vs instanceof VError) return vs;
      return ctx.state.step(id) ?? fn(vs, id, ctx.state);
    };
  }

  private macro(e: Extract<Expr, { kind: 'Macro' }>, locals: Locals): Closure {
    if (e.valueVariable !== null) return this.pairMacro(e, e.valueVariable, locals);
    const id = e.id;
    const target = this.expr(e.target, locals);
    const slot = this.env.newSlot();
    const inner = new Map(locals);
    inner.set(e.variable, (ctx) => ctx.slots[slot] as Value);
    this.inMacro++;
    const body = this.expr(e.body, inner);
    const filter = e.filter ? this.expr(e.filter, inner) : null;
    this.inMacro--;
    const macro = e.macro;
    const bodyFn = (ctx: Ctx) => (item: Value) => {
      ctx.slots[slot] = item;
      return body(ctx);
    };
    const filterFn = filter
      ? (ctx: Ctx) => (item: Value) => {
          ctx.slots[slot] = item;
          return filter(ctx);
        }
      : null;
    return (ctx) => {
      const items = macroItems(target(ctx), id);
      if (items instanceof VError) return items;
      return runMacro(macro as MacroKind, items, filterFn ? filterFn(ctx) : null, bodyFn(ctx), id, ctx.state);
    };
  }

  /** A two-variable comprehension: the index or key and the value in two slots. */
  private pairMacro(e: Extract<Expr, { kind: 'Macro' }>, valueName: string, locals: Locals): Closure {
    const id = e.id;
    const target = this.expr(e.target, locals);
    const keySlot = this.env.newSlot();
    const valueSlot = this.env.newSlot();
    const inner = new Map(locals);
    inner.set(e.variable, (ctx) => ctx.slots[keySlot] as Value);
    inner.set(valueName, (ctx) => ctx.slots[valueSlot] as Value);
    this.inMacro++;
    const body = this.expr(e.body, inner);
    const filter = e.filter ? this.expr(e.filter, inner) : null;
    this.inMacro--;
    const macro = e.macro as PairMacroKind;
    const bind = (ctx: Ctx, f: Closure) => (key: Value, value: Value) => {
      ctx.slots[keySlot] = key;
      ctx.slots[valueSlot] = value;
      return f(ctx);
    };
    return (ctx) => {
      const entries = macroEntries(target(ctx), id);
      if (entries instanceof VError) return entries;
      return runPairMacro(macro, entries, filter ? bind(ctx, filter) : null, bind(ctx, body), id, ctx.state);
    };
  }
}
