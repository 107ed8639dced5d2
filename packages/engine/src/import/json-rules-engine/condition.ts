/**
 * Translates json-rules-engine conditions into Verdict expressions that give
 * the same answer on every input the imported schema accepts, missing facts
 * included, written as a person would: `has(...)` and `!= null` guards and
 * `??` defaults.
 *
 * json-rules-engine reads a missing fact or path as `undefined`, and its
 * operators then answer: equal false, notEqual true, in false, notIn true,
 * contains and doesNotContain false (the fact must be an array), numeric
 * comparisons false (the fact must be a number). A path into a fact that is
 * null reads null; `null` compares with `===` (so null is not undefined), and
 * as 0 in a numeric comparison (JavaScript's `<`). Boolean nodes: all → &&,
 * any → ||, not → !; an empty `all` or `any` is true. Decorators (see
 * operators.ts) become `exists`/`all` macros, or a disjunction/conjunction
 * over a constant list.
 */
import { fieldText, isPlainName, jsonLiteral, numberLiteral, stringLiteral, uniqueName, type Json } from '../verdict-syntax.ts';
import type { Condition, Decorator, FactRef, Operator } from './model.ts';
import type { VType } from './infer.ts';

/** Precedence of the produced text: or < and < comparison < `??` < unary/atom. */
type Level = 1 | 2 | 3 | 4 | 9;
interface Expr {
  text: string;
  level: Level;
  /** A constant answer, for folding `true && x` and `!false`. */
  value?: boolean;
  /** For `!e`: e, so that `!!e` folds back to e. */
  negated?: Expr;
}

const TRUE: Expr = { text: 'true', level: 9, value: true };
const FALSE: Expr = { text: 'false', level: 9, value: false };
const constant = (b: boolean): Expr => (b ? TRUE : FALSE);

function wrap(e: Expr, min: Level): string {
  return e.level >= min ? e.text : `(${e.text})`;
}

function and(...parts: Expr[]): Expr {
  const kept: Expr[] = [];
  for (const p of parts) {
    if (p.value === false) return FALSE;
    if (p.value !== true) kept.push(p);
  }
  if (kept.length === 0) return TRUE;
  if (kept.length === 1) return kept[0]!;
  return { text: kept.map((p) => wrap(p, 2)).join(' && '), level: 2 };
}

function or(...parts: Expr[]): Expr {
  const kept: Expr[] = [];
  for (const p of parts) {
    if (p.value === true) return TRUE;
    if (p.value !== false) kept.push(p);
  }
  if (kept.length === 0) return FALSE;
  if (kept.length === 1) return kept[0]!;
  // `&&` inside `||` keeps clarifying parentheses (the formatter's rule).
  return { text: kept.map((p) => wrap(p, 3)).join(' || '), level: 1 };
}

function not(e: Expr): Expr {
  if (e.value !== undefined) return constant(!e.value);
  if (e.negated !== undefined) return e.negated;
  return { text: `!${wrap(e, 9)}`, level: 9, negated: e };
}

const cmp = (left: string, op: string, right: string): Expr => ({ text: `${left} ${op} ${right}`, level: 3 });
const atom = (text: string): Expr => ({ text, level: 9 });

/** A value a comparison works on: a constant of the rule, a read of the facts, or a macro variable bound to a list item. */
type Term = { kind: 'const'; value: Json } | { kind: 'read'; ref: FactRef } | { kind: 'item'; name: string; type: VType };

/**
 * What a guard must establish about a value: present (maybe null), present and not null, a
 * number, a list.
 */
type Want = 'present' | 'value' | 'number' | 'list';

/** Conditions under which a read is present (and of the wanted kind), and the plain expression for it once they hold. */
interface Guarded {
  conds: Expr[];
  plain: string;
  type: VType;
}

const NUMERIC_OP: Partial<Record<Operator, string>> = { lessThan: '<', lessThanInclusive: '<=', greaterThan: '>', greaterThanInclusive: '>=' };
const ANY: VType = { kind: 'any' };

