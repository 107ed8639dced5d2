/**
 * `where` constraints on input fields, checked after schema validation. Only
 * the conjuncts the input's JSON Schema does not express (`untranslatedWheres`
 * of @verdict/language) are evaluated here: the rest has already been checked
 * by ajv, and an input that failed it never reaches this point for that path.
 */
import type { Expr, UntranslatedWhere } from '@verdict/language';
import { compileExpr, type Closure, type CompileEnv, type Ctx } from './compiler.ts';
import type { EvalState } from './context.ts';
import { isFatal } from './ops.ts';
import { printExpr } from './print.ts';
import { ValidationSpent } from './validate.ts';
import { VError, getOwn, isMap, type Value } from './values.ts';

interface WhereCheck {
  /** Field names; '*' steps into every list item or map value. */
  path: string[];
  /** The untranslated conjuncts; the constraint holds when each does. */
  conjuncts: Closure[];
  slot: number;
  /** The whole constraint as declared, for messages. */
  text: string;
}

/**
 * The problems of `input`, its conditions evaluated within `state`'s budget (the evaluation's); throws
 * `ValidationSpent` when they spend it.
 */
export type WhereChecker = (input: Value, skip: ReadonlySet<string>, state: EvalState) => Array<{ path: string; message: string }>;

export function buildWhereChecker(untranslated: UntranslatedWhere[], env: CompileEnv, slotCount: () => number): WhereChecker | null {
  const checks: WhereCheck[] = untranslated.map((u) => {
    const slot = env.newSlot();
    const value = new Map([['value', (ctx: Ctx) => ctx.slots[slot] as Value]]);
    return { path: u.path, conjuncts: u.untranslated.map((e: Expr) => compileExpr(e, env, value)), slot, text: printExpr(u.where) };
  });
  if (checks.length === 0) return null;
  return (input, skip, state) => {
    const out: Array<{ path: string; message: string }> = [];
    const ctx: Ctx = { state, input: {}, params: [], slots: new Array(slotCount()), trace: null, depth: 0 };
    for (const c of checks) {
      for (const [at, value] of expand(input, c.path, '')) {
        if (skip.has(at)) continue;
        ctx.slots[c.slot] = value;
        const failure = evaluateConjuncts(c.conjuncts, ctx);
        if (failure === false) out.push({ path: at, message: `must satisfy \`${c.text}\`` });
        else if (failure !== null) out.push({ path: at, message: `its constraint \`${c.text}\` fails: ${failure.message}` });
      }
    }
    return out;
  };
}

/** `a && b && ...` with `&&`'s rules: a false conjunct decides even when another errs. Null when all hold. */
function evaluateConjuncts(conjuncts: Closure[], ctx: Ctx): false | VError | null {
  let error: VError | null = null;
  for (const conjunct of conjuncts) {
    const ok = conjunct(ctx);
    if (ok === false) return false;
    if (isFatal(ok)) throw new ValidationSpent(ok as VError);
    // An absent value or a type mismatch is the schema's to report, not the constraint's.
    if (ok instanceof VError && !ok.absent && ok.code !== 'type_error') error ??= ok;
  }
  return error;
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
