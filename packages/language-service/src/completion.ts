/**
 * Completion, by where the cursor is:
 * - nothing inside comments, nor inside strings (but inside a `because`
 *   message's `{}` hole, code completion);
 * - inside a string compared with a literal union (`tier == "`,
 *   `tier in ["`, `tier: "` in a test's input): the union's values;
 *   after `expect invalid at "`: the input's paths;
 * - after `a.b.`: that record's fields, then the functions usable in method
 *   form on its type (no `abs` on a `list<string>`);
 * - in a test's `input {}` and the rows of `cases {}`: the fields of the record
 *   at that path (values of a literal union after `field:`); `params {}`: params;
 *   `outputs {}`: outputs; `expect suggest r {}`: r's suggestion fields;
 * - in a test: its statements (`cases` as a snippet); after `expect`: outcomes and
 *   the assertions (snippets), then each assertion's words in turn (`exactly`,
 *   `within`, `contains`, `at`, rule names, error codes); in `cases {`: a row
 *   snippet, outcomes after `->`;
 * - `expect ... by [`, `expect suggest`: rule names; `severity`: severities;
 * - in a `decision`: `compliant` after the outcomes, then the outcomes not yet listed;
 * - elsewhere: keywords, the ruleset's names and the builtin functions (and
 *   `type` at the top level, `contains` among a table's patterns).
 */
import {
  BUILTINS,
  SEVERITIES,
  showType,
  signatureText,
  tokens,
  type Analysis,
  type Builtin,
  type FieldType,
  type SignatureType,
  type Type,
} from '@verdict/language';
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver-types';
import { cursorContext, mapPath, type CursorContext, type IToken } from './context.ts';
import { dottedPathBefore, ruleLocals, typeOfPath } from './paths.ts';
import type { SourceFile } from './source.ts';
import { assertionFollowers, casesItems, decisionItems, inInvalidPaths, inputPaths, keywordItem, testStatementItems } from './statement-completion.ts';

const KEYWORDS = tokens.KEYWORDS.map((t) => t.name.toLowerCase());
const MACROS = ['all', 'exists', 'exists_one', 'map', 'filter'];
const PAIR_MACROS = ['existsOne', 'transformList', 'transformMap', 'transformMapEntry'];

const SYMBOL_KIND: Record<string, CompletionItemKind> = {
  input: CompletionItemKind.Field,
  const: CompletionItemKind.Constant,
  param: CompletionItemKind.Variable,
  let: CompletionItemKind.Variable,
  'rule-let': CompletionItemKind.Variable,
  table: CompletionItemKind.Function,
  output: CompletionItemKind.Value,
  variable: CompletionItemKind.Variable,
};

function stripNullable(t: Type): Type {
  return t.kind === 'nullable' ? t.inner : t;
}

/** The primitive family of a type: a literal union is its values' type. */
function family(t: Type): string {
  if (t.kind !== 'literal') return t.kind;
  const kinds = new Set(t.values.map((v) => typeof v));
  return kinds.size === 1 ? [...kinds][0]! : 'any';
}

function accepts(param: SignatureType, receiver: Type): boolean {
  const t = stripNullable(receiver);
  if (t.kind === 'any' || t.kind === 'error' || param === 'T') return true;
  if (param === 'list<T>') return t.kind === 'list';
  if (param === 'map<T>') return t.kind === 'map' || t.kind === 'record';
  if (param.kind === 'any') return true;
  if (param.kind === 'list') return t.kind === 'list' && (param.element.kind === 'any' || family(stripNullable(t.element)) === 'any' || family(param.element) === family(stripNullable(t.element)));
  if (param.kind === 'map') return t.kind === 'map' || t.kind === 'record';
  return family(param) === family(t);
}

/** Whether `builtin` can be called as `receiver.name(...)`. */
export function usableAsMethod(builtin: Builtin, receiver: Type | null): boolean {
  return builtin.overloads.some((o) => {
    const first = o.params[0] ?? o.rest;
    return first !== undefined && (receiver === null || accepts(first.type, receiver));
  });
}

