/**
 * Expression to JavaScript source, with the closure compiler's semantics.
 *
 * Every construct is emitted as the same helper calls the closures make
 * (`binary`, `member`, `runMacro`'s loop, ...), preceded by a fast path for
 * the common case that is guarded at run time (both operands numbers, a plain
 * object with the field, a list for `size`, ...) and gives exactly what the
 * helper would. Types from the checker are not trusted: a guard that fails
 * takes the helper. (The rule scan's typed twin, run only on inputs the
 * quick check accepted, tries `TypedEmission` first at every node and drops
 * the guards the input's declared types make needless: `emit-typed.ts`.) What is not emitted (list and map literals, very
 * deep trees) is called as its closure, so nothing is lost. Decision tables
 * become one hoisted function each, with the closure's row-by-row matching.
 *
 * Safety against hostile sources: no name or string from the source becomes
 * an identifier; strings are emitted as JSON string literals, other values
 * go through the module's constant table `K`, and properties are read with
 * bracket syntax only when the key is not an `Object.prototype` name.
 */
import type { Expr, TablePattern } from '@verdict/language';
import { BUILTIN_IMPLS } from '../builtins/index.ts';
import { MAX_TABLE_DEPTH, compileExpr, dottedPath, rootedField, type Closure, type CompileEnv, type Locals, type TableRef } from '../compiler.ts';
import { ITEMS_PER_STEP } from '../context.ts';
import { ConstantListCosts } from '../equality.ts';
import { readsOptionalField } from '../optional-fields.ts';
import { isPrototypeName, type Value } from '../values.ts';
import { describeName, nameInfo, tableInfo, type TableInfo } from './names.ts';

/** Deeper subtrees are called as closures (generated source nests one level per node). */
const MAX_DEPTH = 100;

/** Temporaries of one generated function. */
export class Scope {
  private count = 0;
  tmp(): string {
    return `t${this.count++}`;
  }
  declaration(): string {
    if (this.count === 0) return '';
    return `let ${Array.from({ length: this.count }, (_, i) => `t${i}`).join(', ')};`;
  }
}

/** Where emitted code puts what it cannot write as source text. */
export interface ModuleTables {
  /** Values (`K[i]`). */
  value(v: unknown): string;
  /** Closures called with `ctx` (`C[i]`). */
  closure(c: Closure): string;
  /** Builtin implementations (`F[i]`). */
  builtin(fn: unknown): string;
  /** A hoisted helper function's source; returns its name. */
  hoist(build: (name: string) => string): string;
  /**
   * The function (called with `ctx`) that computes the `let` in `slot` and caches it there;
   * `closure` is a read of it, the fallback when the let's own code is not generated.
   */
  letComputer(slot: number, closure: Closure): string;
}

/** The prelude every generated function starts with. */
export const PRELUDE = 'const I = ctx.input, P = ctx.params, SL = ctx.slots, S = ctx.state;';

/** A JS string literal for `s` (JSON's is one: never code, whatever `s` holds). */
export const jsString = (s: string) => JSON.stringify(s);
const str = jsString;

/** A literal for `v`, or its slot in the constant table. */
export function literalCode(v: unknown, tables: ModuleTables): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) return `(${String(v)})`;
  return tables.value(v);
}

/** The items of a list literal of literals; else null. */
export function literalItems(e: Expr): Value[] | null {
  if (e.kind !== 'List') return null;
  const items: Value[] = [];
  for (const x of e.items) {
    if (x.kind === 'Null') items.push(null);
    else if (x.kind === 'String' || x.kind === 'Number' || x.kind === 'Bool') items.push(x.value);
    else return null;
  }
  return items;
}

/** The items of a constant list (a `const` not shadowed by a local); else null. */
export function constantItems(e: Expr, locals: Locals, env: CompileEnv): Value[] | null {
  if (e.kind !== 'Ident' || locals.has(e.name)) return null;
  const global = env.globals.get(e.name);
  const info = global ? nameInfo(global) : undefined;
  if (global === undefined || info?.kind !== 'const') return null;
  const v: Value = global(e.id)(null as never);
  return Array.isArray(v) ? v : null;
}

/** Up to this many items, membership is a chain of comparisons: cheaper than hashing the value. */
const MAX_COMPARED_ITEMS = 8;

/**
 * Membership of the variable `v` in constant `items`, for a `v` that is a string or a number other
 * than NaN: there, `===` and a Set's SameValueZero both give what deepEqual against each item gives.
 */
