/**
 * The catalogue of contextual keywords (the editors colour and complete from it) against the parser:
 * every word the parser reads by its spelling is listed, every example parses, and the classifier
 * agrees with the parser on where a word is a keyword.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_TYPE_NAMES, CONTAINS_PATTERN_EXAMPLE, CONTEXTUAL_KEYWORDS, isContextualKeyword, parse, tokens, type KeywordContext } from '../src/index.ts';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** A ruleset with `line` in the given context (the names the examples use are declared). */
function inRuleset(context: KeywordContext, line: string): string {
  const declaration = context === 'declaration' ? line : '';
  return [
    'ruleset t.words',
    'input { amount: number, tags: list<string> }',
    declaration.startsWith('decision') ? '' : 'decision deny > allow',
    declaration,
    'rule big {',
    '  severity low',
    `  ${context === 'rule' ? line : 'deny when amount > 100'}`,
    '  because "Amount {amount} is too large"',
    '}',
    'table tab(a: string, b: list<string>) -> number {',
    `  ${context === 'table-row' ? line : '"x", _ -> 1'}`,
    '  else -> 0',
    '}',
    'test "t" {',
    '  input { amount: 500, tags: [] }',
    `  ${context === 'test' ? line : 'expect deny'}`,
    '}',
  ].join('\n');
}

function parseErrors(text: string): string[] {
  return parse(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
}

/** Whether `word` is a contextual keyword in `line` (its first occurrence). */
function marked(line: string, word: string): boolean {
  const list = tokens.verdictLexer.tokenize(line).tokens;
  const i = list.findIndex((t) => t.image === word);
  expect(i, `${word} in ${line}`).toBeGreaterThanOrEqual(0);
  return isContextualKeyword(list, i);
}

describe('contextual keywords', () => {
  it('lists every word the parser reads by its spelling', () => {
    // `_` is the wildcard pattern and `has` a macro (a call): names, not keywords.
    const notKeywords = new Set(['_', 'has']);
    const reserved = new Set(tokens.KEYWORDS.map((t) => t.name.toLowerCase()));
    const spelled = new Set<string>();
    for (const file of sources(src)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\.image\s*[!=]==\s*'([A-Za-z_]\w*)'/g)) spelled.add(match[1]!);
    }
    // The scan must find the parser's gates; if it finds none, the way they are written changed and this test must follow.
    expect([...spelled]).toEqual(expect.arrayContaining(['cases', 'compliant']));
    const listed = new Set(CONTEXTUAL_KEYWORDS.map((k) => k.word));
    expect([...spelled].filter((w) => !notKeywords.has(w) && !reserved.has(w) && !listed.has(w))).toEqual([]);
  });

  it.each(CONTEXTUAL_KEYWORDS.map((k) => [k.word, k] as const))('`%s`: the example parses and the word is a keyword there', (word, k) => {
    expect(parseErrors(inRuleset(k.example.context, k.example.line))).toEqual([]);
    expect(marked(k.example.line, word)).toBe(true);
  });

  it.each(CONTEXTUAL_KEYWORDS.map((k) => [k.word, k] as const))('`%s`: read as a name in a rule condition, it is not a keyword', (word, k) => {
    const text = inRuleset('rule', k.asName).replace('input { amount: number,', `input { ${word}: number, amount: number,`);
    expect(parseErrors(text)).toEqual([]);
    expect(marked(k.asName, word)).toBe(false);
  });

  it('marks a `contains` table pattern, not the function', () => {
    expect(parseErrors(inRuleset('table-row', CONTAINS_PATTERN_EXAMPLE))).toEqual([]);
    expect(marked(CONTAINS_PATTERN_EXAMPLE, 'contains')).toBe(true);
    expect(marked('deny when tags.contains("KP")', 'contains')).toBe(false);
    expect(marked('deny when contains(tags, "KP")', 'contains')).toBe(false);
  });

  it('tells an outcome, a rule or a field named like the word from the keyword', () => {
    expect(marked('expect score by [big]', 'score')).toBe(false);
    expect(marked('rule cases {', 'cases')).toBe(false);
    expect(marked('expect suggest cases { amount: 1 }', 'cases')).toBe(false);
    expect(marked('input { at: string }', 'at')).toBe(false);
    expect(marked('x.within', 'within')).toBe(false);
    expect(marked('on error skip', 'error')).toBe(true);
    // `compliant` needs the precedence list before it
    expect(marked('deny when a compliant b', 'compliant')).toBe(false);
  });

  it('marks `compliant` across the lines of a real declaration', () => {
    const cedar = readFileSync(new URL('../../engine/test/rulesets/cedar-photoapp.policy', import.meta.url), 'utf8');
    const list = tokens.verdictLexer.tokenize(cedar).tokens;
    const found = list.flatMap((t, i) => (isContextualKeyword(list, i) ? [t.image] : []));
    expect(found).toContain('compliant');
  });

  it('names every built-in type the parser knows, and no other', () => {
    for (const name of BUILT_IN_TYPE_NAMES) {
      const type = name === 'list' || name === 'map' ? `${name}<string>` : name;
      expect(parse(`ruleset t.types\ninput { a: ${type} }`).diagnostics.map((d) => d.code), name).toEqual([]);
    }
    expect(parse('ruleset t.types\ninput { a: money }').diagnostics.map((d) => d.code)).toEqual(['VD1008']);
  });
});
