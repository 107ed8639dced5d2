/**
 * The `reads` of a violation (the input values its condition read, by dotted path), as one
 * generated function per rule: plain property reads where each step is a plain object, the
 * generic path walk otherwise. Paths come from the source, so they are emitted as JSON string
 * literals only, and a segment named like an `Object.prototype` member always takes the walk.
 */
import { splitPath } from '@verdict/language';
import { resolveSegments } from '../paths.ts';
import { isPrototypeName, setOwn, toJson, type VMap, type Value } from '../values.ts';
import { jsString as str } from './emit.ts';
import { isScalar, type RecordType, type StaticType } from './static-types.ts';

export type ReadsOf = (input: VMap) => Record<string, unknown>;

const plain = (v: string) => `${v} !== null && typeof ${v} === "object" && ${v}.constructor === Object`;

/** The generic walk: what the generated function must equal. */
export function readsByWalking(paths: readonly string[]): ReadsOf {
  const split = paths.map((path) => ({ path, segments: splitPath(path) }));
  return (input) => {
    const out: Record<string, unknown> = {};
    for (const { path, segments } of split) {
      const v = resolveSegments(input, segments);
      if (v === undefined) continue;
      // a field may be called `__proto__`: define it as data rather than assign through the setter
      if (path === '__proto__') setOwn(out as VMap, path, toJson(v) as Value);
      else out[path] = toJson(v);
    }
    return out;
  };
}

/**
 * With `input` (the input's record type, for inputs the quick check accepted), a path whose every
 * step is a declared field is read with no test but `undefined` after an optional field, and a
 * list of strings, numbers or booleans is copied with `slice` (what `toJson` gives for one).
 */
export function compileReads(paths: readonly string[], input: RecordType | null = null): ReadsOf {
  const walk = readsByWalking(paths);
  const segments = paths.map((p) => splitPath(p));
  const lines: string[] = [];
  // the leading paths that are always there (typed, no optional field on the way) make the object
  // literal, so it is made with all of its keys at once; key order stays the paths' order
  const leading: string[] = [];
  segments.forEach((segs, k) => {
    const path = paths[k] as string;
    const slow = `W(I, SEG[${k}])`;
    const always = input === null || lines.length > 0 ? null : requiredRead(segs, input);
    if (always !== null) {
      leading.push(`${str(path)}: ${always}`);
      return;
    }
    const typed = input === null ? null : typedRead(segs, input);
    if (typed !== null) {
      // (no typed path names an `Object.prototype` member, `__proto__` included)
      lines.push(typed, `if (v !== undefined) out[${str(path)}] = v;`);
      return;
    }
    if (segs.some(isPrototypeName)) lines.push(`v = ${slow};`);
    else {
      // v = I[s0]; then each further step reads on a plain object or walks the whole path
      let step = '';
      for (let i = segs.length - 1; i >= 1; i--) {
        step = `if (v !== undefined) { if (${plain('v')}) { v = v[${str(segs[i] as string)}]; ${step} } else v = ${slow}; }`;
      }
      lines.push(`v = I[${str(segs[0] as string)}]; ${step}`);
    }
    const value = '(v === null || typeof v !== "object" ? v : toJson(v))';
    lines.push(path === '__proto__' ? `if (v !== undefined) setOwn(out, "__proto__", ${value});` : `if (v !== undefined) out[${str(path)}] = ${value};`);
  });
  try {
    const make = new Function('W', 'SEG', 'toJson', 'setOwn', `"use strict"; return function reads(I) { const out = { ${leading.join(', ')} }; let v; ${lines.join('\n')} return out; };`);
    return make(resolveSegments, segments, toJson, setOwn) as ReadsOf;
  } catch {
    return walk; // a host that refuses generated code
  }
}

/** The steps of `segs` through declared fields with static types (each step's optionality) and the type at its end; null otherwise. */
function typedPath(segs: string[], input: RecordType): { optional: boolean[]; type: StaticType } | null {
  let type: StaticType = input;
  const optional: boolean[] = [];
  for (const seg of segs) {
    if (type.kind !== 'record' || isPrototypeName(seg)) return null;
    const field = type.fields.get(seg);
    if (field === undefined || field.type === null) return null;
    optional.push(field.optional);
    type = field.type;
  }
  return { optional, type };
}

/** `v` as JSON, for a value of `type`: a scalar as it is, a list of scalars copied with `slice`, anything else through `toJson`. */
const jsonOf = (type: StaticType, v: string) => (isScalar(type) ? v : type.kind === 'list' && isScalar(type.item) ? `${v}.slice()` : `toJson(${v})`);

/** The JSON of the value at `segs` as one expression, when every step is a required field with a static type; else null. */
function requiredRead(segs: string[], input: RecordType): string | null {
  const path = typedPath(segs, input);
  if (path === null || path.optional.includes(true)) return null;
  return jsonOf(path.type, `I${segs.map((seg) => `[${str(seg)}]`).join('')}`);
}

/** Statements leaving in `v` the JSON of the value at `segs` (undefined when an optional field is missing), or null if a step has no static type. */
function typedRead(segs: string[], input: RecordType): string | null {
  const path = typedPath(segs, input);
  if (path === null) return null;
  let code = 'v = I;';
  let close = '';
  segs.forEach((seg, i) => {
    code += ` v = v[${str(seg)}];`;
    if (path.optional[i]) {
      code += ' if (v !== undefined) {';
      close += ' }';
    }
  });
  return `${code}${isScalar(path.type) ? '' : ` v = ${jsonOf(path.type, 'v')};`}${close}`;
}
