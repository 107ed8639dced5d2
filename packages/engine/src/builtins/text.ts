/** Code-point views of strings: CEL indexes strings by code point, JavaScript by UTF-16 unit. */

const SURROGATE = /[\uD800-\uDFFF]/;

/** The code points of `s` as strings, or null when every code point is one UTF-16 unit (index directly). */
export function codePoints(s: string): string[] | null {
  return SURROGATE.test(s) ? Array.from(s) : null;
}

export function codePointCount(s: string): number {
  const cps = codePoints(s);
  return cps === null ? s.length : cps.length;
}

/** The UTF-16 offset of code point `index` (index may equal the count). */
export function unitOffset(s: string, cps: string[] | null, index: number): number {
  if (cps === null) return index;
  let offset = 0;
  for (let i = 0; i < index; i++) offset += (cps[i] as string).length;
  return offset;
}

/** The code-point index of UTF-16 offset `offset` (-1 stays -1). */
export function codePointIndex(s: string, offset: number): number {
  if (offset < 0 || !SURROGATE.test(s)) return offset;
  return Array.from(s.slice(0, offset)).length;
}