export function membershipTest(items: Value[], v: string, tables: ModuleTables, node: string): string {
  const test =
    items.length > MAX_COMPARED_ITEMS ? `${tables.value(new Set(items))}.has(${v})`
    : items.length === 0 ? 'false'
    : `(${items.map((x) => `${v} === ${literalCode(x, tables)}`).join(' || ')})`;
  // counted as `contains` counts a search of the list, whatever the test costs here: the scan, then
  // the comparisons of `v` with the list's strings of its length (when it has any 16 or more long)
  const costs = ConstantListCosts.of(items);
  const compared = costs === null ? test : `((typeof ${v} === "string" && ${v}.length >= ${ITEMS_PER_STEP} ? ${tables.value(costs)}.charge(${v}, S, ${node}) : null) ?? ${test})`;
  const steps = Math.floor(items.length / ITEMS_PER_STEP);
  return steps === 0 ? compared : `(S.charge(${steps}, ${node}) ?? ${compared})`;
}

/**
 * `a === b` (or `!==`) of the variables `a` and `b`, where `a` holds a string and `b` a value of
 * the same type: two strings of one length of 16 or more are charged as the cost model counts
 * their comparison (`EvalState.compare`), before it is made.
 */
export function stringEquality(a: string, b: string, js: '===' | '!==', node: string): string {
  return `(${a}.length < ${ITEMS_PER_STEP} || ${a}.length !== ${b}.length ? ${a} ${js} ${b} : S.compare(${a}, ${b}, ${node}) ?? ${a} ${js} ${b})`;
}

/**
 * Typed emission, tried first at every node when set: code that is right only for inputs the
 * quick check accepted, or null for the generic code.
 */
export interface TypedEmission {
  emit(e: Expr, locals: Locals, scope: Scope, depth: number): string | null;
}

export class Emitter {
  private readonly tableFunctions = new Map<TableRef, string>();

  constructor(
    private readonly env: CompileEnv,
    private readonly tables: ModuleTables,
    private readonly typed: TypedEmission | null = null,
  ) {}

  private literal(v: unknown): string {
    return literalCode(v, this.tables);
  }

  private fallback(e: Expr, locals: Locals): string {
    return `${this.tables.closure(compileExpr(e, this.env, locals))}(ctx)`;
  }

  expr(e: Expr, locals: Locals, scope: Scope, depth = 0): string {
    if (depth > MAX_DEPTH) return this.fallback(e, locals);
    const d = depth + 1;
    const typed = this.typed?.emit(e, locals, scope, d);
    if (typed) return typed;
    switch (e.kind) {
      case 'Null':
        return 'null';
      case 'Bool':
      case 'Number':
      case 'String':
        return this.literal(e.value);
      case 'Ident': {
        const local = locals.get(e.name);
        if (local) return this.named(local, local, scope);
        const global = this.env.globals.get(e.name);
        if (global) return this.named(global, global(e.id), scope);
        return this.fallback(e, locals);
      }
      case 'Member': {
        const field = rootedField(e, locals, this.env);
        if (field !== null) {
          const global = this.env.globals.get(field)!;
          return this.named(global, global(e.id), scope);
        }
        const path = dottedPath(e);
        const qualified = path !== null && !locals.has(path.split('.')[0] as string) ? this.env.globals.get(path) : undefined;
        if (qualified) return this.named(qualified, qualified(e.id), scope);
        const obj = this.expr(e.object, locals, scope, d);
        const key = str(e.property);
        // a declared optional field the record leaves out is null (the helper's answer where the fast path misses)
        const read = readsOptionalField(e, this.env.types) ? 'optionalMember' : 'member';
        const helper = (o: string) => `${read}(${o}, ${key}, ${e.optional}, ${e.id})`;
        if (isPrototypeName(e.property)) return helper(obj);
        const o = scope.tmp();
        const v = scope.tmp();
        return `((${o} = ${obj}) !== null && typeof ${o} === "object" && ${o}.constructor === Object && (${v} = ${o}[${key}]) !== undefined ? ${v} : ${helper(o)})`;
      }
      case 'Index': {
        const o = scope.tmp();
        const obj = this.expr(e.object, locals, scope, d);
        const key = this.expr(e.index, locals, scope, d);
        const call = `${readsOptionalField(e, this.env.types) ? 'optionalIndex' : 'index'}(${o}, ${key}, ${e.optional}, ${e.id})`;
        return e.optional ? `(isNullish(${o} = ${obj}) ? null : ${call})` : `(${o} = ${obj}, ${call})`;
      }
      case 'Has': {
        const field = rootedField(e.target, locals, this.env);
        const object = field !== null ? 'I' : this.expr(e.target.object, locals, scope, d);
        return `has(${object}, ${str(e.target.property)}, ${e.id})`;
      }
      case 'Unary': {
        const a = scope.tmp();
        const operand = this.expr(e.operand, locals, scope, d);
        if (e.op === '!') return `((${a} = ${operand}) === true ? false : ${a} === false ? true : unary("!", ${a}, ${e.id}))`;
        return `(typeof (${a} = ${operand}) === "number" ? -${a} : unary("-", ${a}, ${e.id}))`;
      }
      case 'Conditional': {
        const a = scope.tmp();
        const test = this.expr(e.test, locals, scope, d);
        const yes = this.expr(e.consequent, locals, scope, d);
        const no = this.expr(e.alternate, locals, scope, d);
        return `((${a} = ${test}) === true ? ${yes} : ${a} === false ? ${no} : conditionalTest(${a}, ${e.id}))`;
      }
      case 'Binary':
        return this.binary(e, locals, scope, d);
      case 'Call':
        return this.call(e, locals, scope, d);
      case 'Macro':
        return this.macro(e, locals, scope, d);
      case 'Template':
        return this.template(e, locals, scope, d);
      default:
        // list and map literals, parse errors: rare in hot conditions
        return this.fallback(e, locals);
    }
  }

