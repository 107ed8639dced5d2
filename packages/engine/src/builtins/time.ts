/**
 * CEL's timestamp and duration accessors. On a timestamp, each reads one calendar field in UTC or
 * in the zone given (`t.getHours("America/New_York")`); on a duration, getHours/getMinutes/
 * getSeconds convert the whole duration (truncated toward zero) and getMilliseconds is the
 * millisecond part (CEL).
 */
import { typeError } from '../ops.ts';
import { calendarFields, type CalendarFields } from '../time-zone.ts';
import { Duration, Timestamp, VError, typeName, type Value } from '../values.ts';
import type { BuiltinImpl, BuiltinTable } from './types.ts';
import { invalid } from './util.ts';

type Field = (f: CalendarFields) => number;

/** Whole milliseconds of a duration, truncated toward zero. */
function truncatedMs(d: Duration): number {
  return d.ms < 0 && d.ns > 0 ? d.ms + 1 : d.ms;
}

function accessor(name: string, field: Field, ofDuration?: (ms: number) => number): BuiltinImpl {
  return {
    minArgs: 1,
    maxArgs: 2,
    fn: ([v, zone], node) => {
      if (v instanceof Duration && ofDuration && zone === undefined) return ofDuration(truncatedMs(v)) || 0;
      if (!(v instanceof Timestamp)) return typeError(node, `${name}() needs a timestamp${ofDuration ? ' or a duration' : ''}, not ${typeName(v as Value)}`);
      if (zone !== undefined && typeof zone !== 'string') return typeError(node, `${name}() takes a time zone name, not ${typeName(zone)}`);
      const fields = calendarFields(v.ms, zone ?? 'UTC');
      return fields === null ? unknownZone(zone as string, node) : field(fields);
    },
  };
}

function unknownZone(zone: string, node: number): VError {
  return invalid(node, `unknown time zone "${zone}" (an IANA name such as "America/New_York", "UTC", or an offset such as "+05:30")`);
}

export const timeBuiltins: BuiltinTable = {
  getFullYear: accessor('getFullYear', (f) => f.year),
  getMonth: accessor('getMonth', (f) => f.month - 1),
  getDate: accessor('getDate', (f) => f.day),
  getDayOfMonth: accessor('getDayOfMonth', (f) => f.day - 1),
  getDayOfWeek: accessor('getDayOfWeek', (f) => f.weekday),
  getDayOfYear: accessor('getDayOfYear', (f) => f.dayOfYear),
  getHours: accessor('getHours', (f) => f.hour, (ms) => Math.trunc(ms / 3_600_000)),
  getMinutes: accessor('getMinutes', (f) => f.minute, (ms) => Math.trunc(ms / 60_000)),
  getSeconds: accessor('getSeconds', (f) => f.second, (ms) => Math.trunc(ms / 1000)),
  getMilliseconds: accessor('getMilliseconds', (f) => f.millisecond, (ms) => ms % 1000),
};