function builtinItems(method: boolean, receiver: Type | null): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const builtin of BUILTINS.values()) {
    if (method && !usableAsMethod(builtin, receiver)) continue;
    const signatures = builtin.overloads.map((o) => signatureText(builtin.name, o));
    items.push({
      label: builtin.name,
      labelDetails: { description: signatures[0] ?? '' },
      kind: method ? CompletionItemKind.Method : CompletionItemKind.Function,
      insertText: `${builtin.name}($0)`,
      insertTextFormat: InsertTextFormat.Snippet,
      detail: signatures.join('\n'),
      documentation: builtin.doc,
      sortText: `3${builtin.name}`,
    });
  }
  const iterable = receiver === null || ['list', 'map', 'record', 'any', 'error'].includes(stripNullable(receiver).kind);
  if (method && iterable) {
    for (const macro of MACROS) {
      items.push({ label: macro, kind: CompletionItemKind.Method, insertText: `${macro}(\${1:x}, $0)`, insertTextFormat: InsertTextFormat.Snippet, detail: `list.${macro}(x, predicate) (macro)`, sortText: `4${macro}` });
    }
    // CEL's two-variable comprehensions: (index or key, value)
    for (const macro of PAIR_MACROS) {
      items.push({ label: macro, kind: CompletionItemKind.Method, insertText: `${macro}(\${1:i}, \${2:v}, $0)`, insertTextFormat: InsertTextFormat.Snippet, detail: `list.${macro}(i, v, ...) (macro)`, sortText: `4${macro}` });
    }
  }
  return items;
}

function fieldItems(fields: ReadonlyMap<string, FieldType>, owner: string, insert: (name: string) => string, skip: ReadonlySet<string> = new Set()): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const [name, field] of fields) {
    if (skip.has(name)) continue;
    const type = `${showType(field.type)}${field.optional ? ' (optional)' : ''}`;
    items.push({ label: name, labelDetails: { description: type }, kind: CompletionItemKind.Field, insertText: insert(name), detail: `${owner === '' ? '' : `${owner}.`}${name}: ${showType(field.type)}`, sortText: `0${name}` });
  }
  return items;
}

/** The values of a literal union, quoted (`"free"`) or bare (inside a string being typed). */
function literalItems(type: Type | null, source: SourceFile, replace: { start: number; end: number } | null): CompletionItem[] {
  if (type === null) return [];
  const t = stripNullable(type);
  if (t.kind === 'boolean') return ['true', 'false'].map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, sortText: `0${v}` }));
  if (t.kind !== 'literal') return [];
  return t.values
    .filter((v) => replace === null || typeof v === 'string')
    .map((v) => {
      const text = replace === null ? JSON.stringify(v) : String(v);
      const item: CompletionItem = { label: text, kind: CompletionItemKind.EnumMember, detail: showType(t), sortText: `0${text}` };
      if (replace !== null) item.textEdit = { range: source.rangeOf(replace.start, replace.end), newText: text };
      return item;
    });
}

/** The dotted path of names ending just before token `end` (exclusive): `service.sla?.availability`. */
function pathBefore(list: readonly IToken[], end: number): string[] | null {
  const path: string[] = [];
  let i = end - 1;
  while (i >= 0) {
    const token = list[i]!;
    if (token.tokenType.name !== 'Identifier') return null;
    path.unshift(token.image);
    const sep = list[i - 1]?.tokenType.name;
    if (sep !== 'Dot' && sep !== 'QuestionDot') break;
    i -= 2;
  }
  return path.length === 0 ? null : path;
}

/** `path ==`, `path !=` or `path in [..., ` right before the end of `list`: the compared path. */
function comparedPath(list: readonly IToken[]): string[] | null {
  let i = list.length - 1;
  const last = list[i]?.tokenType.name;
  if (last === 'EqualEqual' || last === 'NotEqual') return pathBefore(list, i);
  while (i >= 0 && (list[i]!.tokenType.name === 'Comma' || list[i]!.tokenType.name === 'StringLiteral')) i--;
  if (list[i]?.tokenType.name === 'LBracket' && list[i - 1]?.tokenType.name === 'In') return pathBefore(list, i - 1);
  return null;
}