  /** A name: a direct read when its closure is described, else a call of the closure. */
  private named(key: object, closure: Closure, scope: Scope): string {
    const info = nameInfo(key) ?? nameInfo(closure);
    const call = () => `${this.tables.closure(closure)}(ctx)`;
    if (info === undefined) return call();
    switch (info.kind) {
      case 'input': {
        if (isPrototypeName(info.name)) return call();
        const v = scope.tmp();
        // an absent optional field reads as null; an absent required one is the closure's error
        return `((${v} = I[${str(info.name)}]) === undefined ? ${info.optional ? 'null' : call()} : ${v})`;
      }
      case 'const':
        return this.literal(closure(null as never));
      case 'param':
        return `P[${info.index}]`;
      case 'let': {
        const v = scope.tmp();
        // cached: the value; computing: the closure reports the cycle at this read; else compute it
        return `((${v} = SL[${info.slot}]) !== undefined ? (${v} !== COMPUTING ? ${v} : ${call()}) : ${this.tables.letComputer(info.slot, closure)}(ctx))`;
      }
      case 'slot':
        return `SL[${info.slot}]`;
    }
  }

  private binary(e: Extract<Expr, { kind: 'Binary' }>, locals: Locals, scope: Scope, d: number): string {
    const a = scope.tmp();
    const left = this.expr(e.left, locals, scope, d);
    const op = e.op;
    if (op === '&&' || op === '||') {
      const decisive = op === '||' ? 'true' : 'false';
      const other = op === '||' ? 'false' : 'true';
      const b = scope.tmp();
      const right = this.expr(e.right, locals, scope, d);
      // as the closure: the left side alone decides, a fatal error stops, else logicalRest (a boolean pair is the right side)
      return `((${a} = ${left}) === ${decisive} ? ${decisive} : ${a} !== ${other} && isFatal(${a}) ? ${a} : (${b} = ${right}, ${a} === ${other} && (${b} === true || ${b} === false) ? ${b} : logicalRest(${str(op)}, ${a}, ${b}, ${e.id})))`;
    }
    if (op === '??') {
      const right = this.expr(e.right, locals, scope, d);
      return `((${a} = ${left}) === null || (${a} instanceof VError && ${a}.absent) ? ${right} : ${a})`;
    }
    const generic = (l: string, r: string) => `binary(${str(op)}, ${l}, ${r}, ${e.id}, S)`;
    // a literal right operand: one type test on the left
    const lit = e.right.kind === 'String' || e.right.kind === 'Number' || e.right.kind === 'Bool' ? e.right : null;
    if (lit !== null && (op === '==' || op === '!=' || (typeof lit.value === 'number' && ['<', '<=', '>', '>='].includes(op)))) {
      const r = this.literal(lit.value);
      const js = op === '==' ? '===' : op === '!=' ? '!==' : op;
      // a literal of 16 characters or more: compared (and charged) only when the lengths agree
      const test =
        typeof lit.value === 'string' && lit.value.length >= ITEMS_PER_STEP
          ? `(${a}.length !== ${lit.value.length} ? ${op === '!='} : S.charge(${Math.floor(lit.value.length / ITEMS_PER_STEP)}, ${e.id}) ?? ${a} ${js} ${r})`
          : `${a} ${js} ${r}`;
      return `((${a} = ${left}) instanceof VError ? ${a} : typeof ${a} === ${str(typeof lit.value)} ? ${test} : ${generic(a, r)})`;
    }
    if (op === 'in') {
      // a list literal of literals: nothing to evaluate on the right
      const items = literalItems(e.right);
      if (items !== null) {
        const list = this.tables.value(items);
        return `((${a} = ${left}) instanceof VError ? ${a} : (typeof ${a} === "string" || (typeof ${a} === "number" && ${a} === ${a})) ? ${membershipTest(items, a, this.tables, String(e.id))} : ${generic(a, list)})`;
      }
    }
    const b = scope.tmp();
    const right = this.expr(e.right, locals, scope, d);
    const strict = (fast: string) => `((${a} = ${left}) instanceof VError ? ${a} : (${b} = ${right}, ${fast} : ${generic(a, b)}))`;
    const numbers = `typeof ${a} === "number" && typeof ${b} === "number"`;
    switch (op) {
      case '==':
      case '!=':
        // same-typed primitives: deepEqual is === (two long strings of one length charged first)
        return strict(`typeof ${a} === typeof ${b} && typeof ${a} !== "object" ? (typeof ${a} === "string" ? ${stringEquality(a, b, op === '==' ? '===' : '!==', String(e.id))} : ${a} ${op === '==' ? '===' : '!=='} ${b})`);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return strict(`${numbers} ? ${a} ${op} ${b}`);
      case '+':
      case '-':
      case '*': {
        const c = scope.tmp();
        return strict(`${numbers} && Number.isFinite(${c} = ${a} ${op} ${b}) ? ${c}`);
      }
      case '/':
      case '%': {
        const c = scope.tmp();
        return strict(`${numbers} && ${b} !== 0 && Number.isFinite(${c} = ${a} ${op} ${b}) ? ${c}`);
      }
      case 'in': {
        const items = constantItems(e.right, locals, this.env);
        // a string, or a number other than NaN: membership is deepEqual against every item
        if (items !== null) return strict(`(typeof ${a} === "string" || (typeof ${a} === "number" && ${a} === ${a})) ? ${membershipTest(items, a, this.tables, String(e.id))}`);
        return strict(`false ? false`);
      }
      default:
        return strict(`false ? false`);
    }
  }

