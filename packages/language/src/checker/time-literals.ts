/**
 * Times written as strings where the declared type says `timestamp` or `duration`: in test inputs
 * and params, param defaults and typed consts (`const OPEN: timestamp = "2026-01-05T09:30:00-05:00"`).
 * The checker accepts such a string when it is a valid RFC 3339 timestamp or duration (VD2020
 * otherwise); the engine converts it where the declared type puts a time.
 */
import type { Expr, Span } from '../ast.ts';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { DURATION_PATTERN } from '../json-schema/patterns.ts';
import { assignable, T, type Type } from './types.ts';

/** TIMESTAMP_PATTERN with its parts captured: date, time, and the offset's sign, hours and minutes. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const DURATION = new RegExp(DURATION_PATTERN, 'u');
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** An RFC 3339 date-time the engine's `timestamp()` reads: real calendar dates, a leap second only as the last second of a UTC day. */
export function isTimestampText(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 60) return false;
  let offset = 0;
  if (m[7] !== undefined) {
    const oh = Number(m[8]);
    const om = Number(m[9]);
    if (oh > 23 || om > 59) return false;
    offset = (m[7] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return second !== 60 || (((hour * 60 + minute - offset) % 1440) + 1440) % 1440 === 1439;
}

export function isDurationText(text: string): boolean {
  return DURATION.test(text);
}

export function invalidTime(kind: 'timestamp' | 'duration', text: string, span: Span): Diagnostic {
  const hint =
    kind === 'timestamp'
      ? 'write an RFC 3339 date-time with a zone, e.g. "2026-01-31T09:30:00Z" or "2026-01-31T09:30:00-05:00"'
      : 'write a duration such as "90s", "1h30m", "1.5h" or "-5m" (units ns, us, ms, s, m, h, d)';
  return diagnostic('VD2020', 'error', `${JSON.stringify(text)} is not a valid ${kind}`, span, { hint });
}

/**
 * Whether the literal `expr` fits `type` once its strings at timestamp and duration positions are
 * read as times (through lists, maps and records). `typeOf` gives the checked type of a
 * sub-expression; an invalid time string is reported and counts as fitting (no second error).
 */
export function fitsWithTimeStrings(expr: Expr, type: Type, typeOf: (e: Expr) => Type, report: (d: Diagnostic) => void): boolean {
  if (type.kind === 'nullable') return expr.kind === 'Null' || fitsWithTimeStrings(expr, type.inner, typeOf, report);
  if (type.kind === 'decimal' && isDecimalLiteral(expr, report)) return true;
  if ((type.kind === 'timestamp' || type.kind === 'duration') && expr.kind === 'String') {
    if (!(type.kind === 'timestamp' ? isTimestampText(expr.value) : isDurationText(expr.value))) report(invalidTime(type.kind, expr.value, expr.span));
    return true;
  }
  if (type.kind === 'list' && expr.kind === 'List') return expr.items.every((item) => fitsWithTimeStrings(item, type.element, typeOf, report));
  if (type.kind === 'map' && expr.kind === 'Map') return expr.entries.every((e) => fitsWithTimeStrings(e.value, type.value, typeOf, report));
  if (type.kind === 'record' && expr.kind === 'Map') {
    const given = new Set<string>();
    for (const entry of expr.entries) {
      if (entry.key.kind !== 'String') return false;
      given.add(entry.key.value);
      const field = type.fields.get(entry.key.value);
      if (field === undefined) {
        if (!type.open) return false;
        continue;
      }
      if (!fitsWithTimeStrings(entry.value, field.optional ? T.nullable(field.type) : field.type, typeOf, report)) return false;
    }
    return [...type.fields].every(([name, f]) => f.optional || given.has(name));
  }
  return assignable(typeOf(expr), type);
}

const DECIMAL_TEXT = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * A `decimal` written as a number literal (`19.99`, `-1`) or as decimal text (`"19.99"`), as JSON
 * carries it; text that is no decimal is reported (VD2021) and counts as one.
 */
export function isDecimalLiteral(expr: Expr, report: (d: Diagnostic) => void): boolean {
  if (expr.kind === 'Number' || (expr.kind === 'Unary' && expr.op === '-' && expr.operand.kind === 'Number')) return true;
  if (expr.kind !== 'String') return false;
  if (!DECIMAL_TEXT.test(expr.value)) report(invalidDecimal(expr.value, expr.span));
  return true;
}

export function invalidDecimal(text: string, span: Span): Diagnostic {
  return diagnostic('VD2021', 'error', `${JSON.stringify(text)} is not a decimal number`, span, { hint: 'write the amount\'s digits, e.g. "19.99", "-0.5" or "1e3", or a number literal' });
}

/** Whether a time or decimal type appears anywhere in `type` (only then may literals stand for its values). */
export function holdsTime(type: Type): boolean {
  switch (type.kind) {
    case 'timestamp':
    case 'duration':
    case 'decimal':
      return true;
    case 'nullable':
      return holdsTime(type.inner);
    case 'list':
      return holdsTime(type.element);
    case 'map':
      return holdsTime(type.value);
    case 'record':
      return [...type.fields.values()].some((f) => holdsTime(f.type));
    default:
      return false;
  }
}
