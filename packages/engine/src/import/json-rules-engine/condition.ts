/**
 * Translates json-rules-engine conditions into Verdict expressions that give
 * the same answer on every input the imported schema accepts, missing facts
 * included. json-rules-engine reads a missing fact or path as `undefined`, and
 * its operators then answer: equal false, notEqual true, in false, notIn true,
 * contains false, doesNotContain false (its fact must be an array), numeric
 * comparisons false. Each read is therefore written `(path ?? D)` with a
 * default D chosen per operator so that the comparison gives that answer.
 * Boolean nodes: all → &&, any → ||, not → !; an empty `all` or `any` is true.
 */
import { jsonLiteral, numberLiteral, stringLiteral, type Json } from '../verdict-syntax.ts';
import type { Condition, FactRef, Operator } from './model.ts';
import { typeAt, type VType } from './infer.ts';

/** Precedence of the produced text: or < and < comparison < unary/atom. */
type Level = 1 | 2 | 3 | 9;
interface Expr {
  text: string;
  level: Level;
}

/** A default that equals no JSON value an input can hold for an `any` field (maps are compared deeply). */
const ABSENT = '{"\\u0000absent": true}';

export class ConditionWriter {
  constructor(private readonly types: Map<string, VType>) {}

  write(c: Condition): string {
    return this.expr(c).text;
  }

  private expr(c: Condition): Expr {
    if (c.kind === 'not') return { text: `!${wrap(this.expr(c.item), 9)}`, level: 9 };
    if (c.kind === 'all' || c.kind === 'any') {
      if (c.items.length === 0) return { text: 'true', level: 9 };
      const parts = c.items.map((x) => this.expr(x));
      if (parts.length === 1) return parts[0]!;
      const level: Level = c.kind === 'all' ? 2 : 1;
      return { text: parts.map((p) => wrap(p, level)).join(c.kind === 'all' ? ' && ' : ' || '), level };
    }
    const left = c.left;
    const t = this.typeOf(left);
    const right = c.right;
    if (right.kind === 'ref') return this.refLeaf(c.operator, left, t, right.ref, this.typeOf(right.ref));
    const v = right.value;
    const lit = (x: Json): string => jsonLiteral(x);
    const cmp = (text: string): Expr => ({ text, level: 3 });
    switch (c.operator) {
      case 'equal':
      case 'notEqual': {
        const op = c.operator === 'equal' ? '==' : '!=';
        // json-rules-engine compares with ===: a list or object value is never identical to a fact value.
        if (typeof v === 'object' && v !== null) return { text: c.operator === 'equal' ? 'false' : 'true', level: 9 };
        return cmp(`${this.read(left, lit(differentFrom(v)))} ${op} ${lit(v)}`);
      }
      case 'lessThan':
        return cmp(`${this.read(left, numberLiteral(v as number))} < ${numberLiteral(v as number)}`);
      case 'greaterThan':
        return cmp(`${this.read(left, numberLiteral(v as number))} > ${numberLiteral(v as number)}`);
      case 'lessThanInclusive':
        return this.inclusive(left, t, v as number, '<=', above(v as number));
      case 'greaterThanInclusive':
        return this.inclusive(left, t, v as number, '>=', below(v as number));
      case 'in':
      case 'notIn': {
        // indexOf uses ===: list or object items never match a fact value.
        const items = (v as Json[]).filter((x) => typeof x !== 'object');
        if (items.length === 0) return { text: c.operator === 'in' ? 'false' : 'true', level: 9 };
        const test = cmp(`${this.read(left, lit(notAmong(items, t)))} in ${lit(items)}`);
        return c.operator === 'in' ? test : { text: `!${wrap(test, 9)}`, level: 9 };
      }
      case 'contains':
        if (typeof v === 'object') return { text: 'false', level: 9 };
        return { text: `${this.read(left, '[]')}.contains(${lit(v)})`, level: 9 };
      case 'doesNotContain':
        // The fact must be an array; an object value is then never among its items.
        if (typeof v === 'object') return this.present(left, t);
        return { text: `!${this.read(left, `[${lit(v)}]`)}.contains(${lit(v)})`, level: 9 };
    }
  }

  private refLeaf(operator: Operator, left: FactRef, t: VType, right: FactRef, u: VType): Expr {
    switch (operator) {
      case 'equal':
      case 'notEqual': {
        // Both missing: undefined === undefined. One missing: unequal. The default differs in kind from both sides.
        const d = otherKind([t, u]);
        return { text: `${this.read(left, d)} ${operator === 'equal' ? '==' : '!='} ${this.read(right, d)}`, level: 3 };
      }
      case 'lessThan':
      case 'lessThanInclusive':
      case 'greaterThan':
      case 'greaterThanInclusive': {
        const op = { lessThan: '<', lessThanInclusive: '<=', greaterThan: '>', greaterThanInclusive: '>=' }[operator];
        const both = `${this.present(left, t).text} && ${this.present(right, u).text}`;
        return { text: `${both} && ${this.read(left, '0')} ${op} ${this.read(right, '0')}`, level: 2 };
      }
      case 'in':
      case 'notIn': {
        const test: Expr = { text: `${this.read(left, otherKind([t, elemOf(u)]))} in ${this.read(right, '[]')}`, level: 3 };
        return operator === 'in' ? test : { text: `!${wrap(test, 9)}`, level: 9 };
      }
      case 'contains':
        return { text: `${this.read(left, '[]')}.contains(${this.read(right, otherKind([elemOf(t), u]))})`, level: 9 };
      case 'doesNotContain':
        return { text: `${this.present(left, t).text} && !${this.read(left, '[]')}.contains(${this.read(right, otherKind([elemOf(t), u]))})`, level: 2 };
    }
  }

