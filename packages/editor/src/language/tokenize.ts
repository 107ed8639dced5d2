/**
 * Line tokenizer for Monaco, driven by the language's own chevrotain lexer,
 * its TOKEN_CLASSES and its catalogue of contextual keywords (`cases`,
 * `compliant`, `exactly`, ...: keywords only where the parser reads them so),
 * so highlighting never drifts from the parser. The state carried between
 * lines is "inside a triple-quoted string" and the last few tokens, which a
 * contextual keyword at the start of a line may depend on.
 */
import { BUILT_IN_TYPE_NAMES, isContextualKeyword, tokens, type WordToken } from '@verdict/language';

export interface LineToken {
  startIndex: number;
  scopes: string;
}

export interface LineState {
  /** `null` outside a multi-line string, else the closing delimiter and whether escapes apply. */
  triple: { close: string; raw: boolean } | null;
  /** The last tokens (comments excluded) of the lines before, at most TAIL of them. */
  tail: readonly WordToken[];
}

/** As many tokens before a word as `isContextualKeyword` reads (`expect message rule contains`). */
const TAIL = 3;

export const INITIAL_LINE_STATE: LineState = { triple: null, tail: [] };

/** Whether two states tokenize the next line alike. */
export function sameLineState(a: LineState, b: LineState): boolean {
  const triple = a.triple === b.triple || (a.triple !== null && b.triple !== null && a.triple.close === b.triple.close && a.triple.raw === b.triple.raw);
  return triple && a.tail.length === b.tail.length && a.tail.every((t, i) => t.image === b.tail[i]!.image && t.tokenType === b.tail[i]!.tokenType);
}

const CLASS_OF = new Map<string, string>();
for (const [klass, names] of Object.entries(tokens.TOKEN_CLASSES)) for (const name of names) CLASS_OF.set(name, klass);

const TYPE_WORDS = new Set(BUILT_IN_TYPE_NAMES);
const BRACKETS = new Set(['LParen', 'RParen', 'LBracket', 'RBracket', 'LBrace', 'RBrace']);
const DELIMITERS = new Set(['Comma', 'Colon', 'Dot', 'QuestionDot']);

function scopeOf(name: string, image: string): string {
  const klass = CLASS_OF.get(name);
  // `...` ends an open record: as much a part of the declaration as a keyword
  if (klass === 'keyword' || name === 'Ellipsis') return 'keyword';
  if (klass === 'string') return 'string';
  if (klass === 'number') return 'number';
  if (klass === 'comment') return 'comment';
  if (klass === 'identifier') return TYPE_WORDS.has(image) ? 'type' : 'identifier';
  if (BRACKETS.has(name)) return 'delimiter.bracket';
  if (DELIMITERS.has(name)) return 'delimiter';
  return 'operator';
}

/** The end of a triple-quoted body starting at `from`, or -1 when it continues past this line. */
function closeOf(line: string, from: number, close: string, raw: boolean): number {
  let i = from;
  while (i < line.length) {
    if (!raw && line[i] === '\\') {
      i += 2;
      continue;
    }
    if (line.startsWith(close, i)) return i + close.length;
    i++;
  }
  return -1;
}

const OPENING = /^([rRbB]{0,2})("""|''')/;

export function tokenizeLine(line: string, state: LineState): { tokens: LineToken[]; state: LineState } {
  const out: LineToken[] = [];
  let offset = 0;
  if (state.triple !== null) {
    const end = closeOf(line, 0, state.triple.close, state.triple.raw);
    out.push({ startIndex: 0, scopes: 'string' });
    if (end < 0) return { tokens: out, state };
    offset = end;
  }
  const rest = line.slice(offset);
  const lexed = tokens.verdictLexer.tokenize(rest);
  const code = lexed.tokens;
  const all = [...code, ...((lexed.groups['comments'] as typeof lexed.tokens | undefined) ?? [])].sort((a, b) => a.startOffset - b.startOffset);
  // The words before this line first, so that `compliant` on a line of its own still sees the outcomes before it.
  const window: readonly WordToken[] = [...state.tail, ...code];
  const keywordAt = new Set(code.filter((_, i) => isContextualKeyword(window, state.tail.length + i)));
  let triple: LineState['triple'] = null;
  let cursor = 0;
  for (const token of all) {
    if (token.startOffset > cursor) gap(out, rest, offset, cursor, token.startOffset);
    const name = token.tokenType.name;
    out.push({ startIndex: offset + token.startOffset, scopes: keywordAt.has(token) ? 'keyword' : scopeOf(name, token.image) });
    cursor = token.startOffset + token.image.length;
    if (name === 'UnterminatedString') {
      // An unclosed triple quote opens a string that goes on to the next lines.
      const opening = OPENING.exec(token.image);
      if (opening !== null) triple = { close: opening[2]!, raw: /[rR]/.test(opening[1] ?? '') };
    }
  }
  if (cursor < rest.length) gap(out, rest, offset, cursor, rest.length);
  return { tokens: out, state: { triple, tail: window.slice(-TAIL).map((t) => ({ image: t.image, tokenType: t.tokenType })) } };
}

/** Text between tokens: whitespace the lexer skipped, then (on a lexer error) characters it refused. */
function gap(out: LineToken[], text: string, offset: number, from: number, to: number): void {
  const slice = text.slice(from, to);
  const lead = slice.length - slice.trimStart().length;
  if (lead > 0) out.push({ startIndex: offset + from, scopes: 'white' });
  if (lead < slice.length) {
    const trail = slice.length - slice.trimEnd().length;
    out.push({ startIndex: offset + from + lead, scopes: 'invalid' });
    if (trail > 0) out.push({ startIndex: offset + to - trail, scopes: 'white' });
  }
}
