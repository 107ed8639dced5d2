/**
 * What a name compiles to, for the code generator. The closure compiler sees
 * names only as closures; a closure (or global factory) described here can be
 * emitted as a direct read instead of a call. Anything not described is
 * called as the closure it is, which is always correct.
 */
import type { Expr, TableRow } from '@verdict/language';
import type { Ctx, Locals } from '../compiler.ts';
import type { Value } from '../values.ts';

export type NameInfo =
  /** A top-level input field, read from `ctx.input`. */
  | { kind: 'input'; name: string; optional: boolean }
  /** A constant: its closure ignores `ctx` and returns the value computed at compile time. */
  | { kind: 'const' }
  /** A run-time parameter, by position in `ctx.params`. */
  | { kind: 'param'; index: number }
  /** A lazily computed `let`: cached in `ctx.slots[slot]` once computed; `value` with the `locals` it sees. */
  | { kind: 'let'; slot: number; value?: Expr; locals?: Locals }
  /** A macro variable or table argument held in `ctx.slots[slot]`. */
  | { kind: 'slot'; slot: number };

const described = new WeakMap<object, NameInfo>();

/** Record what `f` (a closure, or a global's closure factory) reads; returns `f`. */
export function describeName<F extends object>(f: F, info: NameInfo): F {
  described.set(f, info);
  return f;
}

export function nameInfo(f: object): NameInfo | undefined {
  return described.get(f);
}

/** What the generator needs of a decision table: its rows, and the slots its arguments go to. */
export interface TableInfo {
  name: string;
  rows: TableRow[];
  slots: number[];
  /** The table's parameters as locals (each described as its slot). */
  locals: ReadonlyMap<string, (ctx: Ctx) => Value>;
}

const tables = new WeakMap<object, TableInfo>();

export function describeTable<T extends object>(ref: T, info: TableInfo): T {
  tables.set(ref, info);
  return ref;
}

export function tableInfo(ref: object): TableInfo | undefined {
  return tables.get(ref);
}
