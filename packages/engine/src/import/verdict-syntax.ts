/** Helpers that print names and values as safe Verdict source text. */

/** Reserved words of the language (grammar/README.md, "Keywords"). */
export const KEYWORDS = new Set([
  'ruleset', 'input', 'decision', 'weights', 'on', 'const', 'param', 'let', 'output', 'table', 'rule', 'severity',
  'when', 'because', 'suggest', 'test', 'expect', 'by', 'where', 'else', 'sensitive', 'params', 'outputs', 'true',
  'false', 'null', 'in',
]);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name that may appear where only a name fits (field names, rule ids, suggest fields): keywords allowed. */
export function isSoftName(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A name that may be declared and then read in expressions: an identifier that is not a keyword. */
export function isPlainName(name: string): boolean {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name);
}

/**
 * A field name as written in a declaration or after `.`: the name itself when it is an identifier
 * (keywords are soft there), else quoted in backquotes (`account-information`); null when it
 * cannot be quoted (a backquote or a line break inside, or empty).
 */
export function fieldText(name: string): string | null {
  if (IDENTIFIER.test(name)) return name;
  return /^[^`\r\n]+$/.test(name) ? `\`${name}\`` : null;
}

/**
 * Turns any text into an identifier unique among `used`, which it extends; not a
 * keyword unless `soft` (for places where only a name fits, such as rule ids).
 */
export function uniqueName(raw: string, fallback: string, used: Set<string>, soft = false): string {
  let base = raw.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+(?=[A-Za-z0-9])/, '').replace(/_+$/, '');
  if (base === '' || base === '_') base = fallback;
  if (/^[0-9]/.test(base)) base = `_${base}`;
  if (!soft && KEYWORDS.has(base)) base = `${base}_`;
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
  used.add(name);
  return name;
}

function escapeChar(ch: string, quote: string): string {
  switch (ch) {
    case '\\': return '\\\\';
    case '\n': return '\\n';
    case '\r': return '\\r';
    case '\t': return '\\t';
    default: {
      if (ch === quote) return `\\${quote}`;
      const code = ch.charCodeAt(0);
      // Control characters and lone surrogates are written as escapes so the file stays valid UTF-8 text.
      if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff)) return `\\u${code.toString(16).padStart(4, '0')}`;
      return ch;
    }
  }
}

function escapeText(text: string, quote: string, braces: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Keep valid surrogate pairs together; escape lone halves.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text.slice(i, i + 2);
        i++;
        continue;
      }
    }
    const ch = text[i]!;
    out += braces && (ch === '{' || ch === '}') ? `\\${ch}` : escapeChar(ch, quote);
  }
  return out;
}

/** A double-quoted string literal (not a template: only `because` interpolates). */
export function stringLiteral(text: string): string {
  return `"${escapeText(text, '"', false)}"`;
}

/** A single-quoted string, which after `because` is plain text (no `{holes}`). */
export function plainMessage(text: string): string {
  return `'${escapeText(text, "'", false)}'`;
}

/** A comment body on one line. */
export function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

export function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(Object.is(n, -0) ? 0 : n);
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON value as a Verdict literal (maps with quoted keys). */
export function jsonLiteral(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'string') return stringLiteral(value);
  if (Array.isArray(value)) return `[${value.map(jsonLiteral).join(', ')}]`;
  const entries = Object.keys(value).map((k) => `${stringLiteral(k)}: ${jsonLiteral(value[k]!)}`);
  return `{${entries.join(', ')}}`;
}

/** Whether a JS value is plain JSON (finite numbers, no functions, no cycles). */
export function isJson(value: unknown, depth = 0): value is Json {
  if (depth > 64) return false;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1));
  if (typeof value === 'object') return Object.values(value).every((v) => isJson(v, depth + 1));
  return false;
}
