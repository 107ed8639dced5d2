/**
 * Completion of the words of a statement, one after the other: a test's statements and
 * assertions (`expect message <rule> contains "..."`, `expect outputs exactly { ... } within 0.01`,
 * `cases { ... }`), and the `compliant` list of a `decision`. Contextual keywords carry the doc
 * of @verdict/language's catalogue; assertions with parts to fill in are snippets.
 */
import { CONTEXTUAL_KEYWORDS, EVALUATION_ERROR_CODES, tokens, type Analysis, type Type } from '@verdict/language';
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import type { IToken } from './context.ts';

const DOCS = new Map(CONTEXTUAL_KEYWORDS.map((k) => [k.word, k.doc]));

/** A keyword item; with `snippet`, the text inserted (tab stops `$1`, choices `${1|a,b|}`). */
export function keywordItem(word: string, snippet?: string, doc = DOCS.get(word)): CompletionItem {
  return {
    label: word,
    kind: snippet === undefined ? CompletionItemKind.Keyword : CompletionItemKind.Snippet,
    ...(snippet === undefined ? {} : { insertText: snippet, insertTextFormat: InsertTextFormat.Snippet, detail: snippet.replace(/\$\{\d+[:|]([^}|]*)[^}]*\}|\$\d+/g, '$1') }),
    ...(doc === undefined ? {} : { documentation: { kind: MarkupKind.Markdown, value: doc } }),
    sortText: `1${word}`,
  };
}

/** A snippet tab stop offering `values` to choose from, or a placeholder to overwrite when there are none. */
function choice(stop: number, values: readonly string[], placeholder: string): string {
  return values.length === 0 ? `\${${stop}:${placeholder}}` : `\${${stop}|${values.join(',')}|}`;
}

function ruleIds(analysis: Analysis): string[] {
  return analysis.ast.decls.flatMap((d) => (d.kind === 'Rule' ? [d.name.name] : []));
}

function outcomeItems(outcomes: readonly string[]): CompletionItem[] {
  return outcomes.map((o) => ({ label: o, kind: CompletionItemKind.EnumMember, detail: 'outcome', sortText: `0${o}` }));
}

function ruleItems(analysis: Analysis): CompletionItem[] {
  return ruleIds(analysis).map((id) => ({ label: id, kind: CompletionItemKind.Function, detail: `rule ${id}`, sortText: `0${id}` }));
}

/** After `expect`: what a test can assert. */
function assertionItems(analysis: Analysis): CompletionItem[] {
  const rules = ruleIds(analysis);
  return [
    keywordItem('outputs', 'outputs { $0 }', 'The named outputs have these values (others are not checked).'),
    keywordItem('suggest', `suggest ${choice(1, rules, 'rule')} { $0 }`, 'The rule fired and its suggestion has these fields with these values.'),
    keywordItem('score', 'score ${1:1}'),
    keywordItem('invalid'),
    keywordItem('message', `message ${choice(1, rules, 'rule')} "$2"`),
    keywordItem('error', `error ${choice(1, rules, 'rule')} ${choice(2, EVALUATION_ERROR_CODES, 'division_by_zero')}`),
  ];
}

/** The statements of a test. */
export function testStatementItems(analysis: Analysis): CompletionItem[] {
  return [
    keywordItem('input'),
    keywordItem('params'),
    keywordItem('expect'),
    keywordItem('cases', `cases {\n\t{ $1 } -> ${choice(2, analysis.check.outcomes, 'outcome')}\n}`),
  ];
}

const is = (token: IToken | undefined, name: string): boolean => token?.tokenType.name === name;
const isWord = (token: IToken | undefined, word: string): boolean => is(token, 'Identifier') && token!.image === word;
const isName = (token: IToken | undefined): boolean => token !== undefined && (is(token, 'Identifier') || tokens.KEYWORDS.includes(token.tokenType));

/** The index of the bracket that `close` (an index into `words`) closes, or -1. */
function openerOf(words: readonly IToken[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const name = words[i]!.tokenType.name;
    if (name === 'RBrace' || name === 'RBracket' || name === 'RParen') depth++;
    else if (name === 'LBrace' || name === 'LBracket' || name === 'LParen') depth--;
    if (depth === 0) return i;
  }
  return -1;
}

/**
 * What may follow the words of a test statement typed so far (`words`: the test's tokens before the
 * word being typed), or null when they are not the start of an assertion.
 */
