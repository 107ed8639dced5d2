/**
 * Semantic tokens: what each name is (input field, const, param, let, table,
 * output, rule, outcome, variable) and builtin calls, so themes colour names by
 * meaning on top of the TextMate grammar's keywords, strings and numbers; and
 * the contextual keywords (`cases`, `compliant`, `exactly`, ...), which a
 * grammar of regular expressions can only guess at, as keywords where the
 * parser reads them so.
 */
import { BUILTINS, isContextualKeyword, tokens } from '@verdict/language';
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import { expressionsOf } from './ast-walk.ts';
import { occurrences, type OccurrenceKind } from './occurrences.ts';
import type { SourceFile } from './source.ts';

const TYPES = ['property', 'variable', 'parameter', 'function', 'method', 'class', 'enumMember', 'keyword'] as const;
const MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

const TYPE_OF: Record<OccurrenceKind, (typeof TYPES)[number]> = {
  input: 'property',
  const: 'variable',
  param: 'parameter',
  let: 'variable',
  'rule-let': 'variable',
  variable: 'variable',
  table: 'function',
  output: 'property',
  rule: 'class',
  outcome: 'enumMember',
};

const bit = (m: (typeof MODIFIERS)[number]) => 1 << MODIFIERS.indexOf(m);

export function semanticTokens(source: SourceFile): SemanticTokens {
  const analysis = source.analysis;
  const found: Array<{ line: number; column: number; length: number; type: number; modifiers: number }> = [];
  for (const o of occurrences(analysis).all) {
    if (o.span.line !== o.span.endLine) continue;
    const modifiers = (o.definition ? bit('declaration') : 0) | (o.kind === 'const' ? bit('readonly') : 0);
    found.push({ line: o.span.line - 1, column: o.span.column - 1, length: o.span.end - o.span.start, type: TYPES.indexOf(TYPE_OF[o.kind]), modifiers });
  }
  for (const expr of expressionsOf(analysis.ast)) {
    if (expr.kind !== 'Call' || !BUILTINS.has(expr.callee) || analysis.check.references.has(expr.id)) continue;
    const s = expr.calleeSpan;
    found.push({ line: s.line - 1, column: s.column - 1, length: s.end - s.start, type: TYPES.indexOf(expr.target === null ? 'function' : 'method'), modifiers: bit('defaultLibrary') });
  }
  const lexed = tokens.verdictLexer.tokenize(source.text).tokens;
  lexed.forEach((t, i) => {
    if (isContextualKeyword(lexed, i)) found.push({ line: (t.startLine ?? 1) - 1, column: (t.startColumn ?? 1) - 1, length: t.image.length, type: TYPES.indexOf('keyword'), modifiers: 0 });
  });
  found.sort((a, b) => a.line - b.line || a.column - b.column);
  const data: number[] = [];
  let line = 0;
  let column = 0;
  for (const t of found) {
    data.push(t.line - line, t.line === line ? t.column - column : t.column, t.length, t.type, t.modifiers);
    line = t.line;
    column = t.column;
  }
  return { data };
}