/** The tokens of the current entry of a map (after the last top-level comma), and its key when a `:` was typed. */
function mapEntry(since: readonly IToken[]): { key: string | null; present: Set<string> } {
  let depth = 0;
  let start = 0;
  const present = new Set<string>();
  for (let i = 0; i < since.length; i++) {
    const name = since[i]!.tokenType.name;
    if (name === 'LBrace' || name === 'LBracket' || name === 'LParen') depth++;
    else if (name === 'RBrace' || name === 'RBracket' || name === 'RParen') depth--;
    else if (depth === 0 && name === 'Comma') start = i + 1;
    else if (depth === 0 && name === 'Colon' && i > 0) present.add(since[i - 1]!.image.replace(/^["']|["']$/g, ''));
  }
  const entry = since.slice(start);
  const colon = entry.findIndex((t) => t.tokenType.name === 'Colon');
  const key = colon > 0 ? entry[colon - 1]!.image.replace(/^["']|["']$/g, '') : null;
  return { key, present };
}

/** Keys written after the cursor in the same map (up to its closing brace), so they are not offered again. */
function keysAfter(text: string, offset: number): Set<string> {
  const keys = new Set<string>();
  const list = tokens.verdictLexer.tokenize(text.slice(offset, offset + 20_000)).tokens;
  let depth = 0;
  for (let i = 0; i < list.length; i++) {
    const name = list[i]!.tokenType.name;
    if (name === 'LBrace' || name === 'LBracket' || name === 'LParen') depth++;
    else if (name === 'RBrace' || name === 'RBracket' || name === 'RParen') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && name === 'Colon' && i > 0) keys.add(list[i - 1]!.image.replace(/^["']|["']$/g, ''));
  }
  return keys;
}

function recordAt(type: Type | null, path: readonly string[]): Type | null {
  let t: Type | null = type;
  for (const name of path) {
    if (t === null) return null;
    let s = stripNullable(t);
    while (s.kind === 'list') s = stripNullable(s.element);
    if (s.kind === 'record') t = s.fields.get(name)?.type ?? null;
    else if (s.kind === 'map') t = s.value;
    else return null;
  }
  if (t === null) return null;
  let s = stripNullable(t);
  while (s.kind === 'list') s = stripNullable(s.element);
  return s;
}

function namesOf(analysis: Analysis, kind: 'param' | 'output'): Map<string, FieldType> {
  const map = new Map<string, FieldType>();
  for (const symbol of analysis.check.symbols.values()) if (symbol.kind === kind) map.set(symbol.name, { type: symbol.type, optional: kind === 'param' });
  return map;
}

function ruleNames(analysis: Analysis, skip: ReadonlySet<string>): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const decl of analysis.ast.decls) {
    if (decl.kind !== 'Rule' || skip.has(decl.name.name)) continue;
    items.push({ label: decl.name.name, kind: CompletionItemKind.Function, detail: `rule ${decl.name.name}`, ...(decl.doc ? { documentation: decl.doc } : {}), sortText: `0${decl.name.name}` });
  }
  return items;
}

/** The fields of a rule's suggestion, with the types of their values. */
function suggestionFields(analysis: Analysis, rule: string): Map<string, FieldType> {
  const fields = new Map<string, FieldType>();
  const decl = analysis.ast.decls.find((d) => d.kind === 'Rule' && d.name.name === rule);
  if (decl?.kind !== 'Rule') return fields;
  for (const s of decl.suggestions) fields.set(s.name.name, { type: analysis.check.types.get(s.value.id) ?? { kind: 'any' }, optional: false });
  return fields;
}

function inMap(context: CursorContext, source: SourceFile, offset: number): CompletionItem[] | null {
  const where = mapPath(context);
  if (where === null) return null;
  const analysis = source.analysis;
  const entry = mapEntry(context.since);
  const root: Type =
    where.map === 'input'
      ? analysis.check.input
      : { kind: 'record', fields: where.map === 'suggest' ? suggestionFields(analysis, where.rule ?? '') : namesOf(analysis, where.map === 'params' ? 'param' : 'output') };
  const record = recordAt(root, where.path);
  if (entry.key === null) {
    if (record?.kind !== 'record') return [];
    const present = new Set([...entry.present, ...keysAfter(source.text, offset)]);
    return fieldItems(record.fields, where.path.join('.'), (name) => `${name}: `, present);
  }
  const valueType = record?.kind === 'record' ? (record.fields.get(entry.key)?.type ?? null) : null;
  if (context.in === 'string') return literalItems(valueType, source, valueRange(context));
  return literalItems(valueType, source, null);
}

/** Inside an open string: from after its quote to the cursor. */
function valueRange(context: CursorContext): { start: number; end: number } | null {
  if (context.string === null) return null;
  const quote = /^[rRbB]{0,2}["']/.exec(context.string.image)?.[0].length ?? 1;
  return { start: context.string.start + quote, end: context.string.start + context.string.image.length };
}

export function completion(source: SourceFile, offset: number): CompletionItem[] {
  const context = cursorContext(source.text, offset);
  if (context.in === 'comment') return [];
  const analysis = source.analysis;
  const locals = ruleLocals(analysis, offset);
  const mapped = inMap(context, source, offset);
  if (mapped !== null) return mapped;
  if (context.in === 'string') {
    if (context.string !== null && inInvalidPaths(context.string.before)) {
      const range = valueRange(context);
      return inputPaths(analysis.check.input).map((path, i) => ({
        label: path,
        kind: CompletionItemKind.Field,
        detail: 'input path',
        sortText: `0${String(i).padStart(4, '0')}`,
        ...(range === null ? {} : { textEdit: { range: source.rangeOf(range.start, range.end), newText: path } }),
      }));
    }
    const compared = comparedPath(context.tokens);
    return compared === null ? [] : literalItems(typeOfPath(analysis, compared, locals), source, valueRange(context));
  }
  const frame = context.frames[context.frames.length - 1];
  const since = context.since;
  const lastName = since[since.length - 1]?.tokenType.name;
  const beforeWord = context.word !== null && since[since.length - 1] === context.word ? since.slice(0, -1) : since;
  const tail = beforeWord.map((t) => t.tokenType.name);
  const at = (...names: string[]) => names.length <= tail.length && names.every((n, i) => tail[tail.length - names.length + i] === n);

  // Whether the cursor is on the line of the last word before it (a statement's next word), or on a new line.
  const lastBefore = beforeWord[beforeWord.length - 1];
  const sameLine = lastBefore === undefined || !source.text.slice(context.from + lastBefore.startOffset + lastBefore.image.length, offset).includes('\n');

  if (frame?.kind === 'by') return ruleNames(analysis, new Set(since.filter((t) => t.tokenType.name === 'Identifier').map((t) => t.image)));
  if (at('Expect', 'Suggest')) return ruleNames(analysis, new Set());
  if (at('Severity')) return SEVERITIES.map((s) => ({ label: s, kind: CompletionItemKind.EnumMember }));
  if (frame?.kind === 'test') return (sameLine ? assertionFollowers(beforeWord, analysis) : null) ?? testStatementItems(analysis);
  if (frame?.kind === 'cases') return casesItems(beforeWord, analysis);
  // On a new line after a decision, `compliant` may still come (with the declarations that may start there).
  const decision = frame === undefined ? decisionItems(beforeWord) : null;
  if (decision !== null && sameLine) return decision;

  const lineStart = source.text.lastIndexOf('\n', offset - 1) + 1;
  const dotted = dottedPathBefore(source.text.slice(lineStart, offset));
  if (dotted !== null) {
    const type = typeOfPath(analysis, dotted.path, locals);
    const items: CompletionItem[] = [];
    if (type?.kind === 'record') items.push(...fieldItems(type.fields, dotted.path.join('.'), (name) => name));
    items.push(...builtinItems(true, type));
    return items;
  }
  if (lastName === 'Dot' || lastName === 'QuestionDot') return builtinItems(true, null);

  const items: CompletionItem[] = [];
  const compared = comparedPath(beforeWord);
  if (compared !== null) items.push(...literalItems(typeOfPath(analysis, compared, locals), source, null));
  for (const [name, type] of locals) {
    items.push({ label: name, labelDetails: { description: `rule let: ${showType(type)}` }, kind: CompletionItemKind.Variable, detail: `let ${name}: ${showType(type)}`, sortText: `1${name}` });
  }
  for (const symbol of analysis.check.symbols.values()) {
    if (symbol.kind === 'output') continue;
    const table = symbol.kind === 'table';
    items.push({
      label: symbol.name,
      labelDetails: { description: `${symbol.kind}: ${showType(symbol.type)}` },
      kind: SYMBOL_KIND[symbol.kind] ?? CompletionItemKind.Variable,
      insertText: table ? `${symbol.name}($0)` : symbol.name,
      insertTextFormat: table ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      detail: `${symbol.kind} ${symbol.name}: ${showType(symbol.type)}`,
      ...(symbol.doc ? { documentation: symbol.doc } : {}),
      sortText: `1${symbol.name}`,
    });
  }
  for (const outcome of analysis.check.outcomes) items.push({ label: outcome, kind: CompletionItemKind.EnumMember, detail: 'outcome', sortText: `2${outcome}` });
  for (const word of KEYWORDS) items.push({ label: word, kind: CompletionItemKind.Keyword, sortText: `5${word}` });
  if (frame === undefined) {
    items.push(...(decision ?? []), { ...keywordItem('type', 'type ${1:Name} = $0'), sortText: '5type' });
  }
  // Directly in a table's rows: the `contains` pattern
  if (context.frames.length === 1 && context.tokens[0]?.tokenType === tokens.Table) items.push({ ...keywordItem('contains'), sortText: '5contains' });
  items.push(...builtinItems(false, null));
  return items;
}
