/**
 * What the cursor is in, read from the tokens before it (the lexer of
 * @verdict/language, so it agrees with the parser): a comment, a string (and
 * whether inside a `{}` hole of a `because` message), and the brackets that
 * are open around it, each with what opened it (`test "..." {`, `input {`,
 * `service: {`, `by [`). Works on text that does not parse yet.
 */
import { tokens } from '@verdict/language';

export type IToken = ReturnType<typeof tokens.verdictLexer.tokenize>['tokens'][number];

export type Frame =
  | { kind: 'test' }
  | { kind: 'input' | 'params' | 'outputs' }
  /** `expect suggest <rule> {` (or `... exactly {`). */
  | { kind: 'suggest'; rule: string }
  /** `cases {` in a test: rows of `{ input } -> outcome`. */
  | { kind: 'cases' }
  /** `name: {` (or `name: [`) inside a map. */
  | { kind: 'key'; name: string }
  /** `expect <outcome> by [`. */
  | { kind: 'by' }
  | { kind: 'other' };

interface OpenFrame {
  frame: Frame;
  token: IToken;
}

export interface CursorContext {
  in: 'code' | 'comment' | 'string';
  /** The open string (in: 'string'): its text up to the cursor and the token before it. */
  string: { image: string; start: number; before: IToken[] } | null;
  /** Open brackets, outermost first. */
  frames: Frame[];
  /** Tokens after the innermost open bracket (or the whole tail when none is open), up to the cursor. */
  since: IToken[];
  /** The code tokens before the cursor (an open string's excluded). */
  tokens: IToken[];
  /** The name or keyword the cursor is right after (being typed), if any. */
  word: IToken | null;
  /** The offset in the text where the tokens' offsets start (they are lexed from the declaration around the cursor). */
  from: number;
}

const OPEN = new Set(['LBrace', 'LBracket', 'LParen']);
const CLOSE = new Set(['RBrace', 'RBracket', 'RParen']);

function opens(name: string): string {
  return name === 'RBrace' ? 'LBrace' : name === 'RBracket' ? 'LBracket' : 'LParen';
}

