/**
 * Typed emission: code for inputs the generated quick check accepted, where
 * the input declaration says what every field holds (exact types, finite
 * numbers, plain objects, required fields present). A field read is then one
 * property load, a comparison one operator, and `size` of a list its length,
 * with none of the generic code's guards.
 *
 * Every node emitted here gives exactly what the generic code gives on such
 * an input. The only errors typed code can produce are the evaluation limits'
 * (`limit_exceeded`, which every operator passes on unchanged), so a value
 * that "fails" is either of its type or that error. A node whose operands are
 * not all typed returns null, and the generic emitter writes it (trying typed
 * emission again on each operand).
 *
 * An optional field of a record may be missing: its code then yields
 * `undefined` where the generic code reads null (what the quick check
 * accepted holds no null where a type is static, so `undefined` is exactly
 * "missing"). Only `??`, `==` and `!=` (and further field reads, passing it
 * on) may take it: `??` gives its right side, as for null, and `undefined`
 * compares with `===` as null compares with `==`.
 */
import { extendPath, type Expr } from '@verdict/language';
import { rootedField, type Closure, type CompileEnv, type Locals } from '../compiler.ts';
import { PRELUDE, Scope, constantItems, jsString, literalCode, literalItems, membershipTest, stringEquality, type ModuleTables, type TypedEmission } from './emit.ts';
import { ITEMS_PER_STEP } from '../context.ts';
import { describeName, nameInfo } from './names.ts';
import { isScalar, sameType, staticTypeOfValue, type RecordType, type StaticType } from './static-types.ts';
import type { Value } from '../values.ts';

const NO_LOCALS: Locals = new Map();

interface Typed {
  code: string;
  type: StaticType;
  /** May be the `limit_exceeded` error instead of a value. */
  fails: boolean;
  /** May be `undefined`: an optional field that is not there. */
  absent: boolean;
}

interface TypedLet {
  computer: string;
  type: StaticType;
  fails: boolean;
}

const BOOL: StaticType = { kind: 'bool' };
const NUMBER: StaticType = { kind: 'number' };
const STRING: StaticType = { kind: 'string' };

/** A typed scalar's text, as `toText` and `string()` write it: the string itself, a formatted number, true or false. */
const SCALAR_TEXT: Record<'string' | 'number' | 'bool', (v: string) => string> = {
  string: (v) => v,
  number: (v) => `formatNumber(${v})`,
  bool: (v) => `(${v} ? "true" : "false")`,
};

export class TypedEmitter implements TypedEmission {
  private readonly lets = new Map<number, TypedLet | null | 'pending'>();
  /** Static types of macro variables, by slot. */
  private readonly slotTypes = new Map<number, StaticType>();
  /**
   * Each node's answer, per scope: when a node is not typed, the generic emitter writes it and asks
   * again for each operand, which was already answered (and whose macros were already hoisted).
   */
  private readonly answered = new WeakMap<Scope, Map<Expr, Typed | null>>();
  /** Input paths of optional fields known to be there, by the guards the checker accepts (`presentWhen`). */
  private readonly present = new Set<string>();

  constructor(
    private readonly env: CompileEnv,
    private readonly tables: ModuleTables,
    /** The input's record type. */
    private readonly input: RecordType,
  ) {}

  emit(e: Expr, locals: Locals, scope: Scope): string | null {
    const t = this.typed(e, locals, scope);
    return t === null || t.absent ? null : t.code;
  }

  /**
   * Code giving `e` as the text a message hole renders (`toText` of its value: a number formatted,
   * a list of strings joined with ", "), with `failed(v)` in its place when it fails (a limit);
   * null when it is not typed or has no such text here.
   */
  text(e: Expr, locals: Locals, scope: Scope, failed: (v: string) => string): string | null {
    const t = this.typed(e, locals, scope);
    if (t === null || t.absent) return null;
    const type = t.type;
    const make = isScalar(type) ? SCALAR_TEXT[type.kind] : type.kind === 'list' && type.item.kind === 'string' ? (v: string) => `${v}.join(", ")` : null;
    if (make === null) return null;
    if (!t.fails) return make(t.code);
    const v = scope.tmp();
    return `((${v} = ${t.code}) instanceof VError ? ${failed(v)} : ${make(v)})`;
  }