  private call(e: Extract<Expr, { kind: 'Call' }>, locals: Locals, scope: Scope, d: number): string {
    const argExprs = e.target ? [e.target, ...e.args] : e.args;
    const table = this.env.tables.get(e.callee);
    if (table) return this.tableCall(e, table, argExprs, locals, scope, d);
    const impl = BUILTIN_IMPLS.get(e.callee);
    if (this.env.tables.has(e.callee) || !impl || argExprs.length < impl.minArgs || argExprs.length > impl.maxArgs) return this.fallback(e, locals);
    const temps = argExprs.map(() => scope.tmp());
    const s = scope.tmp();
    const fn = this.tables.builtin(impl.fn);
    const generic = `${fn}([${temps.join(', ')}], ${e.id}, S)`;
    let body = generic;
    const [x, y] = temps;
    if (e.callee === 'size' && temps.length === 1) body = `Array.isArray(${x}) ? ${x}.length : ${generic}`;
    else if ((e.callee === 'startsWith' || e.callee === 'endsWith') && temps.length === 2) {
      body = `typeof ${x} === "string" && typeof ${y} === "string" ? (S.scan(${y}.length, ${e.id}) ?? ${x}.${e.callee}(${y})) : ${generic}`;
    }
    // arguments in order, the first error wins; then one step of the budget
    let out = `(${s} = S.step(${e.id})) !== null ? ${s} : ${body}`;
    for (let i = argExprs.length - 1; i >= 0; i--) {
      const t = temps[i] as string;
      out = `(${t} = ${this.expr(argExprs[i] as Expr, locals, scope, d)}) instanceof VError ? ${t} : ${out}`;
    }
    return `(${out})`;
  }