/** Whether `image` (a string so far) leaves a `{` hole open. */
function holeOpen(image: string): boolean {
  let depth = 0;
  for (let i = 0; i < image.length; i++) {
    const c = image[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
  }
  return depth > 0;
}

/** Starts lexing at the last top-level declaration before `offset` (a keyword at column 0), not at the start of the file. */
function lexStart(text: string, offset: number): number {
  const pattern = /^(?:rule|test|const|param|let|output|table|input|decision|weights|on|ruleset)\b/gm;
  let start = 0;
  const head = text.slice(0, offset);
  for (let match = pattern.exec(head); match !== null; match = pattern.exec(head)) if (match.index < offset) start = match.index;
  return start;
}

export function cursorContext(text: string, offset: number): CursorContext {
  const from = lexStart(text, offset);
  const lexed = tokens.verdictLexer.tokenize(text.slice(from, offset));
  const list = lexed.tokens;
  const comments = (lexed.groups['comments'] as IToken[] | undefined) ?? [];
  const end = offset - from;
  const lastComment = comments[comments.length - 1];
  const last = list[list.length - 1];
  if (lastComment !== undefined && lastComment.startOffset + lastComment.image.length === end && (last === undefined || last.startOffset < lastComment.startOffset)) {
    return { in: 'comment', string: null, frames: [], since: [], tokens: list, word: null, from };
  }
  // An unterminated triple quote anywhere before the cursor means the cursor is inside it.
  const triple = list.findIndex((t) => t.tokenType.name === 'UnterminatedString' && /^[rRbB]{0,2}("""|''')/.test(t.image));
  const openString = triple >= 0 ? triple : last !== undefined && last.tokenType.name === 'UnterminatedString' ? list.length - 1 : -1;
  let stringState: CursorContext['string'] = null;
  let code = list;
  if (openString >= 0) {
    const token = list[openString]!;
    const image = text.slice(from + token.startOffset, offset);
    const before = list.slice(0, openString);
    const inHole = before[before.length - 1]?.tokenType.name === 'Because' && holeOpen(image.replace(/^"+/, ''));
    if (!inHole) {
      stringState = { image, start: from + token.startOffset, before };
      code = before;
    }
  }
  const stack: OpenFrame[] = [];
  for (let i = 0; i < code.length; i++) {
    const token = code[i]!;
    const name = token.tokenType.name;
    if (OPEN.has(name)) stack.push({ frame: frameOf(code, i), token });
    else if (CLOSE.has(name)) {
      const at = stack.map((s) => s.token.tokenType.name).lastIndexOf(opens(name));
      if (at >= 0) stack.length = at;
    }
  }
  const innermost = stack[stack.length - 1];
  const since = innermost === undefined ? code : code.slice(code.indexOf(innermost.token) + 1);
  const tail = code[code.length - 1];
  const word = stringState === null && tail !== undefined && tail.startOffset + tail.image.length === end && /^[A-Za-z_]/.test(tail.image) ? tail : null;
  return { in: stringState === null ? 'code' : 'string', string: stringState, frames: stack.map((s) => s.frame), since, tokens: code, word, from };
}

function isName(token: IToken): boolean {
  return token.tokenType.name === 'Identifier' || tokens.KEYWORDS.includes(token.tokenType);
}

function frameOf(list: IToken[], i: number): Frame {
  const bracket = list[i]!.tokenType.name;
  const prev = list[i - 1];
  const prev2 = list[i - 2];
  const prevName = prev?.tokenType.name;
  if (bracket === 'LBrace') {
    if (prevName === 'StringLiteral' && prev2?.tokenType.name === 'Test') return { kind: 'test' };
    if (prevName === 'Input') return { kind: 'input' };
    if (prevName === 'Params') return { kind: 'params' };
    if (prevName === 'Outputs') return { kind: 'outputs' };
    const exactly = prevName === 'Identifier' && prev!.image === 'exactly';
    if (exactly && prev2?.tokenType.name === 'Outputs') return { kind: 'outputs' };
    // `expect suggest rule {` / `expect suggest rule exactly {`
    const rule = exactly ? prev2 : prev;
    const suggest = exactly ? list[i - 3] : prev2;
    if (rule !== undefined && suggest?.tokenType.name === 'Suggest' && isName(rule)) return { kind: 'suggest', rule: rule.image };
    if (prevName === 'Identifier' && prev!.image === 'cases') return { kind: 'cases' };
  }
  if (bracket === 'LBracket' && prevName === 'By') return { kind: 'by' };
  if (prevName === 'Colon' && prev2 !== undefined && (prev2.tokenType.name === 'Identifier' || prev2.tokenType.name === 'StringLiteral' || tokens.KEYWORDS.includes(prev2.tokenType))) {
    return { kind: 'key', name: prev2.tokenType.name === 'StringLiteral' ? prev2.image.slice(1, -1) : prev2.image };
  }
  return { kind: 'other' };
}

/**
 * Where a test's `input {}` (or `params {}`, `expect outputs {}`, `expect suggest rule {}`, a row of
 * `cases {}`, which is input) map is open around the cursor: which one, and the path of keys from it
 * to the innermost map (maps inside lists keep their key's path). `rule`: the rule of a suggestion.
 */
export function mapPath(context: CursorContext): { map: 'input' | 'params' | 'outputs' | 'suggest'; path: string[]; rule?: string } | null {
  const frames = context.frames;
  const testAt = frames.findIndex((f) => f.kind === 'test');
  if (testAt < 0) return null;
  let root = frames[testAt + 1];
  let inner = testAt + 2;
  // A row of `cases { { amount: 5 } -> allow }` is a part of the input.
  if (root?.kind === 'cases') {
    if (frames[inner]?.kind !== 'other') return null;
    root = { kind: 'input' };
    inner++;
  }
  if (root === undefined || (root.kind !== 'input' && root.kind !== 'params' && root.kind !== 'outputs' && root.kind !== 'suggest')) return null;
  const path: string[] = [];
  for (const frame of frames.slice(inner)) {
    if (frame.kind === 'key') path.push(frame.name);
    else if (frame.kind !== 'other') return null;
  }
  return root.kind === 'suggest' ? { map: 'suggest', path, rule: root.rule } : { map: root.kind, path };
}