export class ConditionWriter {
  /** Names in scope (input fields, then macro variables as they are bound). */
  private readonly names: Set<string>;

  constructor(private readonly types: Map<string, VType>) {
    this.names = new Set(types.keys());
  }

  write(c: Condition): string {
    return this.expr(c).text;
  }

  private expr(c: Condition): Expr {
    if (c.kind === 'not') return not(this.expr(c.item));
    if (c.kind === 'all') return and(...c.items.map((x) => this.expr(x)));
    // json-rules-engine: an empty `any` is true.
    if (c.kind === 'any') return c.items.length === 0 ? TRUE : or(...c.items.map((x) => this.expr(x)));
    const left: Term = { kind: 'read', ref: c.left };
    const right: Term = c.right.kind === 'ref' ? { kind: 'read', ref: c.right.ref } : { kind: 'const', value: c.right.value };
    return this.decorated(c.decorators, c.operator, left, right);
  }

  // ---- decorators ---------------------------------------------------------------------------------

  private decorated(decorators: readonly Decorator[], operator: Operator, left: Term, right: Term): Expr {
    if (decorators.length === 0) return this.base(operator, left, right);
    const [d, ...rest] = decorators as [Decorator, ...Decorator[]];
    switch (d) {
      case 'not':
        return not(this.decorated(rest, operator, left, right));
      case 'swap':
        return this.decorated(rest, operator, right, left);
      case 'someFact':
      case 'everyFact':
        return this.each(left, d === 'someFact' ? 'exists' : 'all', 'item', false, (item) => this.decorated(rest, operator, item, right));
      case 'someValue':
      case 'everyValue':
        return this.each(right, d === 'someValue' ? 'exists' : 'all', 'value', true, (item) => this.decorated(rest, operator, left, item));
    }
  }

  /**
   * `list.exists(x, body)` / `list.all(x, body)`. The fact decorators need an array (false otherwise);
   * the value decorators throw on a missing value list in json-rules-engine, which reads here as empty.
   */
  private each(list: Term, macro: 'exists' | 'all', base: string, missingIsEmpty: boolean, body: (item: Term) => Expr): Expr {
    if (list.kind === 'const') {
      if (!Array.isArray(list.value)) return FALSE;
      const parts = list.value.map((v) => body({ kind: 'const', value: v }));
      return macro === 'exists' ? or(...parts) : and(...parts);
    }
    const name = uniqueName(base, base, this.names);
    try {
      const item: Term = { kind: 'item', name, type: elemOf(this.typeOf(list)) };
      const inner = body(item);
      // `(tags ?? []).exists(...)`: a missing list has no items.
      const l = this.listOf(list);
      if (l.conds.length === 0 && (macro === 'exists' || missingIsEmpty || list.kind === 'item')) return atom(`${l.text}.${macro}(${name}, ${inner.text})`);
      const g = this.guard(list, 'list');
      const call = atom(`${g.plain}.${macro}(${name}, ${inner.text})`);
      return macro === 'all' && missingIsEmpty ? or(not(and(...g.conds)), call) : and(...g.conds, call);
    } finally {
      this.names.delete(name);
    }
  }

  // ---- operators ----------------------------------------------------------------------------------

  private base(operator: Operator, left: Term, right: Term): Expr {
    switch (operator) {
      case 'equal':
        return this.equal(left, right);
      case 'notEqual':
        return this.equal(left, right, true);
      case 'in':
        return this.member(left, right);
      case 'notIn':
        return not(this.member(left, right));
      case 'contains':
        return this.contains(left, right, false);
      case 'doesNotContain':
        return this.contains(left, right, true);
      default:
        return this.numeric(NUMERIC_OP[operator]!, left, right);
    }
  }

