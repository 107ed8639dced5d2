/**
 * The canonical formatter (`verdict fmt`).
 *
 * Style rules (one way to print every construct):
 * - 2-space indentation, lines of at most 100 columns where breaking allows it,
 *   no trailing spaces, `\n` line ends, one final newline.
 * - `ruleset name` first, then the declarations in the author's order, separated
 *   by one empty line. Exception: consecutive one-line `const`/`param`/`let`/
 *   `output`/`decision`/`weights`/`on error` lines keep the author's choice of
 *   zero or one empty line between them.
 * - Blocks (`input`, records, `table`, `rule`, `test`) hold one item per line;
 *   one empty line is kept where the author left one or more between items.
 *   A record type inside a type (`rec: { id: string, owner?: string }`, also in
 *   table headers) goes on one line when it fits and was written with no line
 *   break after `{` (Prettier's rule for objects) and holds no comment, doc or
 *   `where`; otherwise it is a block. Empty blocks print `{}`.
 * - Rule and test statements keep the order the author wrote them in.
 * - Spacing: `a + b`, `x: T`, `name = value`, `f(a, b)`, `[1, 2]`, `{ a: 1 }`,
 *   `list<T>`, `"a" | "b"`, `decision a > b`, `-> value`, `severity high`.
 * - Lists, maps, calls, table parameters and `weights` go on one line when they
 *   fit, otherwise one item per line with a trailing comma (none for table
 *   parameters, where the grammar forbids it).
 * - `&&`, `||` and `??` chains that do not fit break before each operator,
 *   continuation lines indented by 2; a parenthesized chain that breaks puts
 *   `(` and `)` on their own lines around it, and so does a parenthesized
 *   `? :` (its `?` and `:` never start lines outside the parentheses).
 *   `? :` breaks before `?` and `:`.
 *   A long `where` clause moves to its own indented line.
 * - Parentheses: only where precedence needs them (`? :` < `||` < `&&` <
 *   comparison < `??` < `+ -` < `* / %` < unary < postfix), plus clarifying
 *   ones printed on purpose: `&&` inside `||` (`(a && b) || c`); `??` as an
 *   operand of a comparison, `&&` or `||` (`(a ?? 0) < 3`, `(a ?? false) && b`); a conditional as the `?` branch
 *   of another; names/`true`/`null` used as computed map keys (`{ (k): 1 }`).
 *   Every other redundant pair of parentheses is dropped.
 *   A few more stay because the grammar needs them where layout changes: a
 *   table row's result or first pattern when the next row would otherwise
 *   continue it (`x` then `(p)` reads as a call; `-1`, `[..]` continue it),
 *   a `_...` pattern value, and a non-template `because` message that would
 *   start with `"` (it would read as a template). A `where` clause followed by
 *   a field named `in` keeps its separating comma.
 * - `a ? b : c ? d : e` chains break as one `: test ? value` line per case.
 * - Literals (numbers, strings, templates, union members) print exactly as written.
 * - Comments: a comment on its own line stays on its own line before the thing
 *   that follows it (empty lines around it kept, at most one); a comment after
 *   code stays at the end of that line; comments before a closing `}`/`]`/`)`
 *   stay at the end of the block; comments at the end of the file stay there.
 *   A comment inside an expression where no line break is possible moves to
 *   the end of that line; a line holds at most one comment, so a further one
 *   moves to a line of its own below, followed by an empty line (which keeps
 *   it from becoming the doc comment of what follows). An empty line also
 *   separates a full-line comment from the item after it when code stood
 *   between them in the source, for the same reason.
 *
 * Safety net (as in Cedar): the output is parsed again and compared with the
 * input's AST (spans and ids aside, doc comments included) and comment list;
 * if anything differs the file is left unchanged and VD1099 is reported. The
 * output is also formatted again until it no longer changes (at most 3
 * rounds), so the result is always a fixed point.
 */
import type { IToken } from 'chevrotain';
import { parseKeepingTokens, type ParseResult } from '../parse.ts';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics.ts';
import type * as A from '../ast.ts';
import { CommentQueue } from './comments.ts';
import { meaningDiff } from './compare.ts';
import { printRuleset } from './decls.ts';