  private typed(e: Expr, locals: Locals, scope: Scope): Typed | null {
    let known = this.answered.get(scope);
    if (known === undefined) this.answered.set(scope, (known = new Map()));
    const answer = known.get(e);
    if (answer !== undefined) return answer;
    const made = this.emitTyped(e, locals, scope);
    known.set(e, made);
    return made;
  }

  private emitTyped(e: Expr, locals: Locals, scope: Scope): Typed | null {
    switch (e.kind) {
      case 'Bool':
      case 'Number':
      case 'String': {
        const type = staticTypeOfValue(e.value);
        return type && { code: literalCode(e.value, this.tables), type, fails: false, absent: false };
      }
      case 'Ident':
        return this.ident(e, locals, scope);
      case 'Member':
        return this.member(e, locals, scope);
      case 'Has':
        return this.has(e, locals, scope);
      case 'Unary': {
        const operand = this.typed(e.operand, locals, scope);
        if (operand === null || operand.absent) return null;
        if (e.op === '!' && operand.type.kind === 'bool') return { ...operand, code: this.unlessFailed(operand, scope, (v) => `!${v}`) };
        if (e.op === '-' && operand.type.kind === 'number') return { ...operand, code: this.unlessFailed(operand, scope, (v) => `-${v}`) };
        return null;
      }
      case 'Conditional': {
        const test = this.typed(e.test, locals, scope);
        // a branch runs only when the test is exactly true (or false): an error takes neither
        const yes = this.whilePresent(this.presentWhen(e.test, true, locals), () => this.typed(e.consequent, locals, scope));
        const no = this.whilePresent(this.presentWhen(e.test, false, locals), () => this.typed(e.alternate, locals, scope));
        if (test === null || yes === null || no === null || test.absent || yes.absent || no.absent) return null;
        if (test.type.kind !== 'bool' || !sameType(yes.type, no.type)) return null;
        const t = scope.tmp();
        const code = test.fails ? `((${t} = ${test.code}) === true ? ${yes.code} : ${t} === false ? ${no.code} : ${t})` : `(${test.code} ? ${yes.code} : ${no.code})`;
        return { code, type: yes.type, fails: test.fails || yes.fails || no.fails, absent: false };
      }
      case 'Binary':
        return this.binary(e, locals, scope);
      case 'Call':
        return this.call(e, locals, scope);
      case 'Macro':
        return this.macro(e, locals, scope);
      default:
        return null;
    }
  }

  /** `make(v)` applied to the operand's value, or its error as it is. */
  private unlessFailed(operand: Typed, scope: Scope, make: (v: string) => string): string {
    if (!operand.fails) return `(${make(operand.code)})`;
    const t = scope.tmp();
    return `((${t} = ${operand.code}) instanceof VError ? ${t} : ${make(t)})`;
  }

  private ident(e: Extract<Expr, { kind: 'Ident' }>, locals: Locals, scope: Scope): Typed | null {
    const local = locals.get(e.name);
    const global = local ? undefined : this.env.globals.get(e.name);
    const info = local ? nameInfo(local) : global ? nameInfo(global) : undefined;
    if (info === undefined) return null;
    switch (info.kind) {
      case 'input': {
        const field = this.input.fields.get(info.name);
        if (field === undefined || field.type === null) return null;
        // an optional top-level field that is not there is `undefined` here (null to the generic code)
        return { code: `I[${jsString(info.name)}]`, type: field.type, fails: false, absent: field.optional && !this.present.has(info.name) };
      }
      case 'const': {
        const v: Value = (global as (node: number) => Closure)(e.id)(null as never);
        const type = staticTypeOfValue(v);
        return type && { code: literalCode(v, this.tables), type, fails: false, absent: false };
      }
      case 'slot': {
        const type = this.slotTypes.get(info.slot);
        return type === undefined ? null : { code: `SL[${info.slot}]`, type, fails: false, absent: false };
      }
      case 'let': {
        if (info.value === undefined) return null;
        const made = this.typedLet(info.slot, info.value, info.locals ?? new Map());
        if (made === null) return null;
        const closure = (local ?? (global as (node: number) => Closure)(e.id)) as Closure;
        const v = scope.tmp();
        // cached, or computed by its typed code; a let being computed is the closure's cycle error (not reached: typed lets do not read themselves)
        const code = `((${v} = SL[${info.slot}]) !== undefined ? (${v} !== COMPUTING ? ${v} : ${this.tables.closure(closure)}(ctx)) : ${made.computer}(ctx))`;
        return { code, type: made.type, fails: made.fails, absent: false };
      }
      default:
        return null;
    }
  }

