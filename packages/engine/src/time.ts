/**
 * RFC 3339 timestamps and Go-style durations ("1h30m", "90s", "1.5h", "-5m"), to the nanosecond,
 * within CEL's ranges: timestamps from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z,
 * durations within a signed 64-bit count of nanoseconds (about 292 years either way).
 */
import { NS_PER_MS } from './time-format.ts';
import { Duration, Timestamp, VError } from './values.ts';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in milliseconds since the epoch. */
export const MIN_TIMESTAMP_MS = -62_135_596_800_000;
export const MAX_TIMESTAMP_MS = 253_402_300_799_999;

/** 2^63 - 1 nanoseconds is 9,223,372,036,854 ms and 775,807 ns; -2^63 is -9,223,372,036,855 ms and 224,192 ns. */
const MAX_DURATION_MS = 9_223_372_036_854;
const MAX_DURATION_NS = 775_807;
const MIN_DURATION_MS = -9_223_372_036_855;
const MIN_DURATION_NS = 224_192;

export function timestampInRange(ms: number): boolean {
  return ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS;
}

export function durationInRange(ms: number, ns: number): boolean {
  if (ms > MIN_DURATION_MS && ms < MAX_DURATION_MS) return true;
  return (ms === MAX_DURATION_MS && ns <= MAX_DURATION_NS) || (ms === MIN_DURATION_MS && ns >= MIN_DURATION_NS);
}

/** Why a text is not a time: not in the format, or outside CEL's range. */
export type TimeProblem = 'format' | 'range';

export function parseTimestamp(text: string): Timestamp | null {
  const t = readTimestamp(text);
  return t instanceof Timestamp ? t : null;
}

export function readTimestamp(text: string): Timestamp | TimeProblem {
  const m = RFC3339.exec(text);
  if (!m) return 'format';
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return 'format';
  if (day > daysInMonth(year, month)) return 'format';
  // nanoseconds of the fraction as written (digits past the ninth are dropped, as Go does)
  const nanos = m[7] ? Number(m[7].slice(0, 9).padEnd(9, '0')) : 0;
  let offset = 0;
  const zone = m[8] as string;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return 'format';
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  // a leap second (:60) exists only as the last second of a UTC day (23:59:60Z, or the same instant
  // in another offset); it is read as :59
  if (second === 60 && ((hour * 60 + minute - offset / 60_000) % 1440 + 1440) % 1440 !== 1439) return 'format';
  const ms = utcMs(year, month - 1, day, hour, minute, Math.min(second, 59)) - offset + Math.floor(nanos / NS_PER_MS);
  if (!timestampInRange(ms)) return 'range';
  return new Timestamp(ms, nanos % NS_PER_MS);
}

/** Proleptic Gregorian, as RFC 3339 and ISO 8601 count: year 0 (1 BC) is a leap year, 100 is not. */
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/**
 * Milliseconds since the epoch of a UTC date and time. Not `Date.UTC`, which reads years 0-99 as
 * 1900-1999 ("0050-06-01" would be 1950); `setUTCFullYear` takes the year as given.
 */
export function utcMs(year: number, monthIndex: number, day: number, hour: number, minute: number, second: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};
const PART = /(\d*)(?:\.(\d*))?(ns|us|µs|ms|s|m|h|d)/y;
const BIG_NS_PER_MS = BigInt(NS_PER_MS);

export function parseDuration(text: string): Duration | null {
  const d = readDuration(text);
  return d instanceof Duration ? d : null;
}

/** Exact: each part is summed in nanoseconds (a fraction finer than a nanosecond is dropped, as Go does). */
export function readDuration(text: string): Duration | TimeProblem {
  let i = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    i = 1;
  }
  if (text.slice(i) === '0') return new Duration(0);
  if (i >= text.length) return 'format';
  let total = 0n;
  while (i < text.length) {
    PART.lastIndex = i;
    const m = PART.exec(text);
    const whole = m?.[1] ?? '';
    const frac = m?.[2] ?? '';
    if (!m || (whole === '' && frac === '')) return 'format';
    const unit = UNIT_NS[m[3] as string] as bigint;
    total += BigInt(whole || '0') * unit;
    if (frac !== '') total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    i = PART.lastIndex;
  }
  if (negative) total = -total;
  return durationFromNanos(total) ?? 'range';
}

function durationFromNanos(total: bigint): Duration | null {
  let ms = total / BIG_NS_PER_MS;
  let ns = total % BIG_NS_PER_MS;
  if (ns < 0n) {
    ns += BIG_NS_PER_MS;
    ms -= 1n;
  }
  const d = new Duration(Number(ms), Number(ns));
  return durationInRange(d.ms, d.ns) ? d : null;
}

function rangeError(what: string, node: number): VError {
  return new VError('overflow', `the ${what} is out of range`, node);
}

/** A timestamp, or an overflow error outside 0001-01-01 to 9999-12-31 (CEL). */
export function timestampOrError(ms: number, ns: number, node: number): Timestamp | VError {
  const t = new Timestamp(ms, ns);
  return timestampInRange(t.ms) ? t : rangeError('timestamp', node);
}

/** A duration, or an overflow error beyond a signed 64-bit count of nanoseconds (CEL). */
export function durationOrError(ms: number, ns: number, node: number): Duration | VError {
  const d = new Duration(ms, ns);
  return durationInRange(d.ms, d.ns) ? d : rangeError('duration', node);
}

/** `timestamp(seconds)`: Unix seconds, a whole number within the timestamp range. */
export function timestampFromSeconds(seconds: number, node: number): Timestamp | VError {
  if (!Number.isInteger(seconds)) return new VError('invalid_argument', `timestamp() needs whole seconds, not ${String(seconds)}`, node);
  return timestampOrError(seconds * 1000, 0, node);
}

/** Negated duration: -(ms + ns) as whole ms rounded down plus ns past it. */
export function negateDuration(d: Duration, node: number): Duration | VError {
  return d.ns === 0 ? durationOrError(-d.ms, 0, node) : durationOrError(-d.ms - 1, NS_PER_MS - d.ns, node);
}

/** Order of two times of one kind: negative, zero or positive. */
export function compareTimes(a: Timestamp | Duration, b: Timestamp | Duration): number {
  return a.ms - b.ms || a.ns - b.ns;
}