  /** `===` (negated for notEqual). */
  private equal(left: Term, right: Term, negate = false): Expr {
    const [term, c] = left.kind === 'const' ? [right, left] : [left, right];
    if (c.kind === 'const') {
      if (term.kind === 'const') throw new Error('internal: a comparison of two constants');
      const v = c.value;
      // A list or object value is never identical (===) to a fact value.
      if (typeof v === 'object' && v !== null) return constant(negate);
      if (v === null) return negate ? not(this.isNull(term)) : this.isNull(term);
      const read = this.compared(term, v);
      if (read !== null) return cmp(wrap(read, 4), negate ? '!=' : '==', jsonLiteral(v));
      const g = this.guard(term, 'value');
      const test = and(...g.conds, cmp(g.plain, '==', jsonLiteral(v)));
      return negate ? not(test) : test;
    }
    // Two reads: equal when both are missing, as undefined === undefined.
    if (!this.mayBeNull(term) && !this.mayBeNull(c)) return cmp(this.orNull(term), negate ? '!=' : '==', this.orNull(c));
    // One may be null: null === null, undefined === undefined, and null is not undefined.
    const a = this.guard(term, 'value');
    const b = this.guard(c, 'value');
    const test = or(
      and(not(this.present(term)), not(this.present(c))),
      and(this.isNull(term), this.isNull(c)),
      and(...a.conds, ...b.conds, cmp(a.plain, '==', b.plain)),
    );
    return negate ? not(test) : test;
  }

  /** `item in list` (json-rules-engine's `list.indexOf(item) > -1`). */
  private member(item: Term, list: Term): Expr {
    if (list.kind === 'const') {
      if (item.kind === 'const') throw new Error('internal: a comparison of two constants');
      // indexOf uses ===: list or object items never match a fact value.
      const values = (list.value as Json[]).filter((x) => typeof x !== 'object');
      const parts: Expr[] = [];
      if ((list.value as Json[]).includes(null)) parts.push(this.isNull(item));
      if (values.length > 0) {
        const literal = jsonLiteral(values);
        const read = this.defaulted(item, values);
        if (read !== null) parts.push(cmp(wrap(read, 4), 'in', literal));
        else {
          const g = this.guard(item, 'value');
          parts.push(and(...g.conds, cmp(g.plain, 'in', literal)));
        }
      }
      return or(...parts);
    }
    // A list read from the facts (json-rules-engine throws when it is missing: it reads here as empty).
    const l = this.listOf(list);
    if (item.kind === 'const') return and(...l.conds, cmp(jsonLiteral(item.value), 'in', l.text));
    // A missing item is never among a list's items (a null one may be).
    const g = this.guard(item, 'present');
    return and(...l.conds, ...g.conds, cmp(g.plain, 'in', l.text));
  }

  /** `list.indexOf(item) > -1` (`=== -1` for doesNotContain), the fact being an array. */
  private contains(list: Term, item: Term, negate: boolean): Expr {
    if (list.kind === 'const') {
      // The fact check of the operator: a constant that is not a list answers false.
      if (!Array.isArray(list.value)) return FALSE;
      const test = this.member(item, list);
      return negate ? not(test) : test;
    }
    let needle: string;
    const conds: Expr[] = [];
    if (item.kind === 'const') {
      if (typeof item.value === 'object' && item.value !== null) {
        // Never among the items: contains is false, doesNotContain holds for any list.
        return negate ? and(...this.guard(list, 'list').conds) : FALSE;
      }
      needle = jsonLiteral(item.value);
    } else {
      // A missing value is never among a list's items (a null one may be).
      const g = this.guard(item, 'present');
      conds.push(...g.conds);
      needle = g.plain;
    }
    if (!negate) {
      const l = this.listOf(list);
      return and(...l.conds, ...conds, atom(`${l.text}.contains(${needle})`));
    }
    // A missing list is not an array: doesNotContain is false there.
    const g = this.guard(list, 'list');
    return and(...g.conds, not(and(...conds, atom(`${g.plain}.contains(${needle})`))));
  }

