import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tokenizeLine, type LineState } from '../src/language/tokenize.ts';

const sample = readFileSync(new URL('../../../rulesets/marketplace/admission.policy', import.meta.url), 'utf8');
const start: LineState = { triple: null };

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
