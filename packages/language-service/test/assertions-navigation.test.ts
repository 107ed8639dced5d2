/**
 * The new test assertions and the decision's `compliant` list in the navigation features: hover on
 * contextual keywords (what the word means there) and on outcomes (their compliance), and the names
 * they hold (rules, outcomes, input fields of `cases` rows) in references and rename.
 */
import { describe, expect, it } from 'vitest';
import { hover, references, rename, semanticTokens, SEMANTIC_TOKENS_LEGEND, SourceFile } from '../src/index.ts';

const RULESET = `ruleset t.hover

input { amount: number, score: number }

# Allow-list: nothing is permitted unless a rule grants it.
decision forbid > permit > deny compliant permit

rule small {
  severity low
  permit when amount < 10 && score > 1
  because "small"
}

test "t" {
  input { amount: 5, score: 2 }
  expect outputs exactly {} within 0.01
  expect message small contains "sma"
  expect error small division_by_zero
  cases {
    { amount: 50 } -> deny by []
    { amount: 1 } -> permit by [small]
  }
}
`;

const source = new SourceFile(RULESET);

/** The hover text at the `nth` occurrence of `needle` (plus `shift` characters), and its range. */
function hoverAt(needle: string, shift = 1, nth = 0) {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = RULESET.indexOf(needle, offset + 1);
  const found = hover(source, offset + shift);
  const text = found !== null && typeof found.contents === 'object' && 'value' in found.contents ? found.contents.value : '';
  return { text, range: found?.range };
}

describe('hover on contextual keywords', () => {
  it('says what a word means where it is a keyword, over the word', () => {
    const exactly = hoverAt('exactly');
    expect(exactly.text).toContain('(keyword) exactly');
    expect(exactly.text).toContain('an output not listed fails');
    const line = RULESET.split('\n').findIndex((l) => l.includes('exactly'));
    const column = RULESET.split('\n')[line]!.indexOf('exactly');
    expect(exactly.range).toEqual({ start: { line, character: column }, end: { line, character: column + 'exactly'.length } });
    expect(hoverAt('within').text).toContain('absolute difference');
    expect(hoverAt('contains').text).toContain('containing the text');
    expect(hoverAt('cases').text).toContain('one row per input');
    expect(hoverAt('compliant permit').text).toContain('(keyword) compliant');
  });

  it('says nothing of the kind where the word is a name', () => {
    // `score` the input field: its type, not the assertion
    expect(hoverAt('score > 1').text).toContain('(input) score: number');
  });
});

describe('hover on outcomes', () => {
  it('says whether an outcome is compliant, and that a compliant one above the default is granted', () => {
    expect(hoverAt('permit when').text).toContain('precedence 2 of 3 (`forbid > permit > deny`); compliant; a rule producing it is a grant');
    expect(hoverAt('deny by').text).toContain('the default outcome (no rule fired); not compliant');
  });
});

describe('references and rename through the new assertions', () => {
  const uri = 'file:///t.policy';
  const offsetOf = (needle: string): number => RULESET.indexOf(needle) + 1;
  const lineTexts = (ranges: Array<{ range: { start: { line: number } } }>): string[] => ranges.map((r) => RULESET.split('\n')[r.range.start.line]!.trim());

  it('finds a rule in `expect message`, `expect error` and a `cases` row', () => {
    const found = references(source, uri, offsetOf('small {'), true);
    expect(lineTexts(found)).toEqual(['rule small {', 'expect message small contains "sma"', 'expect error small division_by_zero', '{ amount: 1 } -> permit by [small]']);
  });

  it('finds an outcome in the `compliant` list and in `cases` rows', () => {
    const found = references(source, uri, offsetOf('permit >'), true);
    expect(lineTexts(found)).toEqual(['decision forbid > permit > deny compliant permit', 'decision forbid > permit > deny compliant permit', 'permit when amount < 10 && score > 1', '{ amount: 1 } -> permit by [small]']);
  });

  it('renames an input field in the rows of `cases`', () => {
    const edit = rename(source, uri, offsetOf("amount: number"), "total");
    const lines = (edit?.changes?.[uri] ?? []).map((e) => e.range.start.line);
    const rows = RULESET.split('\n').flatMap((l, i) => (l.includes('{ amount: 50 }') || l.includes('{ amount: 1 }') ? [i] : []));
    expect(lines).toEqual(expect.arrayContaining(rows));
  });
});

describe('semantic tokens', () => {
  it('classes the contextual keywords as keywords, and the same word as a name elsewhere', () => {
    const { data } = semanticTokens(source);
    const lines = RULESET.split('\n');
    const decoded: Array<{ text: string; type: string }> = [];
    let line = 0;
    let column = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i]!;
      column = data[i]! === 0 ? column + data[i + 1]! : data[i + 1]!;
      decoded.push({ text: lines[line]!.slice(column, column + data[i + 2]!), type: SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]!]! });
    }
    const keywords = decoded.filter((t) => t.type === 'keyword').map((t) => t.text);
    expect(keywords).toEqual(['compliant', 'exactly', 'within', 'message', 'contains', 'error', 'cases']);
    expect(decoded.filter((t) => t.text === 'score').map((t) => t.type)).toEqual(['property', 'property', 'property']);
  });
});
