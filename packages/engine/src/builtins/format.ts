/**
 * CEL's `format` (strings extension): printf-style clauses `%s %d %f %e %x %X %o %b` with an optional
 * precision (`%.2f`) and `%%`. Values print as cel-go prints them: `%s` shows lists as `[a, b]` and
 * maps as `{k: v}` with sorted keys, timestamps and durations in CEL's text forms; `%f` rounds half to
 * even on the exact binary value, as Go does.
 */
import { Duration, Timestamp, VError, formatNumber, isMap, typeName, type Value } from '../values.ts';
import { typeError } from '../ops.ts';
import { invalid } from './util.ts';

const CLAUSE = /%(?:\.(\d+))?([a-zA-Z%])/g;

export function celFormat(template: string, args: Value[], node: number): string | VError {
  let out = '';
  let last = 0;
  let next = 0;
  CLAUSE.lastIndex = 0;
  for (let m = CLAUSE.exec(template); m !== null; m = CLAUSE.exec(template)) {
    out += template.slice(last, m.index);
    last = CLAUSE.lastIndex;
    const verb = m[2] as string;
    if (verb === '%' && m[1] === undefined) {
      out += '%';
      continue;
    }
    if (next >= args.length) return invalid(node, `format() has more clauses than the ${args.length} argument(s) given`);
    const piece = clause(verb, m[1] === undefined ? undefined : Number(m[1]), args[next++] as Value, node);
    if (piece instanceof VError) return piece;
    out += piece;
  }
  return out + template.slice(last);
}

function clause(verb: string, precision: number | undefined, v: Value, node: number): string | VError {
  switch (verb) {
    case 's':
      return asText(v, node);
    case 'd':
      if (typeof v !== 'number') return typeError(node, `%d needs a number, not ${typeName(v)}`);
      if (!Number.isFinite(v)) return formatNumber(v);
      if (!Number.isInteger(v)) return invalid(node, `%d needs a whole number, not ${formatNumber(v)}`);
      return integerText(v, 10);
    case 'f':
      if (typeof v !== 'number') return typeError(node, `%f needs a number, not ${typeName(v)}`);
      return Number.isFinite(v) ? fixed(v, precision ?? 6) : formatNumber(v);
    case 'e':
      if (typeof v !== 'number') return typeError(node, `%e needs a number, not ${typeName(v)}`);
      return Number.isFinite(v) ? scientific(v, precision ?? 6) : formatNumber(v);
    case 'b':
    case 'o':
      if (typeof v === 'boolean' && verb === 'b') return v ? '1' : '0';
      if (typeof v !== 'number' || !Number.isInteger(v)) return typeError(node, `%${verb} needs a whole number, not ${typeName(v)}`);
      return integerText(v, verb === 'b' ? 2 : 8);
    case 'x':
    case 'X': {
      let hex: string;
      if (typeof v === 'string') hex = Array.from(new TextEncoder().encode(v), (b) => b.toString(16).padStart(2, '0')).join('');
      else if (typeof v === 'number' && Number.isInteger(v)) hex = integerText(v, 16);
      else return typeError(node, `%${verb} needs a whole number or a string, not ${typeName(v)}`);
      return verb === 'X' ? hex.toUpperCase() : hex;
    }
    default:
      return invalid(node, `format() does not know the clause %${verb}`);
  }
}

/** Exact digits of a whole double in a base (beyond 2^53 too). */
function integerText(n: number, base: number): string {
  return Number.isSafeInteger(n) ? n.toString(base) : BigInt(n).toString(base);
}

/** `%.Nf`: the exact binary value rounded to N places, a tie to the even digit (Go's strconv). */
function fixed(x: number, places: number): string {
  const p = Math.min(places, 100);
  const abs = Math.abs(x);
  let text: string;
  if (abs >= 1e21) text = `${BigInt(Math.trunc(abs)).toString()}${p > 0 ? `.${'0'.repeat(p)}` : ''}`;
  else {
    text = abs.toFixed(p);
    // toFixed rounds an exact tie up; Go rounds it to the even digit
    const long = abs.toFixed(Math.min(100, p + 25));
    const point = long.indexOf('.');
    const kept = long.slice(0, p === 0 ? point : point + 1 + p);
    if (/^50*$/.test(long.slice(point + 1 + p)) && Number(kept.charAt(kept.length - 1)) % 2 === 0) text = kept;
  }
  return x < 0 ? `-${text}` : text;
}

/** `%.Ne`: "1.052033e+03" (at least two exponent digits, as Go prints). */
function scientific(x: number, places: number): string {
  const [mantissa, exponent] = x.toExponential(Math.min(places, 100)).split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
}

/** `%s`: strings raw; lists `[a, b]`; maps `{k: v}` by sorted key; numbers shortest; times in CEL's forms. */
function asText(v: Value, node: number): string | VError {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (v === null || typeof v === 'boolean') return String(v);
  if (v instanceof Timestamp || v instanceof Duration) return v.toString();
  if (v instanceof VError) return v;
  if (Array.isArray(v)) {
    const items: string[] = [];
    for (const item of v) {
      const t = asText(item, node);
      if (t instanceof VError) return t;
      items.push(t);
    }
    return `[${items.join(', ')}]`;
  }
  if (isMap(v)) {
    const entries: string[] = [];
    for (const k of Object.keys(v).sort()) {
      const t = asText(v[k] as Value, node);
      if (t instanceof VError) return t;
      entries.push(`${k}: ${t}`);
    }
    return `{${entries.join(', ')}}`;
  }
  return typeError(node, `%s cannot print ${typeName(v)}`);
}
