/**
 * Line tokenizer for Monaco, driven by the language's own chevrotain lexer
 * and its TOKEN_CLASSES, so highlighting never drifts from the parser. The
 * only state carried between lines is "inside a triple-quoted string".
 */
import { tokens } from '@verdict/language';

export interface LineToken {
  startIndex: number;
  scopes: string;
}

/** `null` outside a multi-line string, else the closing delimiter and whether escapes apply. */
export interface LineState {
  triple: { close: string; raw: boolean } | null;
}

const CLASS_OF = new Map<string, string>();
for (const [klass, names] of Object.entries(tokens.TOKEN_CLASSES)) for (const name of names) CLASS_OF.set(name, klass);

const TYPE_WORDS = new Set(['string', 'number', 'boolean', 'timestamp', 'duration', 'list', 'map', 'any']);
const BRACKETS = new Set(['LParen', 'RParen', 'LBracket', 'RBracket', 'LBrace', 'RBrace']);
const DELIMITERS = new Set(['Comma', 'Colon', 'Dot', 'QuestionDot']);

function scopeOf(name: string, image: string): string {
  const klass = CLASS_OF.get(name);
  if (klass === 'keyword') return 'keyword';
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
  const all = [...lexed.tokens, ...((lexed.groups['comments'] as typeof lexed.tokens | undefined) ?? [])].sort((a, b) => a.startOffset - b.startOffset);
  let next: LineState = { triple: null };
  let cursor = 0;
  for (const token of all) {
    if (token.startOffset > cursor) gap(out, rest, offset, cursor, token.startOffset);
    const name = token.tokenType.name;
    out.push({ startIndex: offset + token.startOffset, scopes: scopeOf(name, token.image) });
    cursor = token.startOffset + token.image.length;
    if (name === 'UnterminatedString') {
      // An unclosed triple quote opens a string that goes on to the next lines.
      const opening = OPENING.exec(token.image);
      if (opening !== null) next = { triple: { close: opening[2]!, raw: /[rR]/.test(opening[1] ?? '') } };
    }
  }
  if (cursor < rest.length) gap(out, rest, offset, cursor, rest.length);
  return { tokens: out, state: next };
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
