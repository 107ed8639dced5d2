/**
 * Verdict's side: corpus values become engine values (int, uint and double are
 * all numbers; bytes are text, one character per byte), and results are
 * compared with the expectation.
 */
import { Duration, Timestamp, VError, compileExpression, isDecimal, parseDuration, parseTimestamp, type Value } from '@verdict/engine';
import { base64Bytes, isTag, sameNumber, specialDouble, type CelCase, type Tagged } from './cases.ts';

export type Outcome = { pass: true } | { pass: false; got: string };

/** Bytes are read as text: one character per byte (so `b'\xff'` is "\u00ff"). */
function bytesText(b64: string): string {
  return String.fromCharCode(...base64Bytes(b64));
}

export function toVerdict(v: Tagged): Value {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toVerdict);
  if (isTag(v, '$int') || isTag(v, '$uint')) return Number(Object.values(v)[0] as string);
  if (isTag(v, '$double')) return specialDouble(v['$double'] as string);
  if (isTag(v, '$bytes')) return bytesText(v['$bytes'] as string);
  // to the nanosecond ("123.321456789s" is CEL's proto duration text)
  if (isTag(v, '$timestamp')) return parseTimestamp(v['$timestamp'] as string) ?? `unreadable timestamp ${String(v['$timestamp'])}`;
  if (isTag(v, '$duration')) return parseDuration(v['$duration'] as string) ?? `unreadable duration ${String(v['$duration'])}`;
  if (isTag(v, '$type')) return v['$type'] as string;
  if (isTag(v, '$map')) {
    const out: Record<string, Value> = {};
    for (const [k, x] of v['$map'] as Tagged[][]) out[String(toVerdict(k as Tagged))] = toVerdict(x as Tagged);
    return out;
  }
  const out: Record<string, Value> = {};
  for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: toVerdict(v[k] as Tagged), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Deep equality for the comparison: maps without order, NaN equals NaN. */
export function sameValue(a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number') return sameNumber(a, b);
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i] as Value));
  }
  if (a instanceof Timestamp || a instanceof Duration) return a.constructor === b.constructor && a.ms === (b as Timestamp).ms && a.ns === (b as Timestamp).ns;
  if (b instanceof Timestamp || b instanceof Duration || a instanceof VError || b instanceof VError) return false;
  if (isDecimal(a) || isDecimal(b)) return isDecimal(a) && isDecimal(b) && a.eq(b);
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k] as Value, b[k] as Value));
}

export function show(v: Value): string {
  if (v instanceof VError) return `error ${v.code}: ${v.message}`;
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v);
  if (v instanceof Timestamp || v instanceof Duration) return `${v.constructor.name}(${v.toString()})`;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
}

export function runVerdict(c: CelCase): Outcome {
  const bindings: Record<string, Value> = {};
  for (const [k, v] of Object.entries(c.bindings)) bindings[k] = toVerdict(v);
  const compiled = compileExpression(c.expr, bindings, {}, { unknownAsErrors: true });
  if ('diagnostics' in compiled) {
    const d = compiled.diagnostics[0];
    return { pass: false, got: `does not compile: ${d ? `${d.code} ${d.message}` : '?'}` };
  }
  const result = compiled.evaluate();
  if ('error' in c.expect) return result.ok ? { pass: false, got: show(result.value) } : { pass: true };
  if (!result.ok) return { pass: false, got: `error ${result.error.code}: ${result.error.message}` };
  return sameValue(toVerdict(c.expect.value), result.value) ? { pass: true } : { pass: false, got: show(result.value) };
}