export function assertionFollowers(words: readonly IToken[], analysis: Analysis): CompletionItem[] | null {
  const [w1, w2, w3] = [words.at(-1), words.at(-2), words.at(-3)];
  if (is(w1, 'Expect')) return [...outcomeItems(analysis.check.outcomes), ...assertionItems(analysis)];
  if (is(w2, 'Expect') && (isWord(w1, 'message') || isWord(w1, 'error'))) return ruleItems(analysis);
  if (is(w3, 'Expect') && isWord(w2, 'message') && isName(w1)) return [keywordItem('contains', 'contains "$1"')];
  if (is(w3, 'Expect') && isWord(w2, 'error') && isName(w1)) {
    return EVALUATION_ERROR_CODES.map((code) => ({ label: code, kind: CompletionItemKind.EnumMember, detail: 'evaluation error code', sortText: `0${code}` }));
  }
  if (is(w2, 'Expect') && is(w1, 'Outputs')) return [keywordItem('exactly', 'exactly { $0 }')];
  if (is(w3, 'Expect') && is(w2, 'Suggest') && isName(w1)) return [keywordItem('exactly', 'exactly { $0 }')];
  if (is(w2, 'Expect') && isWord(w1, 'invalid')) return [keywordItem('at', 'at "$1"')];
  if (is(w2, 'Expect') && is(w1, 'Identifier') && analysis.check.outcomes.includes(w1!.image)) return [keywordItem('by', 'by [$0]', 'Exactly these rules fired (`by []`: none).')];
  if (is(w1, 'RBrace')) {
    // `expect outputs { ... }` or `expect outputs exactly { ... }` just closed
    const open = openerOf(words, words.length - 1);
    const before = words[open - 1];
    const outputs = is(before, 'Outputs') ? open - 1 : isWord(before, 'exactly') && is(words[open - 2], 'Outputs') ? open - 2 : -1;
    if (outputs > 0 && is(words[outputs - 1], 'Expect')) return [keywordItem('within', 'within ${1:0.001}')];
  }
  return null;
}

/** Inside `cases {` (not in a row's map): a row to fill in, the outcomes after `->`, `by` after an outcome. */
export function casesItems(words: readonly IToken[], analysis: Analysis): CompletionItem[] {
  const [w1, w2] = [words.at(-1), words.at(-2)];
  if (is(w1, 'Arrow')) return outcomeItems(analysis.check.outcomes);
  const row = { ...keywordItem('{ } -> outcome', `{ $1 } -> ${choice(2, analysis.check.outcomes, 'outcome')}`, 'A row: the fields of the input that differ from the test\'s `input`, and the outcome expected.'), filterText: '{' };
  if (is(w2, 'Arrow') && is(w1, 'Identifier')) return [keywordItem('by', 'by [$0]', 'Exactly these rules fired (`by []`: none).'), row];
  return [row];
}

/**
 * In a `decision` (`words` start at it, the word being typed excluded): `compliant` after two or more
 * outcomes, then the outcomes listed before and not yet after it. Null when not in one.
 */
export function decisionItems(words: readonly IToken[]): CompletionItem[] | null {
  const start = words.findLastIndex((t) => is(t, 'Decision'));
  if (start < 0) return null;
  const outcomes: string[] = [];
  let i = start + 1;
  while (is(words[i], 'Identifier') && !isWord(words[i], 'compliant')) {
    outcomes.push(words[i]!.image);
    if (!is(words[i + 1], 'Greater')) {
      i++;
      break;
    }
    i += 2;
  }
  if (i === words.length) {
    if (outcomes.length < 2 || !is(words[i - 1], 'Identifier')) return [];
    return [keywordItem('compliant', `compliant ${choice(1, outcomes, 'outcome')}`)];
  }
  if (!isWord(words[i], 'compliant')) return null;
  const listed = new Set<string>();
  for (let j = i + 1; j < words.length; j += 2) {
    if (!is(words[j], 'Identifier')) return null;
    listed.add(words[j]!.image);
    if (j + 1 < words.length && !is(words[j + 1], 'Comma')) return null;
  }
  const last = words.at(-1);
  if (!isWord(last, 'compliant') && !is(last, 'Comma')) return [];
  return outcomeItems(outcomes.filter((o) => !listed.has(o))).map((item) => ({ ...item, detail: outcomes.at(-1) === item.label ? 'outcome (the default)' : 'outcome' }));
}

/** The paths of the input's record fields (`service.sla.availability`), for `expect invalid at "`. */
export function inputPaths(input: Type): string[] {
  const paths: string[] = [];
  const visit = (type: Type, prefix: string): void => {
    const t = type.kind === 'nullable' ? type.inner : type;
    if (t.kind !== 'record') return;
    for (const [name, field] of t.fields) {
      const path = prefix === '' ? name : `${prefix}.${name}`;
      paths.push(path);
      visit(field.type, path);
    }
  };
  visit(input, '');
  return paths;
}

/** Whether the string being typed is a path of `expect invalid at "a", "b"`. */
export function inInvalidPaths(before: readonly IToken[]): boolean {
  let i = before.length - 1;
  while (is(before[i], 'Comma') && is(before[i - 1], 'StringLiteral')) i -= 2;
  return isWord(before[i], 'at') && isWord(before[i - 1], 'invalid') && is(before[i - 2], 'Expect');
}