  /** A let whose expression is typed gets a typed computer, hoisted once; null otherwise (and for a let that reads itself). */
  private typedLet(slot: number, value: Expr, locals: Locals): TypedLet | null {
    const known = this.lets.get(slot);
    if (known === 'pending') return null;
    if (known !== undefined) return known;
    this.lets.set(slot, 'pending');
    const own = new Scope();
    // a let is computed wherever it is first read, so nothing known where this read is holds in it
    const outer = [...this.present];
    this.present.clear();
    let body: Typed | null;
    try {
      body = this.typed(value, locals, own);
    } finally {
      for (const path of outer) this.present.add(path);
    }
    if (body === null || body.absent) {
      this.lets.set(slot, null);
      return null;
    }
    const computer = this.tables.hoist(
      (name) => `function ${name}(ctx) {
  ${PRELUDE}
  ${own.declaration()}
  SL[${slot}] = COMPUTING;
  const v = ${body.code};
  SL[${slot}] = v;
  return v;
}`,
    );
    const made = { computer, type: body.type, fails: body.fails };
    this.lets.set(slot, made);
    return made;
  }

  /** `make()` with the optional fields at `paths` known to be there. */
  private whilePresent<T>(paths: string[], make: () => T): T {
    const added = paths.filter((p) => !this.present.has(p));
    for (const p of added) this.present.add(p);
    try {
      return make();
    } finally {
      for (const p of added) this.present.delete(p);
    }
  }

  /**
   * The input paths that are there when `e` gives `truth`, as the checker's guard facts: `has(x.f)`,
   * `x.f != null` (and `null != x.f`) true, `x.f == null` false, through `!`, the conjuncts of a
   * true `&&` and the disjuncts of a false `||`. Sound where it is used: the right side of `&&`
   * (`||`) and a branch of `? :` run only when no conjunct is false (no disjunct true), and these
   * tests on a typed input fail only with a limit error, which stops evaluation.
   */
  private presentWhen(e: Expr, truth: boolean, locals: Locals): string[] {
    if (e.kind === 'Has') {
      const path = truth ? this.pathOf(e.target, locals) : null;
      return path === null ? [] : [path];
    }
    if (e.kind === 'Unary') return e.op === '!' ? this.presentWhen(e.operand, !truth, locals) : [];
    if (e.kind !== 'Binary') return [];
    if ((e.op === '&&' && truth) || (e.op === '||' && !truth)) return [...this.presentWhen(e.left, truth, locals), ...this.presentWhen(e.right, truth, locals)];
    if ((e.op === '!=' && truth) || (e.op === '==' && !truth)) {
      const other = e.left.kind === 'Null' ? e.right : e.right.kind === 'Null' ? e.left : null;
      const path = other === null ? null : this.pathOf(other, locals);
      return path === null ? [] : [path];
    }
    return [];
  }

  /**
   * `a.b.c` for field reads of an input field (`input.a` is `a`), or `#<slot>.b.c` of a macro variable (its slot is its
   * own while the macro's body runs, which is where facts about it are used); null for anything
   * else (a let, a table argument, a `?.` on the way).
   */
  private pathOf(e: Expr, locals: Locals): string | null {
    if (e.kind === 'Member' && !e.optional) {
      const field = rootedField(e, locals, this.env);
      if (field !== null) return extendPath('', field);
      const base = this.pathOf(e.object, locals);
      return base === null ? null : extendPath(base, e.property);
    }
    if (e.kind !== 'Ident') return null;
    const local = locals.get(e.name);
    if (local !== undefined) {
      const info = nameInfo(local);
      return info?.kind === 'slot' && this.slotTypes.has(info.slot) ? `#${info.slot}` : null;
    }
    const global = this.env.globals.get(e.name);
    return global !== undefined && nameInfo(global)?.kind === 'input' ? e.name : null;
  }

