/** RFC 3339 timestamps and Go-style durations ("1h30m", "90s", "1.5h", "-5m"). */
import { Duration, Timestamp } from './values.ts';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseTimestamp(text: string): Timestamp | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  if (day > daysInMonth(year, month)) return null;
  const fraction = m[7] ? Number(`0${m[7]}`) * 1000 : 0;
  let offset = 0;
  const zone = m[8] as string;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  // a leap second (:60) exists only as the last second of a UTC day (23:59:60Z, or the same instant
  // in another offset); it is read as :59
  if (second === 60 && ((hour * 60 + minute - offset / 60_000) % 1440 + 1440) % 1440 !== 1439) return null;
  const base = utcMs(year, month - 1, day, hour, minute, Math.min(second, 59));
  const ms = base + fraction - offset;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  return new Timestamp(ms);
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
function utcMs(year: number, monthIndex: number, day: number, hour: number, minute: number, second: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/y;

export function parseDuration(text: string): Duration | null {
  let i = 0;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (text.slice(i) === '0') return new Duration(0);
  if (i >= text.length) return null;
  let total = 0;
  while (i < text.length) {
    PART.lastIndex = i;
    const m = PART.exec(text);
    if (!m) return null;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    i = PART.lastIndex;
  }
  return new Duration(sign * total);
}
