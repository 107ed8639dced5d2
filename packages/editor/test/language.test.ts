import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_TYPE_NAMES, CONTAINS_PATTERN_EXAMPLE, CONTEXTUAL_KEYWORDS, tokens } from '@verdict/language';
import { INITIAL_LINE_STATE, tokenizeLine, type LineState } from '../src/language/tokenize.ts';

const sample = readFileSync(new URL('../../../rulesets/marketplace/admission.policy', import.meta.url), 'utf8');
const start: LineState = INITIAL_LINE_STATE;

/** [text, scope] pairs of a tokenized line. */
function scopes(line: string, state: LineState = start): Array<[string, string]> {
  const { tokens } = tokenizeLine(line, state);
  return tokens.map((t, i) => [line.slice(t.startIndex, tokens[i + 1]?.startIndex ?? line.length), t.scopes]);
}

describe('tokenizer (the lexer of @verdict/language)', () => {
  it('classes keywords, names, numbers, strings, comments and operators', () => {
    const line = 'rule r { deny when amount > 10 && tier == "free" } # note';
    const got = scopes(line).filter(([, s]) => s !== 'white');
    expect(got).toContainEqual(['rule', 'keyword']);
    expect(got).toContainEqual(['when', 'keyword']);
    expect(got).toContainEqual(['amount', 'identifier']);
    expect(got).toContainEqual(['10', 'number']);
    expect(got).toContainEqual(['"free"', 'string']);
    expect(got).toContainEqual(['# note', 'comment']);
    expect(got).toContainEqual(['&&', 'operator']);
    expect(got).toContainEqual(['{', 'delimiter.bracket']);
  });

  it('carries a triple-quoted string over lines', () => {
    const first = tokenizeLine('  because """Total {amount}', start);
    expect(first.state.triple).not.toBeNull();
    const middle = tokenizeLine('still inside', first.state);
    expect(middle.tokens).toEqual([{ startIndex: 0, scopes: 'string' }]);
    expect(middle.state.triple).not.toBeNull();
    const last = tokenizeLine('end""" && x', middle.state);
    expect(last.state.triple).toBeNull();
    expect(last.tokens[0]).toEqual({ startIndex: 0, scopes: 'string' });
    expect(last.tokens.some((t) => t.scopes === 'operator')).toBe(true);
  });

  it('classes every keyword of the language as a keyword', () => {
    for (const keyword of tokens.KEYWORDS) {
      const word = keyword.name.toLowerCase();
      expect(scopes(`${word} `).filter(([, s]) => s !== 'white'), word).toEqual([[word, 'keyword']]);
    }
  });

  // The catalogue of @verdict/language: a contextual word added there is checked here.
  it.each(CONTEXTUAL_KEYWORDS.map((k) => [k.word, k] as const))('classes `%s` as a keyword where the parser reads it so, else as a name', (word, k) => {
    expect(scopes(k.example.line).filter(([text]) => text === word)[0]).toEqual([word, 'keyword']);
    expect(scopes(k.asName).filter(([text]) => text === word)[0]).toEqual([word, 'identifier']);
  });

  it('classes a `contains` table pattern as a keyword, and the function `contains` as a name', () => {
    expect(scopes(CONTAINS_PATTERN_EXAMPLE)).toContainEqual(['contains', 'keyword']);
    expect(scopes('  deny when tags.contains("KP")')).toContainEqual(['contains', 'identifier']);
  });

  it('sees the tokens of the lines before: `compliant` on a line of its own', () => {
    const first = tokenizeLine('decision forbid > permit > deny', start);
    expect(scopes('  compliant permit', first.state)).toContainEqual(['compliant', 'keyword']);
    expect(scopes('  compliant permit')).toContainEqual(['compliant', 'identifier']);
    const map = tokenizeLine('  expect outputs { premium: 1.5 }', start);
    expect(scopes('  within 0.01', map.state)).toContainEqual(['within', 'keyword']);
  });

  it('classes the built-in types (decimal too) and `...` of an open record', () => {
    for (const name of BUILT_IN_TYPE_NAMES) expect(scopes(`  a: ${name}`), name).toContainEqual([name, 'type']);
    expect(scopes('type Port = { number: number, ... }')).toContainEqual(['...', 'keyword']);
  });

  it('marks characters the lexer refuses as invalid', () => {
    expect(scopes('a @ b')).toContainEqual(['@', 'invalid']);
  });

  it('tokenizes every line of a real ruleset without invalid tokens', () => {
    let state = start;
    for (const line of sample.split('\n')) {
      const result = tokenizeLine(line, state);
      expect(result.tokens.filter((t) => t.scopes === 'invalid')).toEqual([]);
      state = result.state;
    }
  });
});