  private member(e: Extract<Expr, { kind: 'Member' }>, locals: Locals, scope: Scope): Typed | null {
    // `input.f`: the top-level field, read as its name reads it where no local hides it
    const rooted = rootedField(e, locals, this.env);
    if (rooted !== null) return this.ident({ kind: 'Ident', id: e.id, name: rooted, span: e.span }, NO_LOCALS, scope);
    // a dotted global name (`a.b` declared as one) is the generic code's
    if (e.object.kind === 'Ident' && !locals.has(e.object.name) && this.env.globals.has(`${e.object.name}.${e.property}`)) return null;
    const obj = this.typed(e.object, locals, scope);
    if (obj === null || obj.type.kind !== 'record') return null;
    const field = obj.type.fields.get(e.property);
    if (field === undefined || field.type === null) return null;
    const key = jsString(e.property);
    let code: string;
    if (!obj.fails && !obj.absent) code = `${obj.code}[${key}]`;
    else {
      const t = scope.tmp();
      const passOn = [obj.absent ? `${t} === undefined` : '', obj.fails ? `${t} instanceof VError` : ''].filter(Boolean).join(' || ');
      code = `((${t} = ${obj.code}), ${passOn} ? ${t} : ${t}[${key}])`;
    }
    // an optional field is there when a `has` around this read said so
    const missing = field.optional && !this.present.has(this.pathOf(e, locals) ?? '');
    return { code, type: field.type, fails: obj.fails, absent: obj.absent || missing };
  }

  /**
   * `has(x.f)` of a declared field of a typed record: what the quick check accepted holds no
   * field set to `undefined`, so the field is there exactly when it reads as something else.
   */
  private has(e: Extract<Expr, { kind: 'Has' }>, locals: Locals, scope: Scope): Typed | null {
    // `has(input.f)`: a top-level field, the generic code's
    if (rootedField(e.target, locals, this.env) !== null) return null;
    const obj = this.typed(e.target.object, locals, scope);
    if (obj === null || obj.absent || obj.type.kind !== 'record' || !obj.type.fields.has(e.target.property)) return null;
    const key = jsString(e.target.property);
    return { code: this.unlessFailed(obj, scope, (v) => `${v}[${key}] !== undefined`), type: BOOL, fails: obj.fails, absent: false };
  }

  private binary(e: Extract<Expr, { kind: 'Binary' }>, locals: Locals, scope: Scope): Typed | null {
    const op = e.op;
    if (op === 'in') return this.membership(e, locals, scope);
    const equality = op === '==' || op === '!=';
    if (equality && (e.left.kind === 'Null' || e.right.kind === 'Null')) return this.nullComparison(e, locals, scope);
    const left = this.typed(e.left, locals, scope);
    // `has(x.f) && <right>`, `x.f == null || <right>`: the right side runs only when the left says the field is there
    const facts = op === '&&' || op === '||' ? this.presentWhen(e.left, op === '&&', locals) : [];
    const right = this.whilePresent(facts, () => this.typed(e.right, locals, scope));
    // a missing field compares as null: `undefined === x` is `null == x` for a typed (never null) x
    if (left === null || right === null || (right.absent && !equality)) return null;
    const fails = left.fails || right.fails;
    if (op === '??') {
      if (!left.absent) return left; // never null or missing: `??` gives the left side (or its error)
      if (!sameType(left.type, right.type)) return null;
      const t = scope.tmp();
      return { code: `((${t} = ${left.code}) === undefined ? ${right.code} : ${t})`, type: left.type, fails, absent: false };
    }
    if (left.absent && !equality) return null;
    if (op === '+' && left.type.kind === 'string' && right.type.kind === 'string') return this.concat(e.id, left, right, scope);
    if (op === '&&' || op === '||') {
      if (left.type.kind !== 'bool' || right.type.kind !== 'bool') return null;
      if (!left.fails) return { code: `(${left.code} ${op} ${right.code})`, type: BOOL, fails, absent: false };
      // the left side decides, or its error stops (limit errors are fatal); else the right side is the answer
      const t = scope.tmp();
      const decisive = op === '||' ? 'true' : 'false';
      const other = op === '||' ? 'false' : 'true';
      return { code: `((${t} = ${left.code}) === ${decisive} ? ${decisive} : ${t} !== ${other} ? ${t} : ${right.code})`, type: BOOL, fails, absent: false };
    }
    const comparable = equality ? isScalar(left.type) && left.type.kind === right.type.kind : ['<', '<=', '>', '>='].includes(op) && left.type.kind === 'number' && right.type.kind === 'number';
    if (!comparable) return null;
    const js = op === '==' ? '===' : op === '!=' ? '!==' : op;
    // a string literal of fewer than 16 characters on either side: no comparison to charge
    const short = (x: Expr) => x.kind === 'String' && x.value.length < ITEMS_PER_STEP;
    if (equality && left.type.kind === 'string' && !short(e.left) && !short(e.right)) {
      // two long strings of one length are charged before they are compared: the operands in temporaries
      const x = scope.tmp();
      const y = scope.tmp();
      // (a missing optional field is undefined: compared as it is, with nothing to charge)
      const absent = left.absent || right.absent ? `${x} === undefined || ${y} === undefined ? ${x} ${js} ${y} : ` : '';
      const code = this.pair(left, right, scope, (a, b) => `(${x} = ${a}, ${y} = ${b}, ${absent}${stringEquality(x, y, js as '===' | '!==', String(e.id))})`);
      return { code, type: BOOL, fails: true, absent: false };
    }
    return { code: this.pair(left, right, scope, (a, b) => `${a} ${js} ${b}`), type: BOOL, fails, absent: false };
  }

