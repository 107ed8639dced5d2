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
  /** Values by param index for these overrides (validated; cached per overrides object). */
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
    defaultValue = defaultClosure(ctx);
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
      convert: converterFor(d.type),
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

  const cache = new WeakMap<object, Value[] | EvaluationError>();
  const api: ParamsApi = {
    defaults,
    validate(overrides) {
      const r = validateValues(overrides);
      if (!Array.isArray(r)) return { ok: false, error: r };
      return { ok: true, values: Object.fromEntries(entries.map((e, i) => [e.name, toJson(r[i] as Value)])) };
    },
    resolve(overrides) {
      if (overrides === undefined) return defaults;
      if (typeof overrides === 'object' && overrides !== null) {
        const hit = cache.get(overrides);
        if (hit) return hit;
      }
      const r = validateValues(overrides);
      if (typeof overrides === 'object' && overrides !== null) cache.set(overrides, r);
      return r;
    },
  };
  return Object.assign(entries.map(({ name, info, defaultValue }) => ({ name, info, defaultValue })), { api });
}
