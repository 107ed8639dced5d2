/**
 * A small Wadler-style document printer (the algorithm prettier uses): the
 * formatter builds a tree of text, line breaks, groups and indentation, and
 * `render` picks, group by group from the outside in, the flat layout when it
 * fits in the width and the broken layout otherwise.
 */

export type Doc = string | Doc[] | Command;

type Command =
  | { kind: 'line'; soft: boolean; hard: boolean }
  | { kind: 'group'; contents: Doc; broken: boolean }
  | { kind: 'indent'; contents: Doc }
  | { kind: 'ifBreak'; broken: Doc; flat: Doc }
  | { kind: 'lineSuffix'; contents: Doc }
  | { kind: 'comment'; text: string }
  | { kind: 'breakParent' };

type Mode = 'flat' | 'break';
type Frame = [indent: number, mode: Mode, doc: Doc];

/** Forces every enclosing group to break (used with comments). */
export const breakParent: Doc = { kind: 'breakParent' };
/** A space when the group is flat, a newline when it breaks. */
export const line: Doc = { kind: 'line', soft: false, hard: false };
/** Nothing when the group is flat, a newline when it breaks. */
export const softline: Doc = { kind: 'line', soft: true, hard: false };
/** Always a newline (and breaks the enclosing groups). */
export const hardline: Doc = [{ kind: 'line', soft: false, hard: true }, breakParent];

export function group(contents: Doc): Doc {
  return { kind: 'group', contents, broken: false };
}
export function indent(contents: Doc): Doc {
  return { kind: 'indent', contents };
}
export function ifBreak(broken: Doc, flat: Doc = ''): Doc {
  return { kind: 'ifBreak', broken, flat };
}
/**
 * A comment printed just before the next newline: how trailing comments stay
 * at the end of their line. The first pending one follows a space; when
 * several are pending, each further one goes on a line of its own.
 */
export function lineSuffix(contents: Doc): Doc {
  return { kind: 'lineSuffix', contents };
}
/**
 * A comment printed where the printer stands (the caller puts a line break
 * after it). A line holds at most one comment, since a second `#` on the line
 * would be read back as part of the first: when a trailing comment is pending
 * on the current line, it is printed first and this one starts a new line.
 */
export function comment(text: string): Doc {
  return { kind: 'comment', text };
}
export function join(separator: Doc, docs: Doc[]): Doc {
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(separator);
    out.push(d);
  });
  return out;
}

/** Marks groups that contain a hard break; returns whether `doc` contains one. */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  if (Array.isArray(doc)) {
    let any = false;
    for (const d of doc) if (propagateBreaks(d)) any = true;
    return any;
  }
  switch (doc.kind) {
    case 'breakParent':
      return true;
    case 'line':
      return doc.hard;
    case 'group': {
      const inner = propagateBreaks(doc.contents);
      if (inner) doc.broken = true;
      return doc.broken;
    }
    case 'indent':
      return propagateBreaks(doc.contents);
    case 'ifBreak':
      return propagateBreaks(doc.broken) || propagateBreaks(doc.flat);
    case 'lineSuffix':
    case 'comment':
      return false;
  }
}

function fits(next: Frame, rest: Frame[], width: number): boolean {
  let remaining = width;
  let restIndex = rest.length;
  const stack: Frame[] = [next];
  while (remaining >= 0) {
    const frame = stack.pop();
    if (frame === undefined) {
      if (restIndex === 0) return true;
      stack.push(rest[--restIndex]!);
      continue;
    }
    const [ind, mode, doc] = frame;
    if (typeof doc === 'string') {
      const nl = doc.indexOf('\n');
      if (nl >= 0) return remaining - nl >= 0;
      remaining -= doc.length;
    } else if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) stack.push([ind, mode, doc[i]!]);
    } else {
      switch (doc.kind) {
        case 'indent':
          stack.push([ind, mode, doc.contents]);
          break;
        case 'group':
          stack.push([ind, doc.broken ? 'break' : mode, doc.contents]);
          break;
        case 'ifBreak':
          stack.push([ind, mode, mode === 'break' ? doc.broken : doc.flat]);
          break;
        case 'line':
          if (mode === 'break' || doc.hard) return true;
          if (!doc.soft) remaining -= 1;
          break;
        case 'comment':
          remaining -= doc.text.length;
          break;
        case 'lineSuffix':
        case 'breakParent':
          break;
      }
    }
  }
  return false;
}