  /** `<=`/`>=` with a default beyond `v`; at ±Number.MAX_VALUE there is none, so test presence. */
  private inclusive(left: FactRef, t: VType, v: number, op: '<=' | '>=', beyond: number | null): Expr {
    if (beyond !== null) return { text: `${this.read(left, numberLiteral(beyond))} ${op} ${numberLiteral(v)}`, level: 3 };
    return { text: `${this.present(left, t).text} && ${this.read(left, '0')} ${op} ${numberLiteral(v)}`, level: 2 };
  }

  private typeOf(ref: FactRef): VType {
    return typeAt(this.types.get(ref.fact) ?? { kind: 'any' }, ref);
  }

  /** `fact` present (and every step of its path). */
  private present(ref: FactRef, t: VType): Expr {
    const d = otherKind([t]);
    return { text: `${this.read(ref, d)} != ${d}`, level: 3 };
  }

  /** The value at `ref`, or `fallback` when the fact or any step of its path is missing. */
  read(ref: FactRef, fallback: string): string {
    let chain = ref.fact;
    let type = this.types.get(ref.fact) ?? { kind: 'any' };
    const guards: string[] = [];
    for (const seg of ref.path) {
      if (seg.kind === 'key') {
        chain += type.kind === 'record' ? `?.${seg.name}` : `?.[${stringLiteral(seg.name)}]`;
        type = type.kind === 'record' ? (type.fields.get(seg.name) ?? { kind: 'any' }) : type.kind === 'map' ? type.value : { kind: 'any' };
      } else {
        // An index past the end is an error in Verdict, not an absence: guard it.
        guards.push(`size(${chain} ?? []) > ${seg.index}`);
        chain += `?.[${seg.index}]`;
        type = type.kind === 'list' ? type.elem : { kind: 'any' };
      }
    }
    // The checker joins `any ?? "x"` to the literal type "x" (then refuses comparing it with "y"): give an
    // `any` read a default of type `any` too, the first item of a mixed list.
    if (type.kind === 'any') fallback = `[${fallback}, ${fallback.startsWith('"') ? '0' : '""'}][0]`;
    const value = `(${chain} ?? ${fallback})`;
    return guards.length === 0 ? value : `(${guards.join(' && ')} ? ${value} : ${fallback})`;
  }
}

function wrap(e: Expr, min: Level): string {
  return e.level >= min ? e.text : `(${e.text})`;
}

function elemOf(t: VType): VType {
  return t.kind === 'list' ? t.elem : { kind: 'any' };
}

/** A literal whose kind differs from every given type's (so it equals no value they hold). */
function otherKind(types: VType[]): string {
  const kinds = new Set<string>();
  for (const t of types) {
    if (t.kind === 'any') return ABSENT;
    kinds.add(t.kind === 'prim' ? t.prim : 'composite');
  }
  if (!kinds.has('string')) return '""';
  if (!kinds.has('number')) return '0';
  if (!kinds.has('boolean')) return 'false';
  return ABSENT;
}

/** A value of the same kind as `v` that differs from it. */
function differentFrom(v: Json): Json {
  if (typeof v === 'number') return v === 0 ? 1 : 0;
  if (typeof v === 'string') return v === '' ? '_' : '';
  if (typeof v === 'boolean') return !v;
  return 0;
}

/** A value not among `items`, of the field's kind when it has one. */
function notAmong(items: Json[], t: VType): Json {
  const kind = t.kind === 'prim' ? t.prim : typeof items[0];
  if (kind === 'number') {
    let n = 0;
    while (items.includes(n)) n++;
    return n;
  }
  if (kind === 'string') {
    let s = '';
    while (items.includes(s)) s += '_';
    return s;
  }
  if (kind === 'boolean' && !(items.includes(true) && items.includes(false))) return !items.includes(true);
  return items.some((x) => typeof x === 'number') ? (items.some((x) => typeof x === 'string') ? false : '') : 0;
}

/** A finite number greater than `v` (for `<=`), or null at Number.MAX_VALUE. */
function above(v: number): number | null {
  if (v + 1 > v) return v + 1;
  if (v < 0) return 0;
  return v * 2 < Infinity ? v * 2 : v < Number.MAX_VALUE ? Number.MAX_VALUE : null;
}

/** A finite number less than `v` (for `>=`), or null at -Number.MAX_VALUE. */
function below(v: number): number | null {
  const b = above(-v);
  return b === null ? null : -b;
}
