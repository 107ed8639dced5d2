/**
 * Completion: after `a.b.` the fields of that record (input fields with their
 * types) and the functions usable in method form; elsewhere keywords, the
 * ruleset's names (input fields, consts, params, lets, tables) and the
 * builtin functions with their signatures.
 */
import { BUILTINS, SEVERITIES, showType, signatureText, tokens, type Analysis } from '@verdict/language';
import { monaco } from '../monaco.ts';
import { schemaAnalysisOf } from './analysis-cache.ts';
import { dottedPathBefore, ruleLocals, typeOfPath } from './paths.ts';

const KIND = monaco.languages.CompletionItemKind;
const KEYWORDS = tokens.KEYWORDS.map((t) => t.name.toLowerCase());

const SYMBOL_KIND: Record<string, monaco.languages.CompletionItemKind> = {
  input: KIND.Field,
  const: KIND.Constant,
  param: KIND.Variable,
  let: KIND.Variable,
  'rule-let': KIND.Variable,
  table: KIND.Function,
  output: KIND.Value,
  variable: KIND.Variable,
};

function builtinItems(range: monaco.IRange, method: boolean): monaco.languages.CompletionItem[] {
  const items: monaco.languages.CompletionItem[] = [];
  for (const builtin of BUILTINS.values()) {
    if (method && builtin.overloads.every((o) => o.params.length === 0)) continue;
    const signatures = builtin.overloads.map((o) => signatureText(builtin.name, o));
    items.push({
      label: { label: builtin.name, description: signatures[0] ?? '' },
      kind: method ? KIND.Method : KIND.Function,
      insertText: `${builtin.name}($0)`,
      insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet,
      detail: signatures.join('\n'),
      documentation: builtin.doc,
      range,
      sortText: `3${builtin.name}`,
    });
  }
  for (const macro of ['all', 'exists', 'exists_one', 'map', 'filter']) {
    if (!method) break;
    items.push({ label: macro, kind: KIND.Method, insertText: `${macro}(\${1:x}, $0)`, insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet, detail: `list.${macro}(x, predicate) (macro)`, range, sortText: `4${macro}` });
  }
  // CEL's two-variable comprehensions: index (or key) and value
  for (const macro of ['existsOne', 'transformList', 'transformMap', 'transformMapEntry']) {
    if (!method) break;
    items.push({ label: macro, kind: KIND.Method, insertText: `${macro}(\${1:i}, \${2:v}, $0)`, insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet, detail: `list.${macro}(i, v, ...) (macro)`, range, sortText: `4${macro}` });
  }
  return items;
}

export function completionItems(analysis: Analysis, textBefore: string, offset: number, range: monaco.IRange): monaco.languages.CompletionItem[] {
  const locals = ruleLocals(analysis, offset);
  const dotted = dottedPathBefore(textBefore);
  if (dotted !== null) {
    const items: monaco.languages.CompletionItem[] = [];
    const type = typeOfPath(analysis, dotted.path, locals);
    if (type?.kind === 'record') {
      for (const [name, field] of type.fields) {
        items.push({ label: { label: name, description: `${showType(field.type)}${field.optional ? ' (optional)' : ''}` }, kind: KIND.Field, insertText: name, detail: `${dotted.path.join('.')}.${name}: ${showType(field.type)}`, range, sortText: `0${name}` });
      }
    }
    items.push(...builtinItems(range, true));
    return items;
  }
  if (/\bseverity\s+\w*$/.test(textBefore)) {
    return SEVERITIES.map((s) => ({ label: s, kind: KIND.EnumMember, insertText: s, range }));
  }
  const items: monaco.languages.CompletionItem[] = [];
  for (const [name, type] of locals) {
    items.push({ label: { label: name, description: `rule let: ${showType(type)}` }, kind: KIND.Variable, insertText: name, detail: `let ${name}: ${showType(type)}`, range, sortText: `0${name}` });
  }
  for (const symbol of analysis.check.symbols.values()) {
    if (symbol.kind === 'output') continue;
    items.push({
      label: { label: symbol.name, description: `${symbol.kind}: ${showType(symbol.type)}` },
      kind: SYMBOL_KIND[symbol.kind] ?? KIND.Variable,
      insertText: symbol.kind === 'table' ? `${symbol.name}($0)` : symbol.name,
      insertTextRules: symbol.kind === 'table' ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : monaco.languages.CompletionItemInsertTextRule.None,
      detail: `${symbol.kind} ${symbol.name}: ${showType(symbol.type)}`,
      ...(symbol.doc ? { documentation: symbol.doc } : {}),
      range,
      sortText: `1${symbol.name}`,
    });
  }
  for (const outcome of analysis.check.outcomes) items.push({ label: outcome, kind: KIND.EnumMember, insertText: outcome, detail: 'outcome', range, sortText: `2${outcome}` });
  for (const word of KEYWORDS) items.push({ label: word, kind: KIND.Keyword, insertText: word, range, sortText: `5${word}` });
  items.push(...builtinItems(range, false));
  return items;
}

export function registerCompletion(languageId: string): monaco.IDisposable {
  return monaco.languages.registerCompletionItemProvider(languageId, {
    triggerCharacters: ['.'],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const textBefore = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      return { suggestions: completionItems(schemaAnalysisOf(model), textBefore, model.getOffsetAt(position), range) };
    },
  });
}