  /** `<`, `<=`, `>`, `>=`: the fact side must be a number; a null on the other side counts as 0. */
  private numeric(op: string, left: Term, right: Term): Expr {
    if (left.kind === 'const') {
      if (right.kind === 'const') throw new Error('internal: a comparison of two constants');
      // Only a number passes json-rules-engine's number check here (strings were refused on reading).
      if (typeof left.value !== 'number') return FALSE;
      const v = numberLiteral(left.value);
      return this.numericRight(right, (r) => cmp(v, op, r), (zero) => constant(compare(left.value as number, op, zero)));
    }
    if (right.kind === 'const') {
      const v = right.value === null ? 0 : (right.value as number);
      // `(x ?? 0) > 5` where a missing x (read as 0) fails the test as json-rules-engine's undefined does.
      const read = this.defaulted(left, [1]);
      if (read !== null && !compare(0, op, v) && isNumber(this.typeOf(left))) return cmp(wrap(read, 4), op, numberLiteral(v));
      const g = this.guard(left, 'number');
      return and(...g.conds, cmp(g.plain, op, numberLiteral(v)));
    }
    const g = this.guard(left, 'number');
    return and(...g.conds, this.numericRight(right, (r) => cmp(g.plain, op, r), () => cmp(g.plain, op, '0')));
  }

  /** A numeric comparison with a read on the right: false when it is missing, against 0 when it is null. */
  private numericRight(right: Term, test: (plain: string) => Expr, againstZero: (zero: number) => Expr): Expr {
    const g = this.guard(right, 'number');
    const present = and(...g.conds, test(g.plain));
    return this.mayBeNull(right) ? or(and(this.isNull(right), againstZero(0)), present) : present;
  }

  // ---- reading the facts --------------------------------------------------------------------------

  private typeOf(t: Term): VType {
    if (t.kind === 'item') return t.type;
    if (t.kind === 'const') return ANY;
    let type = this.factType(t.ref.fact);
    for (const seg of t.ref.path) type = step(type, seg).type;
    return type;
  }

  private factType(fact: string): VType {
    return this.types.get(fact) ?? ANY;
  }

  /**
   * `u?.a?.b` and the type it reaches, when `?.` and `??` read it safely: every step a key of a
   * record or a map (an index past the end, or a step into a value that is not an object, is an
   * error in Verdict, not an absence).
   */
  private chain(t: Term): { text: string; type: VType; top: boolean } | null {
    if (t.kind !== 'read') return null;
    let type = this.factType(t.ref.fact);
    let text = fieldName(t.ref.fact);
    for (const seg of t.ref.path) {
      if (seg.kind === 'index' || (type.kind !== 'record' && type.kind !== 'map')) return null;
      const s = step(type, seg);
      text += `?.${s.access}`;
      type = s.type;
    }
    return { text, type, top: t.ref.path.length === 0 };
  }

  /**
   * The read with a default D standing for "missing" (json-rules-engine's undefined): `(u?.a ?? D)`,
   * D being the empty value of the type ("", 0, false) when it is not among `avoid`; else null
   * where `orNull` (only `==` and `!=` take a value that may be null). Null when the read needs
   * a guard instead.
   */
  private defaulted(t: Term, avoid: Json[], orNull = false): Expr | null {
    if (t.kind === 'item') return atom(t.name);
    const c = this.chain(t);
    if (c === null) return null;
    const d = naturalDefault(c.type, avoid) ?? (orNull ? 'null' : null);
    return d === null ? null : { text: `${c.text} ?? ${d}`, level: 4 };
  }

  /** For `==`/`!=` with a value: a top-level field reads as null when missing, which compares as undefined does. */
  private compared(t: Term, v: Json): Expr | null {
    const c = this.chain(t);
    if (c !== null && c.top) return atom(c.text);
    return this.defaulted(t, [v], true);
  }

