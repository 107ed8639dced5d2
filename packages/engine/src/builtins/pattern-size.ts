/**
 * The size of the RE2 program a pattern compiles to, estimated from its text before compiling it:
 * literals, classes and escapes are one instruction each, `*` adds two, `+` and `?` one, a counted
 * repetition `{n,m}` repeats what it applies to m times (plus one per optional copy), a group adds
 * two and an alternation one per branch, as RE2's own size check counts them. A pattern's work is
 * charged as this size times the length of the text it searches (grammar/README.md, "Limits and the
 * cost model"), so a large program on a large text is refused before RE2 compiles or runs it.
 */
interface Frame {
  total: number;
  /** Size of the last atom, the one a quantifier applies to. */
  last: number;
  /** Branches after the first (`|`), one instruction each. */
  alternates: number;
}

const COUNTED = /^\{(\d{1,6})(,(\d{0,6}))?\}/;

export function patternSize(pattern: string): number {
  const frames: Frame[] = [{ total: 0, last: 0, alternates: 0 }];
  const atom = (size: number) => {
    const top = frames[frames.length - 1]!;
    top.total += size;
    top.last = size;
  };
  /** Replaces the last atom by `size` (a quantifier applied to it). */
  const requantify = (size: number) => {
    const top = frames[frames.length - 1]!;
    top.total += size - top.last;
    top.last = size;
  };
  let quantified = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const wasQuantified = quantified;
    quantified = false;
    switch (c) {
      case '\\': {
        const e = pattern[++i];
        if (e === 'Q') {
          const end = pattern.indexOf('\\E', i + 1);
          const stop = end < 0 ? pattern.length : end;
          atom(Math.max(1, stop - i - 1));
          i = end < 0 ? pattern.length : end + 1;
        } else {
          if ((e === 'p' || e === 'P' || e === 'x') && pattern[i + 1] === '{') {
            const end = pattern.indexOf('}', i);
            i = end < 0 ? pattern.length : end;
          } else if (e === 'p' || e === 'P') i++;
          atom(1);
        }
        break;
      }
      case '[': {
        let j = i + 1;
        if (pattern[j] === '^') j++;
        if (pattern[j] === ']') j++;
        for (; j < pattern.length && pattern[j] !== ']'; j++) {
          if (pattern[j] === '\\') j++;
          else if (pattern[j] === '[' && pattern[j + 1] === ':') {
            const end = pattern.indexOf(':]', j + 2);
            if (end >= 0) j = end + 1;
          }
        }
        i = j;
        atom(1);
        break;
      }
      case '(': {
        if (pattern[i + 1] === '?') {
          // `(?flags)` sets flags and holds nothing; `(?flags:`, `(?P<name>` and `(?<name>` open a group
          let j = i + 2;
          while (j < pattern.length && pattern[j] !== ':' && pattern[j] !== ')' && pattern[j] !== '>') j++;
          if (pattern[j] === ')') {
            i = j;
            break;
          }
          i = j;
        }
        frames.push({ total: 0, last: 0, alternates: 0 });
        break;
      }
      case ')': {
        if (frames.length === 1) {
          atom(1);
          break;
        }
        const inner = frames.pop()!;
        atom(inner.total + inner.alternates + 2);
        break;
      }
      case '|': {
        const top = frames[frames.length - 1]!;
        top.alternates++;
        top.last = 0;
        break;
      }
      case '*':
        if (wasQuantified) break; // `*?`-style laziness costs nothing
        requantify(frames[frames.length - 1]!.last + 2);
        quantified = true;
        break;
      case '+':
      case '?':
        if (wasQuantified) break;
        requantify(frames[frames.length - 1]!.last + 1);
        quantified = true;
        break;
      case '{': {
        const m = COUNTED.exec(pattern.slice(i, i + 16));
        if (m === null) {
          atom(1);
          break;
        }
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        const sub = Math.max(1, frames[frames.length - 1]!.last);
        requantify(max === -1 ? 1 + Math.max(1, min) * sub : Math.max(1, max) * sub + Math.max(0, max - min));
        i += m[0].length - 1;
        quantified = true;
        break;
      }
      default:
        atom(1);
    }
  }
  // an unclosed group is a syntax error RE2 reports; its size still counts
  // and RE2 adds a match and a fail instruction to every program
  let size = 2;
  for (const f of frames) size += f.total + f.alternates;
  return size;
}