/** Lays out `doc` in `width` columns. Lines never end with spaces. */
export function render(doc: Doc, width = 100): string {
  propagateBreaks(doc);
  // Finished lines, and the line being written. Trimming only ever touches the current line: one
  // growing string, read from its end at every newline, made formatting quadratic in the file's
  // size (V8 flattens a concatenated string to read it; 20,000 table rows took 7 s).
  const lines: string[] = [];
  let line = '';
  let pos = 0;
  const stack: Frame[] = [[0, 'break', doc]];
  let suffixes: Frame[] = [];
  const trimEnd = (): void => {
    let i = line.length;
    while (i > 0 && (line[i - 1] === ' ' || line[i - 1] === '\t')) i--;
    if (i < line.length) line = line.slice(0, i);
  };
  const write = (text: string): void => {
    const nl = text.indexOf('\n');
    if (nl < 0) {
      line += text;
      return;
    }
    const parts = text.split('\n');
    lines.push(line + parts[0]!);
    for (let i = 1; i < parts.length - 1; i++) lines.push(parts[i]!);
    line = parts[parts.length - 1]!;
  };
  // Further pending comments go on lines of their own, indented like the line that follows them,
  // then an empty line (so that they do not become the doc comment of what follows).
  const flushSuffixes = (lineIndent?: number): void => {
    const pending = suffixes;
    suffixes = [];
    if (pending.length > 1) stack.push([lineIndent ?? 0, 'break', hardline]);
    for (let i = pending.length - 1; i >= 0; i--) {
      const [ind, mode, contents] = pending[i]!;
      stack.push([ind, mode, contents]);
      stack.push([lineIndent ?? ind, 'break', i === 0 ? ' ' : hardline]);
    }
  };
  for (;;) {
    const frame = stack.pop();
    if (frame === undefined) {
      if (suffixes.length === 0) break;
      flushSuffixes();
      continue;
    }
    const [ind, mode, d] = frame;
    if (typeof d === 'string') {
      write(d);
      const nl = d.lastIndexOf('\n');
      pos = nl >= 0 ? d.length - nl - 1 : pos + d.length;
      continue;
    }
    if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) stack.push([ind, mode, d[i]!]);
      continue;
    }
    switch (d.kind) {
      case 'indent':
        stack.push([ind + 2, mode, d.contents]);
        break;
      case 'group': {
        if (mode === 'flat' && !d.broken) {
          stack.push([ind, 'flat', d.contents]);
          break;
        }
        const flatFrame: Frame = [ind, 'flat', d.contents];
        stack.push(!d.broken && fits(flatFrame, stack, width - pos) ? flatFrame : [ind, 'break', d.contents]);
        break;
      }
      case 'ifBreak':
        stack.push([ind, mode, mode === 'break' ? d.broken : d.flat]);
        break;
      case 'lineSuffix':
        suffixes.push([ind, 'break', d.contents]);
        break;
      case 'comment':
        stack.push([ind, mode, d.text]);
        // The hard line flushes the pending comments before breaking.
        if (suffixes.length > 0) stack.push([ind, 'break', hardline]);
        break;
      case 'breakParent':
        break;
      case 'line':
        if (mode === 'flat' && !d.hard) {
          if (!d.soft) {
            line += ' ';
            pos += 1;
          }
          break;
        }
        if (suffixes.length > 0) {
          // Flush pending trailing comments before the newline.
          stack.push(frame);
          flushSuffixes(ind);
          break;
        }
        trimEnd();
        lines.push(line);
        line = ' '.repeat(ind);
        pos = ind;
        break;
    }
  }
  trimEnd();
  lines.push(line);
  return lines.join('\n');
}

/** The one-line form of a doc (for checks such as "does this print starting with a quote"). */
export function flat(doc: Doc): string {
  if (typeof doc === 'string') return doc;
  if (Array.isArray(doc)) return doc.map(flat).join('');
  switch (doc.kind) {
    case 'line':
      return doc.soft ? '' : ' ';
    case 'group':
    case 'indent':
      return flat(doc.contents);
    case 'ifBreak':
      return flat(doc.flat);
    case 'comment':
      return doc.text;
    case 'lineSuffix':
    case 'breakParent':
      return '';
  }
}
