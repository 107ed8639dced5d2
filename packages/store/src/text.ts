/**
 * What PostgreSQL text and jsonb cannot hold: U+0000, and a UTF-16 surrogate
 * without its partner (JSON can carry both as `\u` escapes). Callers that
 * store what a client sent refuse such strings; the decision log, which must
 * keep every decision, replaces them with U+FFFD.
 */

/** U+0000, or a surrogate without its partner (global: for `replace`). */
export const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Whether PostgreSQL can store `text` as it is. */
export function isStorableText(text: string): boolean {
  // `search` ignores the global flag and lastIndex, so the shared pattern needs no reset
  return text.search(UNSTORABLE_TEXT) < 0;
}

/**
 * The path of the first string (object keys included) in a JSON value that PostgreSQL cannot
 * store, as `/a/0/b` under `at`; null when there is none.
 */
export function unstorableTextAt(value: unknown, at = ''): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : at;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableTextAt(value[i], `${at}/${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, member] of Object.entries(value)) {
    if (!isStorableText(key)) return `${at}/${key}`;
    const found = unstorableTextAt(member, `${at}/${key}`);
    if (found !== null) return found;
  }
  return null;
}