  /**
   * `x == null`, `x != null` (either way round) for a typed `x`: a typed value is never null, so only
   * a missing optional field (`undefined`) is equal to null.
   */
  private nullComparison(e: Extract<Expr, { kind: 'Binary' }>, locals: Locals, scope: Scope): Typed | null {
    const other = e.left.kind === 'Null' ? e.right : e.left;
    const t = this.typed(other, locals, scope);
    if (t === null) return null;
    const js = e.op === '==' ? '===' : '!==';
    return { code: this.unlessFailed(t, scope, (v) => `${v} ${js} undefined`), type: BOOL, fails: t.fails, absent: false };
  }

  /** Two strings joined, under the length limit (as `binary`'s `+`): both operands in order, the first error wins. */
  private concat(node: number, left: Typed, right: Typed, scope: Scope): Typed {
    const a = scope.tmp();
    const b = scope.tmp();
    const joined = `S.checkLength(${a}.length + ${b}.length, ${node}) ?? ${a} + ${b}`;
    const r = right.fails ? `(${b} = ${right.code}) instanceof VError ? ${b} : ${joined}` : `(${b} = ${right.code}, ${joined})`;
    const code = left.fails ? `((${a} = ${left.code}) instanceof VError ? ${a} : ${r})` : `(${a} = ${left.code}, ${r})`;
    return { code, type: STRING, fails: true, absent: false };
  }

  /** Both operands in order (the first error wins), then `make`. */
  private pair(left: Typed, right: Typed, scope: Scope, make: (a: string, b: string) => string): string {
    if (!left.fails && !right.fails) return `(${make(left.code, right.code)})`;
    const a = scope.tmp();
    const b = scope.tmp();
    const l = left.fails ? `(${a} = ${left.code}) instanceof VError ? ${a} : ` : `(${a} = ${left.code}, `;
    const r = right.fails ? `(${b} = ${right.code}) instanceof VError ? ${b} : ${make(a, b)}` : `${make(a, right.code)}`;
    return left.fails ? `(${l}${r})` : `(${l}${r}))`;
  }

  /** `x in <constant list>`: what deepEqual against every item gives, for a string or a finite number (`membershipTest`). */
  private membership(e: Extract<Expr, { kind: 'Binary' }>, locals: Locals, scope: Scope): Typed | null {
    const left = this.typed(e.left, locals, scope);
    if (left === null || left.absent || (left.type.kind !== 'string' && left.type.kind !== 'number')) return null;
    const items = literalItems(e.right) ?? constantItems(e.right, locals, this.env);
    if (items === null) return null;
    const t = scope.tmp();
    const test = membershipTest(items, t, this.tables, String(e.id));
    const code = left.fails ? `((${t} = ${left.code}) instanceof VError ? ${t} : ${test})` : `((${t} = ${left.code}), ${test})`;
    return { code, type: BOOL, fails: left.fails, absent: false };
  }