  /** The value, or null when missing: for comparing two reads with `==`. */
  private orNull(t: Term): string {
    if (t.kind === 'const') return jsonLiteral(t.value);
    if (t.kind === 'item') return t.name;
    const c = this.chain(t);
    if (c !== null) return c.top ? c.text : `(${c.text} ?? null)`;
    const g = this.guard(t, 'value');
    return `(${and(...g.conds).text} ? ${g.plain} : null)`;
  }

  /** A list to look in or iterate: `(l ?? [])`, an item, or a guarded read. */
  private listOf(t: Term): { conds: Expr[]; text: string } {
    const c = this.chain(t);
    if (c !== null && c.type.kind === 'list') return { conds: [], text: `(${c.text} ?? [])` };
    const g = this.guard(t, 'list');
    return { conds: g.conds, text: g.plain };
  }

  /** The conditions for the value to be present, not null and of the wanted kind, and the plain read. */
  private guard(t: Term, want: Want): Guarded {
    if (t.kind === 'const') return { conds: [], plain: jsonLiteral(t.value), type: ANY };
    if (t.kind === 'item') return { conds: kindCheck(t.name, t.type, want, false), plain: t.name, type: t.type };
    const s = this.steps(t.ref);
    const top = t.ref.path.length === 0;
    // A fact compared with null may be given as null: `has(input.x)` tells it from a missing one.
    if (top && want === 'present' && isNullable(s.type)) return { conds: [hasTop(t.ref.fact)], plain: s.plain, type: s.type };
    return { conds: [...s.conds, ...kindCheck(s.plain, s.type, want, top)], plain: s.plain, type: s.type };
  }

  /**
   * The conditions for every step of the path to exist (the last value may be null), and the read.
   * `has(...)` guards a record field, `"k" in m` a map key, `size(l) > i` an index, `type(x) == ..`
   * a step into an `any`. After an index the checker does not follow `has` guards into the item's
   * fields, so such a read is written `(l[0]?.a?.b ?? D)` (D never used: the guards hold).
   */
  private steps(ref: FactRef): Guarded {
    let type = this.factType(ref.fact);
    let path = fieldName(ref.fact);
    let read = path;
    let afterIndex = false;
    let optional = false;
    const conds: Expr[] = [];
    // `type(u) == "map"` below also says u is not null.
    if (ref.path.length > 0 && type.kind !== 'any') conds.push(cmp(path, '!=', 'null'));
    const current = (): string => (optional ? `(${read} ?? null)` : read);
    for (const seg of ref.path) {
      const s = step(type, seg);
      if (seg.kind === 'key') {
        if (type.kind === 'record') conds.push(atom(`has(${path}.${s.access})`));
        else {
          if (type.kind === 'any') conds.push(cmp(`type(${current()})`, '==', '"map"'));
          conds.push(cmp(stringLiteral(seg.name), 'in', current()));
        }
      } else {
        if (type.kind === 'any') conds.push(cmp(`type(${current()})`, '==', '"list"'));
        conds.push(cmp(`size(${current()})`, '>', String(seg.index)));
      }
      const access = s.access.startsWith('[') ? s.access : `.${s.access}`;
      path += access;
      if (seg.kind === 'key' && afterIndex) {
        read += optional ? `?${access.startsWith('[') ? '.' : ''}${access}` : access;
        optional = true;
      } else read += optional ? `?.${access.startsWith('.') ? access.slice(1) : access}` : access;
      if (seg.kind === 'index') afterIndex = true;
      type = s.type;
    }
    return { conds, plain: optional ? `(${read} ?? ${emptyOf(type)})` : read, type };
  }

  /** json-rules-engine reads a value here, null included (not undefined). */
  private present(t: Term): Expr {
    return and(...this.guard(t, 'present').conds);
  }

