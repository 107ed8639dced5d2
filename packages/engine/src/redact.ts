/** Redaction of `sensitive` input fields, and of their values in outputs and messages, before a decision is written to the decision log (by the server, or by an embedded evaluator before it ships decisions). */

type Schema = { [key: string]: unknown };
/** What replaces a sensitive value in the decision log. */
export const REDACTED = '[redacted]';

/** Paths (lists of keys, `*` = any item or value) the JSON Schema marks `x-verdict-sensitive`. */
export function sensitivePaths(schema: Schema): string[][] {
  const found: string[][] = [];
  const walk = (s: unknown, path: string[]) => {
    if (s === null || typeof s !== 'object') return;
    const node = s as Schema;
    if (node['x-verdict-sensitive'] === true) {
      found.push(path);
      return;
    }
    const properties = node['properties'];
    if (properties !== null && typeof properties === 'object') for (const [k, v] of Object.entries(properties)) walk(v, [...path, k]);
    if (node['items'] !== undefined) walk(node['items'], [...path, '*']);
    if (node['additionalProperties'] !== null && typeof node['additionalProperties'] === 'object') walk(node['additionalProperties'], [...path, '*']);
    for (const key of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(node[key])) for (const sub of node[key] as unknown[]) walk(sub, path);
  };
  walk(schema, []);
  return found;
}

/**
 * A copy of `input` with every sensitive value replaced; the input itself is not changed. Only the
 * objects and arrays on the way to a sensitive value are copied (the rest is shared, not walked), so
 * the work does not grow with the size or depth of the input elsewhere.
 */
export function redact(input: unknown, paths: readonly string[][]): unknown {
  let copy = input;
  for (const path of paths) copy = redactPath(copy, path, 0);
  return copy;
}

function redactPath(node: unknown, path: readonly string[], at: number): unknown {
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  const key = path[at]!;
  const keys = key === '*' ? Object.keys(record) : Object.hasOwn(record, key) ? [key] : [];
  if (keys.length === 0) return node;
  const copy = (Array.isArray(node) ? node.slice() : { ...record }) as Record<string, unknown>;
  const last = at === path.length - 1;
  // defineProperty: a key such as `__proto__` stays an own value, never the copy's prototype
  for (const k of keys) Object.defineProperty(copy, k, { value: last ? REDACTED : redactPath(record[k], path, at + 1), writable: true, enumerable: true, configurable: true });
  return copy;
}

/** Calls `visit` with the record and key of every value `path` reaches in `node` (`*`: every item or value). */
function atPath(node: unknown, path: readonly string[], at: number, visit: (record: Record<string, unknown>, key: string) => void): void {
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  const key = path[at]!;
  const keys = key === '*' ? Object.keys(record) : Object.hasOwn(record, key) ? [key] : [];
  for (const k of keys) {
    if (at === path.length - 1) visit(record, k);
    else atPath(record[k], path, at + 1, visit);
  }
}

/**
 * Hides the sensitive values of one input wherever else a decision could carry them into the
 * log: a rule message or an output may quote a sensitive field (`because "ssn {ssn}"`).
 * Matching is by value, so it also catches a value copied through a `let` or a table.
 */
export interface Scrubber {
  /** `text` with every occurrence of a sensitive value replaced. */
  message(text: string): string;
  /** A copy of `outputs` where every value (at any depth, map keys too) that is or contains a sensitive value is replaced. */
  outputs(outputs: Record<string, unknown>): Record<string, unknown>;
}

/** The scrubber for `input`, or null when it holds no sensitive string or number (nothing to hide). */
export function scrubberFor(input: unknown, paths: readonly string[][]): Scrubber | null {
  if (paths.length === 0) return null;
  const found: SensitiveTexts = { strings: new Set(), numbers: new Set() };
  for (const path of paths) atPath(input, path, 0, (record, key) => collectLeaves(record[key], found));
  const source = leakPattern(found);
  if (source === null) return null;
  const pattern = new RegExp(source, 'g');
  // `search` ignores the global flag and lastIndex, so one pattern serves both
  const leaks = (text: string) => text.search(pattern) >= 0;
  return {
    message: (text) => text.replace(pattern, REDACTED),
    outputs: (outputs) => scrubValue(outputs, leaks) as Record<string, unknown>,
  };
}

interface SensitiveTexts {
  strings: Set<string>;
  /** Numbers as a message hole prints them. */
  numbers: Set<string>;
}

/** Every string and number inside a sensitive value (a sensitive list or record hides all of its items); no recursion, whatever the depth. */
function collectLeaves(root: unknown, found: SensitiveTexts): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      // An empty or blank value would match everywhere: it reveals nothing, so it is not hidden.
      if (value.trim() === '') continue;
      found.strings.add(value);
      // A timestamp hole prints the canonical form, which may differ from the text sent.
      const canonical = canonicalTimestamp(value);
      if (canonical !== null) found.strings.add(canonical);
    } else if (typeof value === 'number') {
      if (Number.isFinite(value)) found.numbers.add(String(value));
    } else if (value !== null && typeof value === 'object') {
      for (const item of Object.values(value)) pending.push(item);
    }
  }
}

function canonicalTimestamp(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * One alternation of every sensitive text, longest first (so an overlapping longer value is
 * hidden whole). A number matches only as a whole token: the value 4 does not hide "14" or "4.5".
 */
function leakPattern(found: SensitiveTexts): string | null {
  const byLength = (a: string, b: string) => b.length - a.length;
  const strings = [...found.strings].sort(byLength).map(escapeRegExp);
  const numbers = [...found.numbers].sort(byLength).map((n) => `(?<![\\d.])${escapeRegExp(n)}(?!\\.?\\d)`);
  const alternatives = [...strings, ...numbers];
  return alternatives.length === 0 ? null : alternatives.join('|');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function scrubValue(value: unknown, leaks: (text: string) => boolean): unknown {
  if (typeof value === 'string') return leaks(value) ? REDACTED : value;
  if (typeof value === 'number') return leaks(String(value)) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, leaks));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [leaks(k) ? REDACTED : k, scrubValue(v, leaks)]));
  }
  return value;
}