  /** `size` of a list, `startsWith`/`endsWith` and `join` of strings: arguments in order, one step of the budget, the answer. */
  private call(e: Extract<Expr, { kind: 'Call' }>, locals: Locals, scope: Scope): Typed | null {
    if (this.env.tables.has(e.callee)) return null;
    const argExprs = e.target ? [e.target, ...e.args] : e.args;
    const args: Typed[] = [];
    for (const a of argExprs) {
      const t = this.typed(a, locals, scope);
      if (t === null || t.absent) return null;
      args.push(t);
    }
    let answer: (values: string[]) => string;
    let type: StaticType;
    if (e.callee === 'size' && args.length === 1 && args[0]!.type.kind === 'list') {
      answer = ([x]) => `${x}.length`;
      type = NUMBER;
    } else if ((e.callee === 'startsWith' || e.callee === 'endsWith') && args.length === 2 && args.every((a) => a.type.kind === 'string')) {
      answer = ([x, y]) => `(S.scan(${y}.length, ${e.id}) ?? ${x}.${e.callee}(${y}))`;
      type = BOOL;
    } else if (e.callee === 'join' && args.length >= 1 && args[0]!.type.kind === 'list' && args[0]!.type.item.kind === 'string' && args.slice(1).every((a) => a.type.kind === 'string')) {
      // the items are strings, so each one's text is itself; then the length limit, as the builtin
      const o = scope.tmp();
      answer = ([x, y]) => `(${o} = ${x}.join(${y ?? '""'}), S.checkLength(${o}.length, ${e.id}) ?? ${o})`;
      type = STRING;
    } else if (e.callee === 'string' && args.length === 1 && isScalar(args[0]!.type)) {
      // `toStringValue` of a scalar is its text
      const text = SCALAR_TEXT[args[0]!.type.kind];
      answer = ([x]) => text(x as string);
      type = STRING;
    } else return null;
    const s = scope.tmp();
    const values = args.map((a) => (a.fails ? scope.tmp() : a.code));
    let code = `(${s} = S.step(${e.id})) !== null ? ${s} : ${answer(values)}`;
    for (let i = args.length - 1; i >= 0; i--) {
      const a = args[i]!;
      if (a.fails) code = `(${values[i]} = ${a.code}) instanceof VError ? ${values[i]} : ${code}`;
    }
    return { code: `(${code})`, type, fails: true, absent: false };
  }

  /** `exists`, `all` and `filter` over a typed list with a typed predicate: a hoisted loop, one step per item. */
  private macro(e: Extract<Expr, { kind: 'Macro' }>, locals: Locals, scope: Scope): Typed | null {
    if ((e.macro !== 'exists' && e.macro !== 'all' && e.macro !== 'filter') || e.valueVariable !== null) return null;
    const target = this.typed(e.target, locals, scope);
    if (target === null || target.absent || target.type.kind !== 'list') return null;
    const slot = this.env.newSlot();
    this.slotTypes.set(slot, target.type.item);
    const inner = new Map(locals);
    inner.set(e.variable, describeName((ctx) => ctx.slots[slot] as Value, { kind: 'slot', slot }));
    const own = new Scope();
    const body = this.typed(e.body, inner, own);
    if (body === null || body.absent || body.type.kind !== 'bool') return null;
    let loop: string;
    if (e.macro === 'filter') {
      loop = `const out = [];
  for (let i = 0; i < items.length; i++) {
    const stop = S.step(${e.id}); if (stop !== null) return stop;
    const item = items[i];
    SL[${slot}] = item;
    const keep = ${body.code};
    if (keep === true) out.push(item);
    else if (keep !== false) return keep;
  }
  return out;`;
    } else {
      // the deciding value, or a (fatal) error, ends the loop
      const other = e.macro === 'exists' ? 'false' : 'true';
      loop = `for (let i = 0; i < items.length; i++) {
    const stop = S.step(${e.id}); if (stop !== null) return stop;
    SL[${slot}] = items[i];
    const v = ${body.code};
    if (v !== ${other}) return v;
  }
  return ${other};`;
    }
    const fn = this.tables.hoist(
      (name) => `function ${name}(ctx, items) {
  ${PRELUDE}
  ${own.declaration()}
  ${loop}
}`,
    );
    const type: StaticType = e.macro === 'filter' ? target.type : BOOL;
    return { code: this.unlessFailed(target, scope, (v) => `${fn}(ctx, ${v})`), type, fails: true, absent: false };
  }
}