  /** Whether json-rules-engine can read null here: the fact, or the value, is compared with null in the rules. */
  private mayBeNull(t: Term): boolean {
    if (t.kind === 'const') return t.value === null;
    if (t.kind === 'item') return t.type.kind === 'any';
    return isNullable(this.factType(t.ref.fact)) || isNullable(this.typeOf(t));
  }

  /** json-rules-engine reads null (not undefined) here; a path into a null fact reads null. */
  private isNull(t: Term): Expr {
    if (t.kind === 'const') return constant(t.value === null);
    if (t.kind === 'item') return t.type.kind === 'any' ? cmp(t.name, '==', 'null') : FALSE;
    const parts: Expr[] = [];
    const name = fieldName(t.ref.fact);
    if (isNullable(this.factType(t.ref.fact))) parts.push(and(hasTop(t.ref.fact), cmp(name, '==', 'null')));
    if (t.ref.path.length > 0 && isNullable(this.typeOf(t))) {
      const s = this.steps(t.ref);
      parts.push(and(...s.conds, cmp(s.plain, '==', 'null')));
    }
    return or(...parts);
  }
}

/** The top-level field is in the input (null included): `has(input.x)`. */
function hasTop(fact: string): Expr {
  return atom(`has(input.${fieldText(fact)!})`);
}

function isNullable(t: VType): boolean {
  return t.kind === 'any' && t.nullable === true;
}

function isNumber(t: VType): boolean {
  return t.kind === 'prim' && t.prim === 'number';
}

function elemOf(t: VType): VType {
  return t.kind === 'list' ? t.elem : ANY;
}

/**
 * On a read whose steps exist: a number or a list where wanted, and not null. A top-level field
 * may be missing (`x != null`); a typed field that exists is never null (Verdict input has no null
 * but in `any`).
 */
function kindCheck(plain: string, type: VType, want: Want, top: boolean): Expr[] {
  if (want === 'present') return top ? [cmp(plain, '!=', 'null')] : [];
  if (type.kind === 'any') {
    if (want === 'number') return [cmp(`type(${plain})`, '==', '"double"')];
    if (want === 'list') return [cmp(`type(${plain})`, '==', '"list"')];
    return [cmp(plain, '!=', 'null')];
  }
  return top ? [cmp(plain, '!=', 'null')] : [];
}

/** One step of a path: how to write it after the value, and the type it reaches. */
function step(type: VType, seg: FactRef['path'][number]): { access: string; type: VType } {
  if (seg.kind === 'index') return { access: `[${seg.index}]`, type: type.kind === 'list' ? type.elem : ANY };
  if (type.kind === 'record') return { access: fieldText(seg.name)!, type: type.fields.get(seg.name) ?? ANY };
  const access = isPlainName(seg.name) ? seg.name : `[${stringLiteral(seg.name)}]`;
  return { access, type: type.kind === 'map' ? type.value : ANY };
}

/** A top-level field as written in an expression: its name, or `` input.`account-information` ``. */
function fieldName(fact: string): string {
  return isPlainName(fact) ? fact : `input.${fieldText(fact)!}`;
}

/** A value of the type, for a default that the guards keep from being used. */
function emptyOf(type: VType): string {
  if (type.kind === 'prim') return type.prim === 'number' ? '0' : type.prim === 'string' ? '""' : 'false';
  if (type.kind === 'list') return '[]';
  if (type.kind === 'record' || type.kind === 'map') return '{}';
  return 'null';
}

/** The empty value of a type ("", 0, false, []), or null when it is among `avoid` or the type has none. */
function naturalDefault(type: VType, avoid: Json[]): string | null {
  const candidate: Json | undefined =
    type.kind === 'prim' ? (type.prim === 'number' ? 0 : type.prim === 'string' ? '' : false) : type.kind === 'list' ? [] : undefined;
  if (candidate === undefined || avoid.some((a) => a === candidate)) return null;
  return jsonLiteral(candidate);
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}
