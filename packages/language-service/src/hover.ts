/**
 * Hover: what a name is (input fields with their type and doc, consts, params
 * with default and constraint, lets, tables, outputs, rules, outcomes with their
 * precedence and compliance, rule lets, test inputs), builtin signatures, the
 * type of any expression, and what a contextual keyword (`cases`, `exactly`,
 * `within`, `compliant`, ...) means where it stands.
 */
import { BUILTINS, CONTEXTUAL_KEYWORDS, isContextualKeyword, printExpr, showType, signatureText, tokens, type Analysis, type Decl, type SymbolInfo, type Type } from '@verdict/language';
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { contains, expressionAt } from './ast-walk.ts';
import { occurrences, symbolKey, type Occurrence } from './occurrences.ts';
import { spanRange, type SourceFile } from './source.ts';

const code = (text: string) => `\`\`\`verdict\n${text}\n\`\`\``;

function symbolText(symbol: SymbolInfo, analysis: Analysis): string[] {
  const lines = [code(`(${symbol.kind}) ${symbol.name}: ${showType(symbol.type)}`)];
  if (symbol.kind === 'param') {
    const decl = analysis.ast.decls.find((d): d is Extract<Decl, { kind: 'Param' }> => d.kind === 'Param' && d.name.name === symbol.name);
    if (decl) lines.push(`default: \`${printExpr(decl.default)}\`${decl.where ? ` — where \`${printExpr(decl.where)}\`` : ''}`);
  }
  if (symbol.doc) lines.push(symbol.doc);
  return lines;
}

function fieldType(analysis: Analysis, path: string): Type | null {
  let type: Type | null = analysis.check.input;
  for (const name of path.split('.')) {
    let t: Type | null = type;
    while (t !== null && (t.kind === 'nullable' || t.kind === 'list' || t.kind === 'map')) t = t.kind === 'nullable' ? t.inner : t.kind === 'list' ? t.element : t.value;
    type = t?.kind === 'record' ? (t.fields.get(name)?.type ?? null) : null;
  }
  return type;
}

/** What hover says about a named thing, from its key. */
function occurrenceText(analysis: Analysis, occurrence: Occurrence): string[] | null {
  const { key } = occurrence;
  if (key.startsWith('input:')) {
    const path = key.slice('input:'.length);
    const field = occurrences(analysis).fields.get(path);
    const type = fieldType(analysis, path);
    const lines = [code(`(input) ${path}${field?.optional ? '?' : ''}: ${type === null ? '?' : showType(type)}`)];
    if (field?.sensitive) lines.push('sensitive: redacted in the decision log');
    if (field?.where) lines.push(`where \`${printExpr(field.where)}\``);
    if (field?.doc) lines.push(field.doc);
    return lines;
  }
  if (key.startsWith('rule:')) {
    const decl = analysis.ast.decls.find((d): d is Extract<Decl, { kind: 'Rule' }> => d.kind === 'Rule' && d.name.name === occurrence.name);
    if (decl === undefined) return [code(`rule ${occurrence.name}`), 'no such rule'];
    const lines = [code(`rule ${decl.name.name}${decl.severity ? ` (${decl.severity.name})` : ''}${decl.outcome ? ` -> ${decl.outcome.name}` : ''}`)];
    if (decl.doc) lines.push(decl.doc);
    return lines;
  }
  if (key.startsWith('outcome:')) {
    const outcomes = analysis.check.outcomes;
    const rank = outcomes.indexOf(occurrence.name);
    const lines = [code(`(outcome) ${occurrence.name}`)];
    if (rank >= 0) {
      const where = rank === outcomes.length - 1 ? 'the default outcome (no rule fired)' : `precedence ${rank + 1} of ${outcomes.length} (\`${outcomes.join(' > ')}\`)`;
      // Which decisions are compliant is the ruleset's to say (`compliant ...`), so say it here.
      const compliant = analysis.check.compliant.includes(occurrence.name);
      const grant = compliant && rank !== outcomes.length - 1 ? '; a rule producing it is a grant' : '';
      lines.push(`${where}; ${compliant ? 'compliant' : 'not compliant'}${grant}`);
    }
    return lines;
  }
  for (const symbol of analysis.check.symbols.values()) if (symbolKey(symbol) === key) return symbolText(symbol, analysis);
  // Rule lets and macro variables are not ruleset-level: their type is the checker's for a reference.
  for (const symbol of analysis.check.references.values()) if (symbolKey(symbol) === key) return symbolText(symbol, analysis);
  return null;
}

const KEYWORD_DOCS = new Map(CONTEXTUAL_KEYWORDS.map((k) => [k.word, k.doc]));

/** A contextual keyword under the cursor and what it means there (lexing a few lines around it). */
function keywordAt(text: string, offset: number): { lines: string[]; span: Decl['span'] } | null {
  let from = offset;
  for (let lines = 0; lines < 4 && from > 0; ) if (text[--from] === '\n') lines++;
  let to = offset;
  for (let lines = 0; lines < 3 && to < text.length; to++) if (text[to] === '\n') lines++;
  const list = tokens.verdictLexer.tokenize(text.slice(from, to)).tokens;
  const i = list.findIndex((t) => from + t.startOffset <= offset && offset < from + t.startOffset + t.image.length);
  const token = list[i];
  if (token === undefined || !isContextualKeyword(list, i)) return null;
  const doc = KEYWORD_DOCS.get(token.image);
  if (doc === undefined) return null;
  const line = token.startLine ?? 1;
  const base = text.slice(0, from).split('\n').length - 1;
  const column = token.startColumn ?? 1;
  const span = { start: from + token.startOffset, end: from + token.startOffset + token.image.length, line: base + line, column, endLine: base + line, endColumn: column + token.image.length };
  return { lines: [code(`(keyword) ${token.image}`), doc], span };
}

export function hover(source: SourceFile, offset: number): Hover | null {
  const analysis = source.analysis;
  const found = keywordAt(source.text, offset) ?? hoverAt(analysis, offset);
  if (found === null) return null;
  return { contents: { kind: MarkupKind.Markdown, value: found.lines.join('\n\n') }, range: spanRange(found.span) };
}

export function hoverAt(analysis: Analysis, offset: number): { lines: string[]; span: Decl['span'] } | null {
  const occurrence = occurrences(analysis).at(offset);
  if (occurrence !== null) {
    const lines = occurrenceText(analysis, occurrence);
    if (lines !== null) return { lines, span: occurrence.span };
  }
  const expr = expressionAt(analysis.ast, offset);
  if (expr === null) return null;
  if (expr.kind === 'Call' && contains(expr.calleeSpan, offset)) {
    const builtin = BUILTINS.get(expr.callee);
    if (builtin) return { lines: [code(builtin.overloads.map((o) => signatureText(builtin.name, o)).join('\n')), builtin.doc], span: expr.calleeSpan };
  }
  const type = analysis.check.types.get(expr.id);
  if (type) return { lines: [code(`${printExpr(expr)}: ${showType(type)}`)], span: expr.span };
  return null;
}
