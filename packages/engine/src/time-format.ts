/**
 * CEL's text forms of times, and the shape both time values share: whole
 * milliseconds plus the nanoseconds past them, so that nanosecond precision
 * survives across CEL's whole range (a double of nanoseconds would not).
 */

export const NS_PER_MS = 1_000_000;

/**
 * `ms` and `ns` with `ns` moved into 0..999,999 (a fractional `ms` becomes nanoseconds).
 * Returns the millisecond part; the nanosecond part is `ms * 1e6 + ns - result * 1e6`, see `subMs`.
 */
export function wholeMs(ms: number, ns: number): number {
  const whole = Math.floor(ms);
  const extra = ns + Math.round((ms - whole) * NS_PER_MS);
  return extra >= 0 && extra < NS_PER_MS ? whole : whole + Math.floor(extra / NS_PER_MS);
}

/** The nanoseconds past `wholeMs(ms, ns)`. */
export function subMs(ms: number, ns: number): number {
  const whole = Math.floor(ms);
  const extra = ns + Math.round((ms - whole) * NS_PER_MS);
  return extra >= 0 && extra < NS_PER_MS ? extra : extra - Math.floor(extra / NS_PER_MS) * NS_PER_MS;
}

/** ".123456789" with trailing zeros dropped, or "" for none (Go's RFC3339Nano, as cel-go prints). */
function fraction(nanos: number): string {
  return nanos === 0 ? '' : `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`;
}

/** RFC 3339 in UTC: "2009-02-13T23:31:30Z", "9999-12-31T23:59:59.999999999Z". */
export function formatTimestamp(ms: number, ns: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return 'invalid timestamp';
  const millis = ms - Math.floor(ms / 1000) * 1000;
  return `${date.toISOString().slice(0, -5)}${fraction(millis * NS_PER_MS + ns)}Z`;
}

/** Seconds with up to nine decimals: "1000000s", "1.5s", "-0.000000001s", "0s" (CEL's form). */
export function formatDuration(ms: number, ns: number): string {
  const negative = ms < 0;
  // the magnitude as (whole ms, ns past it), with no product beyond 2^53
  const absMs = negative ? -ms - (ns > 0 ? 1 : 0) : ms;
  const absNs = negative && ns > 0 ? NS_PER_MS - ns : ns;
  const seconds = Math.floor(absMs / 1000);
  const nanos = (absMs - seconds * 1000) * NS_PER_MS + absNs;
  return `${negative ? '-' : ''}${seconds}${fraction(nanos)}s`;
}
