/**
 * Calendar fields of an instant in a time zone: UTC, a fixed offset ("+05:30", "-02:30", "02:00")
 * or an IANA name ("America/New_York"). Zone rules come from the platform's `Intl.DateTimeFormat`
 * (ICU's time-zone data, in Node and in every current browser), so no zone database ships with
 * Verdict and names resolve the same way in both.
 */
import { utcMs } from './time.ts';

export interface CalendarFields {
  year: number;
  /** 1 to 12. */
  month: number;
  /** 1 to 31. */
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 (Sunday) to 6. */
  weekday: number;
  /** 0 (1 January) to 365. */
  dayOfYear: number;
}

const FIXED = /^([+-]?)(\d{2}):(\d{2})$/;

/** A zone's offset from UTC in milliseconds at an instant; null for an unknown zone. */
type ZoneOffset = (ms: number) => number;

const zones = new Map<string, ZoneOffset | null>();
const ZONE_CACHE_SIZE = 200;

function zoneOffset(zone: string): ZoneOffset | null {
  let offset = zones.get(zone);
  if (offset === undefined) {
    offset = resolveZone(zone);
    if (zones.size >= ZONE_CACHE_SIZE) zones.clear();
    zones.set(zone, offset);
  }
  return offset;
}

function resolveZone(zone: string): ZoneOffset | null {
  const fixed = FIXED.exec(zone);
  if (fixed) {
    const hours = Number(fixed[2]);
    const minutes = Number(fixed[3]);
    if (hours > 23 || minutes > 59) return null;
    const ms = (fixed[1] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
    return () => ms;
  }
  if (zone === 'UTC' || zone === 'Z') return () => 0;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null; // RangeError: not a time zone the platform knows
  }
  return (ms) => intlOffset(format, ms);
}

/** The zone's wall-clock time at the instant (to the second) minus the instant. */
function intlOffset(format: Intl.DateTimeFormat, ms: number): number {
  const second = Math.floor(ms / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(new Date(second))) parts[p.type] = p.value;
  const year = parts['era'] === 'BC' || parts['era'] === 'B' ? 1 - Number(parts['year']) : Number(parts['year']);
  const wall = utcMs(year, Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  return wall - second;
}

/** The calendar fields of `ms` (milliseconds since the epoch) in `zone`, or null for an unknown zone. */
export function calendarFields(ms: number, zone: string): CalendarFields | null {
  const offset = zoneOffset(zone);
  if (offset === null) return null;
  const local = new Date(ms + offset(ms));
  const year = local.getUTCFullYear();
  const startOfYear = utcMs(year, 0, 1, 0, 0, 0);
  return {
    year,
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: local.getUTCMilliseconds(),
    weekday: local.getUTCDay(),
    dayOfYear: Math.floor((local.getTime() - startOfYear) / 86_400_000),
  };
}
