/**
 * cel-js's side, for the side-by-side table: corpus values become cel-js
 * values (int as BigInt, uint as its UnsignedInt, bytes as Uint8Array, ...)
 * and results must match in CEL's own types. Never affects the exit code.
 */
import { Environment } from '@marcbachmann/cel-js';
import { base64Bytes, isTag, sameNumber, specialDouble, type CelCase, type Tagged } from './cases.ts';
import type { Outcome } from './verdict.ts';

const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });

// Classes cel-js does not export from its entry point, taken from values it makes.
const UnsignedInt = (env.evaluate('0u') as object).constructor as new (v: bigint) => { valueOf(): bigint };
const DurationClass = (env.evaluate("duration('0s')") as object).constructor;

type Dur = { seconds: bigint; nanos: number };

function toCel(v: Tagged): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toCel);
  if (isTag(v, '$int')) return BigInt(v['$int'] as string);
  if (isTag(v, '$uint')) return new UnsignedInt(BigInt(v['$uint'] as string));
  if (isTag(v, '$double')) return specialDouble(v['$double'] as string);
  if (isTag(v, '$bytes')) return base64Bytes(v['$bytes'] as string);
  if (isTag(v, '$timestamp')) return new Date(v['$timestamp'] as string);
  if (isTag(v, '$duration')) return env.evaluate(`duration('${v['$duration'] as string}')`);
  if (isTag(v, '$map')) return new Map((v['$map'] as Tagged[][]).map((pair): [unknown, unknown] => [toCel(pair[0] as Tagged), toCel(pair[1] as Tagged)]));
  return Object.fromEntries(Object.entries(v as Record<string, Tagged>).map(([k, x]) => [k, toCel(x)]));
}

function entriesOf(v: unknown): Array<[string, unknown]> | null {
  if (v instanceof Map) return [...v.entries()].map(([k, x]) => [String(k), x]);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.entries(v);
  return null;
}

/** Does cel-js's `got` match the tagged expectation, CEL types included? */
function matches(want: Tagged, got: unknown): boolean {
  if (want === null || typeof want === 'boolean' || typeof want === 'string') return got === want;
  if (typeof want === 'number') return typeof got === 'number' && sameNumber(want, got);
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => matches(w, got[i]));
  if (isTag(want, '$int')) return typeof got === 'bigint' && got === BigInt(want['$int'] as string);
  if (isTag(want, '$uint')) return got instanceof UnsignedInt && got.valueOf() === BigInt(want['$uint'] as string);
  if (isTag(want, '$double')) return typeof got === 'number' && sameNumber(specialDouble(want['$double'] as string), got);
  if (isTag(want, '$bytes')) {
    const b = base64Bytes(want['$bytes'] as string);
    return got instanceof Uint8Array && got.length === b.length && b.every((x, i) => got[i] === x);
  }
  if (isTag(want, '$timestamp')) return got instanceof Date && got.getTime() === Date.parse(want['$timestamp'] as string);
  if (isTag(want, '$duration')) {
    if (!(got instanceof DurationClass)) return false;
    const d = got as Dur;
    return Number(d.seconds) * 1000 + d.nanos / 1e6 === Number((want['$duration'] as string).replace(/s$/, '')) * 1000;
  }
  if (isTag(want, '$type')) {
    // cel-js type values carry the name (`null` for CEL's `null_type`)
    const name = got !== null && typeof got === 'object' && 'name' in got ? String(got.name) : null;
    return name !== null && (name === want['$type'] || (name === 'null' && want['$type'] === 'null_type'));
  }
  const wantEntries: Array<[string, Tagged]> = isTag(want, '$map')
    ? (want['$map'] as Tagged[][]).map(([k, x]) => [String(k), x as Tagged])
    : Object.entries(want);
  const gotEntries = entriesOf(got);
  if (!gotEntries || gotEntries.length !== wantEntries.length) return false;
  const byKey = new Map(gotEntries);
  return wantEntries.every(([k, w]) => byKey.has(k) && matches(w, byKey.get(k)));
}

export function runCelJs(c: CelCase): Outcome {
  const bindings = Object.fromEntries(Object.entries(c.bindings).map(([k, v]) => [k, toCel(v)]));
  let got: unknown;
  try {
    got = env.evaluate(c.expr, bindings);
  } catch (error) {
    return 'error' in c.expect ? { pass: true } : { pass: false, got: `error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  if ('error' in c.expect) return { pass: false, got: String(got) };
  return matches(c.expect.value, got) ? { pass: true } : { pass: false, got: String(got) };
}
