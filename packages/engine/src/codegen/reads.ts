/**
 * The `reads` of a violation (the input values its condition read, by dotted path), as one
 * generated function per rule: plain property reads where each step is a plain object, the
 * generic path walk otherwise. Paths come from the source, so they are emitted as JSON string
 * literals only, and a segment named like an `Object.prototype` member always takes the walk.
 */
import { resolveSegments } from '../paths.ts';
import { isPrototypeName, setOwn, toJson, type VMap, type Value } from '../values.ts';
import { jsString as str } from './emit.ts';

export type ReadsOf = (input: VMap) => Record<string, unknown>;

const plain = (v: string) => `${v} !== null && typeof ${v} === "object" && ${v}.constructor === Object`;

/** The generic walk: what the generated function must equal. */
export function readsByWalking(paths: readonly string[]): ReadsOf {
  const split = paths.map((path) => ({ path, segments: path.split('.') }));
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

export function compileReads(paths: readonly string[]): ReadsOf {
  const walk = readsByWalking(paths);
  const segments = paths.map((p) => p.split('.'));
  const lines: string[] = [];
  segments.forEach((segs, k) => {
    const path = paths[k] as string;
    const slow = `W(I, SEG[${k}])`;
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
    const make = new Function('W', 'SEG', 'toJson', 'setOwn', `"use strict"; return function reads(I) { const out = {}; let v; ${lines.join('\n')} return out; };`);
    return make(resolveSegments, segments, toJson, setOwn) as ReadsOf;
  } catch {
    return walk; // a host that refuses generated code
  }
}
