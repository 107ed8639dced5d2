/** Params: defaults, metadata and validation of overrides. */
import { diagnostic, paramJsonSchema, type Diagnostic, type JsonSchema, type ParamDecl, type Ruleset } from '@verdict/language';
import { compileExpr, type Closure, type CompileEnv } from './compiler.ts';
import { EvalState, type Limits } from './context.ts';
import { converterFor, typeSchema } from './schema.ts';
import { Validators, type Validator } from './validate.ts';
import { VError, isMap, toJson, type Value } from './values.ts';
import type { EvaluationError, ParamInfo, ParamsResult } from './types.ts';

export interface CompiledParam {
  name: string;
  info: ParamInfo;
  defaultValue: Value;
}

export interface ParamsApi {
  /** Values by param index when nothing is overridden. */
  readonly defaults: Value[];
  validate(overrides: Record<string, unknown>): ParamsResult;
  /** Values by param index for these overrides (validated; cached per overrides object while its contents are unchanged). */
  resolve(overrides: Record<string, unknown> | undefined): Value[] | EvaluationError;
}

export type CompiledParams = CompiledParam[] & { api: ParamsApi };

export function buildParams(decls: ParamDecl[], ast: Ruleset, env: CompileEnv, limits: Limits, diagnostics: Diagnostic[]): CompiledParams {
  const validators = new Validators();
  const entries: Array<CompiledParam & { check: Validator; where: Closure | null; whereSlot: number; convert: ((v: Value) => Value) | null }> = [];
  for (const d of decls) {
    // the language's schema (type, translated `where`, doc, default); the `where` is also evaluated below
    let schema: JsonSchema;
    try {
      schema = paramJsonSchema(d, ast);
    } catch {
      schema = typeSchema(d.type);
    }
    const whereSlot = env.newSlot();
    const where = d.where ? compileExpr(d.where, env, new Map([['value', (ctx) => ctx.slots[whereSlot] as Value]])) : null;
    const defaultClosure = compileExpr(d.default, env);
    let defaultValue: Value = null;
    // defaults may name consts, which are registered before params
    const ctx = { state: new EvalState(limits), input: {}, params: [], slots: [], trace: null, depth: 0 };
    const convert = converterFor(d.type);
    // a time written as its string where the declared type says timestamp or duration
    defaultValue = convert === null ? defaultClosure(ctx) : convert(defaultClosure(ctx));
    if (defaultValue instanceof VError) {
      diagnostics.push(diagnostic('VD5005', 'error', `the default of param \`${d.name.name}\` does not evaluate: ${defaultValue.message}`, d.default.span));
    }
    entries.push({
      name: d.name.name,
      info: { name: d.name.name, type: schema, default: toJson(defaultValue), doc: d.doc },
      defaultValue,
      check: validators.compile(schema, d.name.name),
      where,
      whereSlot,
      convert,
    });
  }
  const byName = new Map(entries.map((e, i) => [e.name, i]));
  const defaults = entries.map((e) => e.defaultValue);

  const validateValues = (overrides: Record<string, unknown>): Value[] | EvaluationError => {
    const details: Array<{ path: string; message: string }> = [];
    if (!isMap(overrides)) return { code: 'invalid_params', message: 'params must be an object of names to values', details: [{ path: '', message: 'must be an object' }] };
    const values = [...defaults];
    for (const name of Object.keys(overrides)) {
      const i = byName.get(name);
      if (i === undefined) {
        details.push({ path: name, message: `unknown param \`${name}\`` });
        continue;
      }
      const e = entries[i] as (typeof entries)[number];
      const raw = overrides[name];
      const problems = e.check(raw);
      if (problems.length > 0) {
        details.push(...problems);
        continue;
      }
      let v = raw as Value;
      if (e.convert) v = e.convert(v);
      if (e.where) {
        const ctx = { state: new EvalState(limits), input: {}, params: [], slots: [] as Value[], trace: null, depth: 0 };
        ctx.slots[e.whereSlot] = v;
        const ok = e.where(ctx);
        if (ok !== true) {
          details.push({ path: name, message: ok instanceof VError ? `its constraint fails: ${ok.message}` : 'breaks its `where` constraint' });
          continue;
        }
      }
      values[i] = v;
    }
    if (details.length > 0) {
      const names = [...new Set(details.map((d) => d.path.split(/[.[]/)[0]))].join(', ');
      return { code: 'invalid_params', message: `invalid param override: ${names}`, details };
    }
    return values;
  };

  /*
   * The server passes the same params object for every request of a channel, so the validated
   * values are cached per object. A caller may mutate that object between evaluations, so a hit
   * counts only while a snapshot of the contents (taken when it was validated) still matches.
   * A snapshot rather than requiring deeply frozen objects: it is sound for any caller, needs
   * nothing from the server, and the usual hit (a few primitive values) costs one `Object.keys`
   * and a comparison per param; nested lists and maps are compared element by element, which is
   * cheaper than serialising them and, unlike JSON, tells NaN from null.
   */
  const cache = new WeakMap<object, { contents: Snapshot; result: Value[] | EvaluationError }>();
  const api: ParamsApi = {
    defaults,
    validate(overrides) {
      const r = validateValues(overrides);
      if (!Array.isArray(r)) return { ok: false, error: r };
      return { ok: true, values: Object.fromEntries(entries.map((e, i) => [e.name, toJson(r[i] as Value)])) };
    },
    resolve(overrides) {
      if (overrides === undefined) return defaults;
      // an embedding JavaScript caller may pass a non-object, which cannot be a cache key
      if (typeof overrides !== 'object' || overrides === null) return validateValues(overrides);
      const hit = cache.get(overrides);
      if (hit !== undefined && matchesSnapshot(overrides, hit.contents)) return hit.result;
      const contents = snapshotOf(overrides);
      const result = validateValues(overrides);
      if (contents === UNCACHEABLE) cache.delete(overrides);
      else cache.set(overrides, { contents, result });
      return result;
    },
  };
  return Object.assign(entries.map(({ name, info, defaultValue }) => ({ name, info, defaultValue })), { api });
}

/** A copy of plain params data: primitives as they are, lists and maps as the classes below. */
type Snapshot = SnapshotList | SnapshotMap | string | number | boolean | bigint | symbol | null | undefined;

class SnapshotList {
  constructor(readonly items: Snapshot[]) {}
}

/** Keys and values in `Object.keys` order (validation reports problems in that order). */
class SnapshotMap {
  constructor(
    readonly keys: string[],
    readonly values: Snapshot[],
  ) {}
}

/** Contents that are not worth or not safe to snapshot: such overrides are revalidated every time. */
const UNCACHEABLE = Symbol('uncacheable');
/** Lists and maps a snapshot may hold, so a huge or shared-many-times (DAG) structure costs bounded work. */
const SNAPSHOT_NODES = 100_000;
/** Nesting a snapshot may hold, so a cycle or very deep data cannot overflow the stack. */
const SNAPSHOT_DEPTH = 64;

function snapshotOf(value: object): Snapshot | typeof UNCACHEABLE {
  return copyPlain(value, { left: SNAPSHOT_NODES }, 0);
}

/**
 * Plain data only (primitives, arrays without holes, maps as `isMap` tells them): a Date, Map,
 * class instance or function can change without any of its own keys changing, so it is not
 * cached; neither is a sparse array, whose holes every check may not read as `undefined`.
 */
function copyPlain(value: unknown, budget: { left: number }, depth: number): Snapshot | typeof UNCACHEABLE {
  if (typeof value === 'function') return UNCACHEABLE;
  if (typeof value !== 'object' || value === null) return value as Snapshot;
  if (--budget.left < 0 || depth > SNAPSHOT_DEPTH) return UNCACHEABLE;
  if (Array.isArray(value)) {
    const items: Snapshot[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return UNCACHEABLE;
      const item = copyPlain(value[i], budget, depth + 1);
      if (item === UNCACHEABLE) return UNCACHEABLE;
      items.push(item);
    }
    return new SnapshotList(items);
  }
  if (!isMap(value)) return UNCACHEABLE;
  const keys = Object.keys(value);
  const values: Snapshot[] = [];
  for (const key of keys) {
    const item = copyPlain(value[key], budget, depth + 1);
    if (item === UNCACHEABLE) return UNCACHEABLE;
    values.push(item);
  }
  return new SnapshotMap(keys, values);
}

/** Whether `value` still holds what `snapshot` recorded (same keys in the same order, same values). */
function matchesSnapshot(value: unknown, snapshot: Snapshot): boolean {
  if (snapshot instanceof SnapshotList) return Array.isArray(value) && listMatches(value, snapshot);
  if (snapshot instanceof SnapshotMap) return isMap(value) && mapMatches(value, snapshot);
  // Object.is: NaN matches NaN; 0 and -0 differ, which at worst costs a revalidation
  return Object.is(value, snapshot);
}

function listMatches(list: unknown[], snapshot: SnapshotList): boolean {
  if (list.length !== snapshot.items.length) return false;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    // a hole punched where the snapshot had an item (even `undefined`) is a change
    if (item === undefined && !(i in list)) return false;
    if (!matchesSnapshot(item, snapshot.items[i])) return false;
  }
  return true;
}

function mapMatches(map: Record<string, unknown>, snapshot: SnapshotMap): boolean {
  const keys = Object.keys(map);
  if (keys.length !== snapshot.keys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== snapshot.keys[i] || !matchesSnapshot(map[key], snapshot.values[i])) return false;
  }
  return true;
}
