/** Decoding string literals as written (CEL escapes) and quoting strings for printing. */

export interface DecodedString {
  value: string;
  /** A bad escape, with its offset inside the literal. */
  error?: { offset: number; message: string };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '`': '`',
  '?': '?',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '{': '{',
  '}': '}',
};

/** Decodes the body of a literal (between its quotes); `raw` skips escape processing. */
export function decodeEscapes(body: string, raw = false): DecodedString {
  if (raw || !body.includes('\\')) return { value: body };
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[i + 1];
    if (n === undefined) return { value: out, error: { offset: i, message: 'a string cannot end with a lone `\\`' } };
    const simple = SIMPLE_ESCAPES[n];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    if (n === 'u' && body[i + 2] === '{') {
      // `\u{1F600}`: one to six hex digits in braces.
      const close = body.indexOf('}', i + 3);
      const hex = close < 0 ? '' : body.slice(i + 3, close);
      const code = /^[0-9a-fA-F]{1,6}$/.test(hex) ? parseInt(hex, 16) : -1;
      if (code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        return { value: out, error: { offset: i, message: '`\\u{...}` needs one to six hex digits naming a valid code point' } };
      }
      out += String.fromCodePoint(code);
      i = close;
      continue;
    }
    const hexLength = n === 'x' || n === 'X' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLength);
      if (hex.length !== hexLength || !/^[0-9a-fA-F]+$/.test(hex)) {
        return { value: out, error: { offset: i, message: `\`\\${n}\` needs ${hexLength} hex digits` } };
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        return { value: out, error: { offset: i, message: `\`\\${n}${hex}\` is not a valid code point` } };
      }
      out += String.fromCodePoint(code);
      i += 1 + hexLength;
      continue;
    }
    if (n >= '0' && n <= '3') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return { value: out, error: { offset: i, message: 'an octal escape needs three digits, e.g. `\\101`' } };
      out += String.fromCodePoint(parseInt(oct, 8));
      i += 3;
      continue;
    }
    return { value: out, error: { offset: i, message: `unknown escape \`\\${n}\`` } };
  }
  return { value: out };
}

/**
 * How many characters of `text` a bad escape starting at `text[at]` (its backslash) covers:
 * the backslash and the character after it, whole (an emoji is two code units); just the
 * backslash before a line break, so the span stays on the escape's line.
 */
export function escapeLength(text: string, at: number): number {
  const next = text.codePointAt(at + 1);
  if (next === undefined || next === 10 || next === 13) return 1;
  return next > 0xffff ? 3 : 2;
}

/** Splits a literal's image into prefix flags, quote length and body. */
export function literalParts(image: string): { raw: boolean; quoteLength: number; bodyStart: number; body: string } {
  let i = 0;
  let raw = false;
  while (i < image.length && /[rRbB]/.test(image[i]!)) {
    if (/[rR]/.test(image[i]!)) raw = true;
    i++;
  }
  const q = image[i]!;
  const quoteLength = image.startsWith(q.repeat(3), i) && image.length - i >= 6 ? 3 : 1;
  const bodyStart = i + quoteLength;
  return { raw, quoteLength, bodyStart, body: image.slice(bodyStart, image.length - quoteLength) };
}

/** Quotes a string as a canonical double-quoted Verdict literal. */
export function quote(value: string): string {
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default: {
        const code = ch.codePointAt(0)!;
        out += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
      }
    }
  }
  return out + '"';
}
