/** Regular expressions the schema uses for string-encoded values, and regex escaping. */

/**
 * Go-style durations (`time.ParseDuration`): an optional sign, then one or more
 * `<number><unit>` parts (`1h30m`, `90s`, `1.5h`, `-5m`, `.5s`, `300ms`), or a bare `0`.
 * Units: ns, us (or µs), ms, s, m, h, and d (days) — exactly what the engine's
 * `duration()` parses, so an input the schema admits always converts.
 */
export const DURATION_PATTERN = '^[-+]?(?:0|(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|ms|s|m|h|d))+)$';

/**
 * The shape of an RFC 3339 date-time, checked even where the validator does not
 * implement `format: "date-time"` (ajv needs ajv-formats or an added format; the
 * format also checks ranges such as month <= 12). Like the engine's `timestamp()`,
 * it takes a space for the `T` (RFC 3339 section 5.6 allows that).
 */
export const TIMESTAMP_PATTERN = '^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:[Zz]|[+-]\\d{2}:\\d{2})$';

/**
 * A `decimal` given as a JSON string: an optional sign, digits with an optional point, an optional
 * exponent (`"19.99"`, `"-0.5"`, `"1e3"`). As a JSON number it needs no pattern.
 */
export const DECIMAL_PATTERN = '^[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?$';

/**
 * Escapes text for use inside a JSON Schema `pattern` (ECMA-262, which ajv
 * compiles with the `u` flag: only syntax characters may be escaped there).
 */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** True when `pattern` compiles the way ajv compiles it (unicode mode). */
export function isValidPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
