/**
 * Parsing a request body: `JSON.parse`, then one pass over the (valid) text that refuses what
 * JSON.parse accepts but the server must not take: a key given twice in one object (which value
 * wins is a guess a client should not make us take), a `__proto__` key (the value would become an
 * object's prototype wherever it is copied with an assignment), and nesting deeper than
 * `MAX_BODY_DEPTH` (every recursive walk over the body — validation, redaction, copies, the
 * decision log's JSON — would otherwise overflow the stack). Each problem is named by its path.
 */
import type { ErrorDetail } from './errors.ts';

/** How deeply objects and arrays may nest in a request body. */
export const MAX_BODY_DEPTH = 256;

export type ParsedBody = { ok: true; value: unknown } | { ok: false; syntax: string } | { ok: false; details: ErrorDetail[] };

export function parseJsonBody(text: string, where = 'body'): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, syntax: error instanceof Error ? error.message : String(error) };
  }
  const problem = structureProblem(text, where);
  return problem === null ? { ok: true, value } : { ok: false, details: [problem] };
}

interface Level {
  /** Keys seen so far (an object: a list while short, a set past `FEW_KEYS`), or null (an array). */
  keys: string[] | Set<string> | null;
  /** The current key or index, for paths. */
  at: string | number;
  /** In an object: whether the next string is a key. */
  expectKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The first duplicate key, `__proto__` key or too deep nesting in `text` (valid JSON), or null. */
function structureProblem(text: string, where: string): ErrorDetail | null {
  const stack: Level[] = [];
  const path = () => [where, ...stack.map((l) => shown(String(l.at)))].join('/');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top !== undefined && top.keys !== null && top.expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        top.at = key;
        if (key === '__proto__') return { path: path(), message: 'the key `__proto__` is not accepted' };
        if (seen(top.keys, key)) return { path: path(), message: `the key \`${shown(key)}\` is given more than once in this object` };
        if (Array.isArray(top.keys) && top.keys.length >= FEW_KEYS) top.keys = new Set(top.keys);
        if (Array.isArray(top.keys)) top.keys.push(key);
        else top.keys.add(key);
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= MAX_BODY_DEPTH) return { path: path(), message: `the body nests deeper than ${MAX_BODY_DEPTH} levels` };
      stack.push(c === 0x7b ? { keys: [], at: '', expectKey: true } : { keys: null, at: 0, expectKey: false });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1]!;
      if (top.keys === null) top.at = (top.at as number) + 1;
      else top.expectKey = true;
    }
  }
  return null;
}

/** Objects in request bodies have few keys: a list is searched faster than a set is built, up to this many. */
const FEW_KEYS = 16;

function seen(keys: string[] | Set<string>, key: string): boolean {
  return Array.isArray(keys) ? keys.includes(key) : keys.has(key);
}

/** The index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    // count the backslashes before it: an odd number escapes it
    let slashes = 0;
    for (let j = q - 1; text.charCodeAt(j) === BACKSLASH; j--) slashes++;
    if (slashes % 2 === 0) return q;
    i = q + 1;
  }
}

/** A key as an error shows it: a long one cut short (a key may be most of a 1 MB body). */
function shown(key: string): string {
  return key.length > 100 ? `${key.slice(0, 100)}…` : key;
}