  /** As the closure: arguments in order (the first error wins), one step, the depth limit, then the rows. */
  private tableCall(e: Extract<Expr, { kind: 'Call' }>, table: TableRef, argExprs: Expr[], locals: Locals, scope: Scope, d: number): string {
    const info = tableInfo(table);
    if (info === undefined || table.arity !== argExprs.length) return this.fallback(e, locals);
    const fn = this.tableFunction(table, info, d);
    const temps = argExprs.map(() => scope.tmp());
    const s = scope.tmp();
    let out = `(${s} = S.step(${e.id})) !== null ? ${s} : ctx.depth >= ${MAX_TABLE_DEPTH} ? new VError("limit_exceeded", "tables nest too deeply", ${e.id}) : ${fn}(ctx, ${e.id}${temps.map((t) => `, ${t}`).join('')})`;
    for (let i = argExprs.length - 1; i >= 0; i--) {
      const t = temps[i] as string;
      out = `(${t} = ${this.expr(argExprs[i] as Expr, locals, scope, d)}) instanceof VError ? ${t} : ${out}`;
    }
    return `(${out})`;
  }

  /** One hoisted function per table (made on first call, so tables may call each other). */
  private tableFunction(table: TableRef, info: TableInfo, d: number): string {
    const known = this.tableFunctions.get(table);
    if (known !== undefined) return known;
    return this.tables.hoist((name) => {
      this.tableFunctions.set(table, name);
      const own = new Scope();
      const args = info.slots.map((_, i) => `a${i}`);
      const rows = info.rows.map((row) => {
        const tests: string[] = [];
        if (!row.isElse) {
          row.patterns.forEach((p, i) => {
            if (p.kind === 'Wildcard') return;
            const m = own.tmp();
            tests.push(`${m} = ${this.pattern(p, args[i] as string, info.locals, own, d)}; if (${m} !== true) { if (${m} === false) break row; return ${m}; }`);
          });
          if (row.guard) {
            const g = own.tmp();
            tests.push(`${g} = ${this.expr(row.guard, info.locals, own, d)}; if (${g} !== true) { if (${g} instanceof VError) return ${g}; break row; }`);
          }
        }
        return `row: { ${tests.join('\n')}\n return ${this.expr(row.result, info.locals, own, d)}; }`;
      });
      return `function ${name}(ctx, node${args.map((a) => `, ${a}`).join('')}) {
  ${PRELUDE}
  ${own.declaration()}
  ${info.slots.map((slot, i) => `SL[${slot}] = a${i};`).join(' ')}
  ctx.depth++;
  try {
    ${rows.join('\n    ')}
    return new VError("no_matching_row", ${str(`no row of table \`${info.name}\` matches`)}, node);
  } finally {
    ctx.depth--;
  }
}`;
    });
  }

  /** A row pattern against argument `arg`, as `matchPattern` decides it: true, false or an error. */
  private pattern(p: Exclude<TablePattern, { kind: 'Wildcard' }>, arg: string, locals: Locals, scope: Scope, d: number): string {
    const generic = (v: string) => `matchPattern(${str(p.kind)}, ${p.kind === 'ComparePattern' ? str(p.op) : 'null'}, ${arg}, ${v}, node, S)`;
    if (p.kind === 'InPattern') {
      const items = literalItems(p.value);
      // a constant list: membership of a string or a non-NaN number is what deepEqual against each item gives
      if (items !== null) return `(typeof ${arg} === "string" || (typeof ${arg} === "number" && ${arg} === ${arg}) ? ${membershipTest(items, arg, this.tables, 'node')} : ${generic(this.expr(p.value, locals, scope, d))})`;
      return generic(this.expr(p.value, locals, scope, d));
    }
    const v = scope.tmp();
    const value = this.expr(p.value, locals, scope, d);
    if (p.kind === 'TestPattern') return `((${v} = ${value}) instanceof VError ? ${v} : ${v} === true)`;
    const sameScalar = `typeof ${v} !== "object" && typeof ${arg} === typeof ${v}`;
    const same = (js: '===' | '!==') => `(typeof ${v} === "string" ? ${stringEquality(v, arg, js, 'node')} : ${arg} ${js} ${v})`;
    if (p.kind === 'EqualsPattern') return `((${v} = ${value}) instanceof VError ? ${v} : ${sameScalar} ? ${same('===')} : ${generic(v)})`;
    if (p.op === '!=') return `((${v} = ${value}) instanceof VError ? ${v} : ${sameScalar} ? ${same('!==')} : ${generic(v)})`;
    return `((${v} = ${value}) instanceof VError ? ${v} : typeof ${arg} === "number" && typeof ${v} === "number" ? ${arg} ${p.op} ${v} : ${generic(v)})`;
  }

  private template(e: Extract<Expr, { kind: 'Template' }>, locals: Locals, scope: Scope, d: number): string {
    const holes: Array<[string, string]> = [];
    const text: string[] = [];
    for (const part of e.parts) {
      if (typeof part === 'string') text.push(str(part));
      else {
        const t = scope.tmp();
        holes.push([t, this.expr(part, locals, scope, d)]);
        text.push(`(typeof ${t} === "string" ? ${t} : toText(${t}))`);
      }
    }
    const o = scope.tmp();
    let out = `(${o} = ${text.length === 0 ? '""' : text.join(' + ')}, S.checkLength(${o}.length, ${e.id}) ?? ${o})`;
    for (let i = holes.length - 1; i >= 0; i--) {
      const [t, code] = holes[i] as [string, string];
      out = `(${t} = ${code}) instanceof VError ? ${t} : ${out}`;
    }
    return `(${out})`;
  }

  /** A hoisted function runs the loop (as `runMacro`), with the variable in its slot as the closures keep it. */
  private macro(e: Extract<Expr, { kind: 'Macro' }>, locals: Locals, scope: Scope, d: number): string {
    // two-variable comprehensions run as the closures do
    if (e.valueVariable !== null) return this.fallback(e, locals);
    const target = this.expr(e.target, locals, scope, d);
    const slot = this.env.newSlot();
    const inner = new Map(locals);
    inner.set(e.variable, describeName((ctx) => ctx.slots[slot] as Value, { kind: 'slot', slot }));
    const own = new Scope();
    const body = this.expr(e.body, inner, own, d);
    const filter = e.filter ? this.expr(e.filter, inner, own, d) : null;
    const id = e.id;
    const name = str(e.macro);
    const predicateError = (v: string) => `typeError(${id}, "\`" + ${name} + "\` needs a boolean predicate, not " + typeName(${v}))`;
    let loop: string;
    if (e.macro === 'all' || e.macro === 'exists') {
      const decisive = e.macro === 'exists' ? 'true' : 'false';
      const other = e.macro === 'exists' ? 'false' : 'true';
      loop = `let pending = null;
  for (let i = 0; i < items.length; i++) {
    const stop = S.step(${id}); if (stop !== null) return stop;
    SL[${slot}] = items[i];
    const v = ${body};
    if (v === ${decisive}) return ${decisive};
    if (v === ${other}) continue;
    if (isFatal(v)) return v;
    if (pending === null) pending = v instanceof VError ? v : ${predicateError('v')};
  }
  return pending ?? ${other};`;
    } else if (e.macro === 'exists_one') {
      loop = `let count = 0;
  for (let i = 0; i < items.length; i++) {
    const stop = S.step(${id}); if (stop !== null) return stop;
    SL[${slot}] = items[i];
    const v = ${body};
    if (v === true) count++;
    else if (v !== false) return v instanceof VError ? v : ${predicateError('v')};
  }
  return count === 1;`;
    } else if (e.macro === 'filter') {
      loop = `const out = [];
  for (let i = 0; i < items.length; i++) {
    const stop = S.step(${id}); if (stop !== null) return stop;
    const item = items[i];
    SL[${slot}] = item;
    const keep = ${body};
    if (keep === true) out.push(item);
    else if (keep !== false) return keep instanceof VError ? keep : ${predicateError('keep')};
  }
  return out;`;
    } else {
      // map, with an optional filter before the transform
      const test =
        filter === null
          ? ''
          : `const keep = ${filter};
    if (keep !== true) { if (keep === false) continue; return keep instanceof VError ? keep : ${predicateError('keep')}; }`;
      loop = `const out = [];
  for (let i = 0; i < items.length; i++) {
    const stop = S.step(${id}); if (stop !== null) return stop;
    SL[${slot}] = items[i];
    ${test}
    const v = ${body};
    if (v instanceof VError) return v;
    out.push(v);
  }
  return out;`;
    }
    const fn = this.tables.hoist(
      (fnName) => `function ${fnName}(ctx, target) {
  ${PRELUDE}
  ${own.declaration()}
  const items = macroItems(target, ${id});
  if (items instanceof VError) return items;
  ${loop}
}`,
    );
    return `${fn}(ctx, ${target})`;
  }
}