export interface FormatResult {
  /** The canonical text, or null when the file cannot be formatted (syntax errors, or the safety net). */
  text: string | null;
  diagnostics: Diagnostic[];
}

/**
 * Formats a ruleset canonically.
 *
 * @example
 * format('ruleset a\nconst X=[1,2]').text // "ruleset a\n\nconst X = [1, 2]\n"
 */
export function format(source: string): FormatResult {
  let before: Parsed;
  try {
    before = parseKeepingTokens(source);
  } catch (error) {
    // parse() is meant never to throw; if it does, leave the file alone rather than crash.
    return refuse(source, `the parser failed: ${error instanceof Error ? error.message : String(error)}`, 'the formatter could not read this file; it was left unchanged');
  }
  if (hasErrors(before.diagnostics)) return { text: null, diagnostics: before.diagnostics.filter((d) => d.severity === 'error') };
  let text: string;
  try {
    // one queue (one lexing of the source) for the check and the printer
    const queue = new CommentQueue(source, before.ast.comments, before.tokens);
    if (hasRepeatedTestStatement(before.ast, queue)) return refuse(source, 'a test repeats `input` or `params`');
    text = printRuleset(before.ast, source, queue);
  } catch (error) {
    return refuse(source, error instanceof Error ? error.message : String(error));
  }
  // A comment in an odd place can land elsewhere on the first pass; formatting again until the
  // text is stable (it almost always is at once) makes format(format(x)) == format(x) hold.
  for (let round = 0; ; round++) {
    const checked = check(before, source, text);
    if (checked.problem !== null) return refuse(source, checked.problem);
    if (round === MAX_ROUNDS) return refuse(source, 'the output is not stable');
    let again: string;
    try {
      again = printRuleset(checked.after, text, new CommentQueue(text, checked.after.comments, checked.tokens));
    } catch (error) {
      return refuse(source, error instanceof Error ? error.message : String(error));
    }
    if (again === text) return { text, diagnostics: [] };
    text = again;
  }
}

const MAX_ROUNDS = 3;

type Parsed = ParseResult & { tokens: readonly IToken[] };

/** Parses the output and compares it with the input's parse. */
function check(before: Parsed, source: string, text: string): { problem: string | null; after: A.Ruleset; tokens: readonly IToken[] | undefined } {
  let after: Parsed;
  try {
    after = parseKeepingTokens(text);
  } catch {
    return { problem: 'the output does not parse', after: before.ast, tokens: undefined };
  }
  if (hasErrors(after.diagnostics)) return { problem: 'the output does not parse', after: after.ast, tokens: after.tokens };
  return { problem: meaningDiff(before.ast, source, after.ast, text), after: after.ast, tokens: after.tokens };
}

const CHANGED = 'the formatter would change the meaning of this file; it was left unchanged';

function refuse(source: string, why: string, message = CHANGED): FormatResult {
  const lines = source.split('\n');
  const span: A.Span = {
    start: 0,
    end: source.length,
    line: 1,
    column: 1,
    endLine: lines.length,
    endColumn: (lines[lines.length - 1]?.length ?? 0) + 1,
  };
  return {
    text: null,
    diagnostics: [
      diagnostic('VD1099', 'error', message, span, {
        hint: 'please report this file',
        related: [{ message: `formatter check: ${why}`, span }],
      }),
    ],
  };
}

/** The parser keeps only the last `input`/`params` of a test; printing from the AST would drop the others. */
function hasRepeatedTestStatement(ast: A.Ruleset, q: CommentQueue): boolean {
  for (const decl of ast.decls) {
    if (decl.kind !== 'Test') continue;
    let depth = 0;
    const seen = new Map<string, number>();
    for (const token of q.tokensIn(decl.span.start, decl.span.end)) {
      const image = token.image;
      if (image === '{' || image === '[' || image === '(') depth++;
      else if (image === '}' || image === ']' || image === ')') depth--;
      else if (depth === 1 && (token.tokenType.name === 'Input' || token.tokenType.name === 'Params')) {
        seen.set(image, (seen.get(image) ?? 0) + 1);
        if (seen.get(image)! > 1) return true;
      }
    }
  }
  return false;
}
