/**
 * `where` constraints on input fields, checked after schema validation. The
 * input schema translates many of them to JSON Schema keywords; evaluating
 * all of them here as well is redundant for those but keeps the engine right
 * whatever the translation covers.
 */
import type { FieldDecl, TypeExpr } from '@verdict/language';
import { compileExpr, type Closure, type CompileEnv, type Ctx } from './compiler.ts';
import { EvalState, type Limits } from './context.ts';
import { printExpr } from './print.ts';
import { VError, getOwn, isMap, type Value } from './values.ts';

interface WhereCheck {
  /** Field names; '*' steps into every list item or map value. */
  path: string[];
  check: Closure;
  slot: number;
  text: string;
}

export type WhereChecker = (input: Value, skip: ReadonlySet<string>) => Array<{ path: string; message: string }>;

export function buildWhereChecker(fields: FieldDecl[], env: CompileEnv, limits: Limits, slotCount: () => number): WhereChecker | null {
  const checks: WhereCheck[] = [];
  const visitFields = (fs: FieldDecl[], path: string[]) => {
    for (const f of fs) {
      const p = [...path, f.name];
      if (f.where) {
        const slot = env.newSlot();
        const check = compileExpr(f.where, env, new Map([['value', (ctx: Ctx) => ctx.slots[slot] as Value]]));
        checks.push({ path: p, check, slot, text: printExpr(f.where) });
      }
      visitType(f.type, p);
    }
  };
  const visitType = (t: TypeExpr, path: string[]) => {
    if (t.kind === 'RecordType') visitFields(t.fields, path);
    else if (t.kind === 'ListType') visitType(t.element, [...path, '*']);
    else if (t.kind === 'MapType') visitType(t.value, [...path, '*']);
  };
  visitFields(fields, []);
  if (checks.length === 0) return null;
  return (input, skip) => {
    const out: Array<{ path: string; message: string }> = [];
    const ctx: Ctx = { state: new EvalState(limits), input: {}, params: [], slots: new Array(slotCount()), trace: null, depth: 0 };
    for (const c of checks) {
      for (const [at, value] of expand(input, c.path, '')) {
        if (skip.has(at)) continue;
        ctx.slots[c.slot] = value;
        const ok = c.check(ctx);
        if (ok === false) out.push({ path: at, message: `must satisfy \`${c.text}\`` });
        else if (ok instanceof VError && !ok.absent && ok.code !== 'type_error') out.push({ path: at, message: `its constraint \`${c.text}\` fails: ${ok.message}` });
      }
    }
    return out;
  };
}

function* expand(v: Value, path: string[], at: string): Generator<[string, Value]> {
  if (path.length === 0) {
    yield [at, v];
    return;
  }
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '*') {
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* expand(v[i] as Value, rest, `${at}[${i}]`);
    else if (isMap(v)) for (const k of Object.keys(v)) yield* expand(v[k] as Value, rest, at === '' ? k : `${at}.${k}`);
    return;
  }
  if (!isMap(v)) return;
  const next = getOwn(v, head);
  if (next === undefined) return;
  yield* expand(next, rest, at === '' ? head : `${at}.${head}`);
}
