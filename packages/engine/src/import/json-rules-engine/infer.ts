/**
 * Infers the input schema from how the rules use each fact and path:
 * numeric operators make numbers, `equal`/`in` values give their kinds,
 * `contains` makes lists, paths make records (or `map<..>` when a key cannot be
 * a Verdict field name), indexes make lists; decorators move a use to the items
 * of a list (`someFact`, `everyFact`) or to the other side (`swap`).
 * Conflicting or unknown uses give `any`, and so does a comparison with `null`
 * (only `any` admits null in Verdict input).
 * Objects reached by paths are open records of the fields read (`{ a?: T, ... }`),
 * so facts with more fields than the rules read are accepted; with `records`
 * they are closed (other fields are refused).
 * Every field is optional: json-rules-engine (with allowUndefinedFacts) treats a
 * missing fact or path as undefined, and the translation does the same.
 */
import { fieldText, type Json } from '../verdict-syntax.ts';
import type { Condition, Decorator, FactRef, JreRule, Operator } from './model.ts';

export type Prim = 'number' | 'string' | 'boolean';

export type VType =
  | { kind: 'prim'; prim: Prim }
  /** `nullable`: the rules compare this value with null (json-rules-engine tells null from a missing value). */
  | { kind: 'any'; nullable?: boolean }
  | { kind: 'list'; elem: VType }
  | { kind: 'record'; fields: Map<string, VType>; open: boolean }
  | { kind: 'map'; value: VType };

interface Usage {
  prims: Set<Prim>;
  keys: Map<string, Usage> | null;
  items: Usage | null;
  nullable: boolean;
}

const usage = (): Usage => ({ prims: new Set(), keys: null, items: null, nullable: false });

/** A side of a comparison while decorators are followed: a constant, or a place in the facts. */
type Side = { kind: 'const'; value: Json } | { kind: 'use'; node: Usage };

/** Field names that are data in JSON but special in JavaScript objects: read them as map keys. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A key that can be a record field (quoted when it is not an identifier). */
export function isRecordKey(name: string): boolean {
  return fieldText(name) !== null && !RESERVED_KEYS.has(name);
}

function primOf(v: Json): Prim | null {
  return typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'boolean' : null;
}

export class Inference {
  private readonly facts = new Map<string, Usage>();
  /** Fact names in first-use order. */
  readonly order: string[] = [];

  /** `records`: objects reached by paths are closed records of their used fields; else open ones. */
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
    const left: Side = { kind: 'use', node: this.at(c.left) };
    const right: Side = c.right.kind === 'ref' ? { kind: 'use', node: this.at(c.right.ref) } : { kind: 'const', value: c.right.value };
    decorated(c.decorators, c.operator, left, right);
  }

  /** The resolved type of every fact, in first-use order. */
  types(): Array<[string, VType]> {
    return this.order.map((f) => [f, resolve(this.facts.get(f)!, this.records)]);
  }
}

/** Records the uses a (decorated) operator makes of its two sides. */
function decorated(decorators: readonly Decorator[], operator: Operator, left: Side, right: Side): void {
  if (decorators.length === 0) return base(operator, left, right);
  const [d, ...rest] = decorators as [Decorator, ...Decorator[]];
  const each = (side: Side, then: (item: Side) => void): void => {
    if (side.kind === 'use') then({ kind: 'use', node: (side.node.items ??= usage()) });
    else if (Array.isArray(side.value)) side.value.forEach((v) => then({ kind: 'const', value: v }));
  };
  switch (d) {
    case 'not':
      return decorated(rest, operator, left, right);
    case 'swap':
      return decorated(rest, operator, right, left);
    case 'someFact':
    case 'everyFact':
      return each(left, (item) => decorated(rest, operator, item, right));
    case 'someValue':
    case 'everyValue':
      return each(right, (item) => decorated(rest, operator, left, item));
  }
}

/** What a use with a constant tells about a place: its kind, or that it may be null. */
function seen(node: Usage, value: Json): void {
  if (value === null) node.nullable = true;
  const p = primOf(value);
  if (p !== null) node.prims.add(p);
}

function base(operator: Operator, left: Side, right: Side): void {
  switch (operator) {
    case 'lessThan':
    case 'lessThanInclusive':
    case 'greaterThan':
    case 'greaterThanInclusive':
      if (left.kind === 'use') left.node.prims.add('number');
      if (right.kind === 'use') right.node.prims.add('number');
      return;
    case 'equal':
    case 'notEqual':
      if (left.kind === 'use' && right.kind === 'const') seen(left.node, right.value);
      if (right.kind === 'use' && left.kind === 'const') seen(right.node, left.value);
      return;
    case 'in':
    case 'notIn':
      return member(left, right);
    case 'contains':
    case 'doesNotContain':
      return member(right, left);
  }
}

/** `item` is looked for among the items of `list`. */
function member(item: Side, list: Side): void {
  if (list.kind === 'use') {
    const items = (list.node.items ??= usage());
    if (item.kind === 'const') seen(items, item.value);
  } else if (item.kind === 'use' && Array.isArray(list.value)) {
    for (const v of list.value) seen(item.node, v);
  }
}

function resolve(u: Usage, records: boolean): VType {
  const shapes = u.prims.size + (u.keys !== null ? 1 : 0) + (u.items !== null ? 1 : 0);
  // Only `any` admits null in Verdict input.
  if (u.nullable) return { kind: 'any', nullable: true };
  if (shapes !== 1) return { kind: 'any' };
  if (u.prims.size === 1) return { kind: 'prim', prim: [...u.prims][0]! };
  if (u.items !== null) return { kind: 'list', elem: resolve(u.items, records) };
  const fields = new Map([...u.keys!].map(([k, v]) => [k, resolve(v, records)] as const));
  if ([...fields.keys()].every(isRecordKey)) return { kind: 'record', fields, open: !records };
  // A key that cannot be a field name (__proto__, a backquote inside): the object is an open map.
  return { kind: 'map', value: { kind: 'any' } };
}

/** The type in Verdict syntax, on one line. */
export function typeText(t: VType): string {
  switch (t.kind) {
    case 'prim':
      return t.prim;
    case 'any':
      return 'any';
    case 'list':
      return `list<${typeText(t.elem)}>`;
    case 'map':
      return `map<${typeText(t.value)}>`;
    case 'record': {
      // One line: the formatter keeps it so when it fits, else makes it a block.
      const fields = [...t.fields].map(([k, v]) => `${fieldText(k)!}?: ${typeText(v)}`);
      if (t.open) fields.push('...');
      return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
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
