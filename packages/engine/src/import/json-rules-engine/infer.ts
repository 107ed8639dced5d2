/**
 * Infers the input schema from how the rules use each fact and path:
 * numeric operators make numbers, `equal`/`in` values give their kinds,
 * `contains` makes lists, paths make records (or `map<..>` when a key cannot be
 * a Verdict field name), indexes make lists. Conflicting or unknown uses give `any`.
 * By default an object reached by a path is an open `map<any>`, so facts with
 * more fields than the rules read are accepted; with `records` it is a closed,
 * typed record of the fields read (other fields are then refused).
 * Every field is optional: json-rules-engine (with allowUndefinedFacts) treats a
 * missing fact or path as undefined, and the translation does the same.
 */
import { isSoftName, type Json } from '../verdict-syntax.ts';
import type { Condition, FactRef, JreRule } from './model.ts';

export type Prim = 'number' | 'string' | 'boolean';

export type VType =
  | { kind: 'prim'; prim: Prim }
  | { kind: 'any' }
  | { kind: 'list'; elem: VType }
  | { kind: 'record'; fields: Map<string, VType> }
  | { kind: 'map'; value: VType };

interface Usage {
  prims: Set<Prim>;
  keys: Map<string, Usage> | null;
  items: Usage | null;
}

const usage = (): Usage => ({ prims: new Set(), keys: null, items: null });

/** Field names that are data in JSON but special in JavaScript objects: read them as map keys. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isRecordKey(name: string): boolean {
  return isSoftName(name) && !RESERVED_KEYS.has(name);
}

function primOf(v: Json): Prim | null {
  return typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'boolean' : null;
}

export class Inference {
  private readonly facts = new Map<string, Usage>();
  /** Fact names in first-use order. */
  readonly order: string[] = [];

  /** `records`: objects reached by paths become closed records of their used fields; else open `map<any>`. */
  constructor(rules: JreRule[], private readonly records = false) {
    for (const rule of rules) this.visit(rule.conditions);
  }

  private at(ref: FactRef): Usage {
    let node = this.facts.get(ref.fact);
    if (node === undefined) {
      node = usage();
      this.facts.set(ref.fact, node);
      this.order.push(ref.fact);
    }
    for (const seg of ref.path) {
      if (seg.kind === 'key') {
        node.keys ??= new Map();
        let next = node.keys.get(seg.name);
        if (next === undefined) node.keys.set(seg.name, (next = usage()));
        node = next;
      } else node = node.items ??= usage();
    }
    return node;
  }

  private visit(c: Condition): void {
    if (c.kind === 'all' || c.kind === 'any') return c.items.forEach((x) => this.visit(x));
    if (c.kind === 'not') return this.visit(c.item);
    const left = this.at(c.left);
    const right = c.right.kind === 'ref' ? this.at(c.right.ref) : null;
    const value = c.right.kind === 'const' ? c.right.value : null;
    switch (c.operator) {
      case 'lessThan':
      case 'lessThanInclusive':
      case 'greaterThan':
      case 'greaterThanInclusive':
        left.prims.add('number');
        right?.prims.add('number');
        break;
      case 'equal':
      case 'notEqual': {
        const p = value === null ? null : primOf(value);
        if (p !== null) left.prims.add(p);
        break;
      }
      case 'in':
      case 'notIn':
        if (Array.isArray(value)) for (const item of value) {
          const p = primOf(item);
          if (p !== null) left.prims.add(p);
        }
        if (right !== null) right.items ??= usage();
        break;
      case 'contains':
      case 'doesNotContain': {
        const items = (left.items ??= usage());
        const p = value === null ? null : primOf(value);
        if (p !== null) items.prims.add(p);
        break;
      }
    }
  }

  /** The resolved type of every fact, in first-use order. */
  types(): Array<[string, VType]> {
    return this.order.map((f) => [f, resolve(this.facts.get(f)!, this.records)]);
  }
}

function resolve(u: Usage, records: boolean): VType {
  const shapes = u.prims.size + (u.keys !== null ? 1 : 0) + (u.items !== null ? 1 : 0);
  if (shapes !== 1) return { kind: 'any' };
  if (u.prims.size === 1) return { kind: 'prim', prim: [...u.prims][0]! };
  if (u.items !== null) return { kind: 'list', elem: resolve(u.items, records) };
  // Open objects: json-rules-engine facts usually carry more fields than the rules read.
  if (!records) return { kind: 'map', value: { kind: 'any' } };
  const fields = new Map([...u.keys!].map(([k, v]) => [k, resolve(v, records)] as const));
  if ([...fields.keys()].every(isRecordKey)) return { kind: 'record', fields };
  // A key that cannot be a field name: the object is an open map (its other fields unknown).
  return { kind: 'map', value: { kind: 'any' } };
}

/** The type in Verdict syntax; records span lines with the given indent. */
export function typeText(t: VType, indent = ''): string {
  switch (t.kind) {
    case 'prim':
      return t.prim;
    case 'any':
      return 'any';
    case 'list':
      return `list<${typeText(t.elem, indent)}>`;
    case 'map':
      return `map<${typeText(t.value, indent)}>`;
    case 'record': {
      const inner = `${indent}  `;
      const lines = [...t.fields].map(([k, v]) => `${inner}${k}?: ${typeText(v, inner)}`);
      return `{\n${lines.join('\n')}\n${indent}}`;
    }
  }
}

/** The type reached by following a path from a fact's type (`any` past an `any`). */
export function typeAt(root: VType, ref: FactRef): VType {
  let t = root;
  for (const seg of ref.path) {
    if (seg.kind === 'key') t = t.kind === 'record' ? (t.fields.get(seg.name) ?? { kind: 'any' }) : t.kind === 'map' ? t.value : { kind: 'any' };
    else t = t.kind === 'list' ? t.elem : { kind: 'any' };
  }
  return t;
}
