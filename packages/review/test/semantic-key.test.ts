/**
 * semanticKey/sameMeaning: two parses have the same key exactly when they
 * differ only in presentation (positions, node ids, literal spelling, doc
 * comments and comments anywhere, the order of a rule's statements).
 */
import { describe, expect, it } from 'vitest';
import { parse, type Decl, type Ruleset } from '@verdict/language';
import { sameMeaning, semanticKey, textOf } from '../src/semantic-key.ts';

function ast(source: string): Ruleset {
  const result = parse(source);
  expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return result.ast;
}

/** The declarations only: the ruleset node itself keeps every comment's text in `comments`. */
const decls = (source: string): Decl[] => ast(source).decls;

const BASE = `ruleset t.key

input {
  amount: number where value > 0
  tier: "free" | "paid"
}

decision deny > allow

const LIMIT = 100

rule big {
  severity high
  deny when amount > LIMIT && tier == "free"
  because "Amount {amount} is over {LIMIT}"
  suggest amount = LIMIT
}
`;

describe('presentation is ignored', () => {
  const same: Array<[string, string]> = [
    ['re-indented and re-spaced', BASE.replace('deny when amount > LIMIT && tier == "free"', 'deny   when amount>LIMIT&&tier=="free"').replace(/\n {2}/g, '\n    ')],
    ['a condition split across lines', BASE.replace('amount > LIMIT && tier == "free"', 'amount > LIMIT\n    && tier == "free"')],
    ['blank lines added', BASE.replace('const LIMIT = 100\n', '\n\nconst LIMIT = 100\n\n')],
    ['number spelling 1e2', BASE.replace('const LIMIT = 100', 'const LIMIT = 1e2')],
    ['number spelling 100.0', BASE.replace('const LIMIT = 100', 'const LIMIT = 100.0')],
    ['number spelling 0x64', BASE.replace('const LIMIT = 100', 'const LIMIT = 0x64')],
    ['string quotes', BASE.replace('tier == "free"', "tier == 'free'")],
    ['union literal quotes', BASE.replace('tier: "free" | "paid"', "tier: 'free' | 'paid'")],
    ['redundant parentheses', BASE.replace('amount > LIMIT && tier == "free"', '(amount > LIMIT) && (tier == "free")')],
    ['a doc comment on a declaration', BASE.replace('const LIMIT = 100', '# The limit.\nconst LIMIT = 100')],
    ['a doc comment on a rule', BASE.replace('rule big {', '# Big amounts.\nrule big {')],
    ['a doc comment on a field', BASE.replace('  tier: ', '  # Plan.\n  tier: ')],
    ['a ruleset doc comment', `# About this ruleset.\n${BASE}`],
    ['a trailing comment', BASE.replace('severity high', 'severity high # why high')],
    ['a comment inside a rule', BASE.replace('  severity high\n', '  # first the severity\n  severity high\n')],
    ['a comment moved', BASE.replace('const LIMIT = 100', 'const LIMIT = 100 # here') + '# and here\n'],
    ['the order of rule statements', BASE.replace('  severity high\n', '').replace('  suggest amount = LIMIT\n', '  suggest amount = LIMIT\n  severity high\n')],
  ];

  it.each(same)('%s', (_, changed) => {
    expect(changed).not.toBe(BASE);
    expect(semanticKey(decls(changed))).toBe(semanticKey(decls(BASE)));
    expect(sameMeaning(decls(changed), decls(BASE))).toBe(true);
  });

  it('a trailing comma in a list', () => {
    const list = (items: string): Decl[] => decls(`ruleset t.list\nconst L = ${items}\n`);
    expect(sameMeaning(list('[1, 2,]'), list('[1, 2]'))).toBe(true);
    expect(sameMeaning(list('[\n  1,\n  2,\n]'), list('[1, 2]'))).toBe(true);
    expect(sameMeaning(list('[2, 1]'), list('[1, 2]'))).toBe(false);
  });

  it('spans and ids do appear in the tree, so ignoring them is what makes the keys equal', () => {
    const moved = `\n\n${BASE}`;
    expect(JSON.stringify(decls(moved))).not.toBe(JSON.stringify(decls(BASE)));
    expect(sameMeaning(decls(moved), decls(BASE))).toBe(true);
    // A doc-less const reparsed after other declarations gets other ids.
    const later = BASE.replace('const LIMIT = 100\n', 'const OTHER = 1 + 2\nconst LIMIT = 100\n');
    const limit = (source: string): Decl | undefined => decls(source).find((d) => d.kind === 'Const' && d.name.name === 'LIMIT');
    expect(sameMeaning(limit(later), limit(BASE))).toBe(true);
  });
});

describe('meaning is not ignored', () => {
  const different: Array<[string, string]> = [
    ['a threshold', BASE.replace('const LIMIT = 100', 'const LIMIT = 99.5')],
    ['an operator', BASE.replace('amount > LIMIT', 'amount >= LIMIT')],
    ['operands swapped', BASE.replace('amount > LIMIT && tier == "free"', 'tier == "free" && amount > LIMIT')],
    ['grouping', BASE.replace('amount > LIMIT && tier == "free"', 'amount > LIMIT && tier == "free" || amount > 1000')],
    ['a string value', BASE.replace('tier == "free"', 'tier == "Free"')],
    ['a number and its string', BASE.replace('const LIMIT = 100', 'const LIMIT = "100"')],
    ['an outcome', BASE.replace('deny when', 'allow when')],
    ['a severity', BASE.replace('severity high', 'severity low')],
    ['the message text', BASE.replace('is over', 'exceeds')],
    ['a message hole', BASE.replace('{LIMIT}"', '{LIMIT + 1}"')],
    ['a suggestion', BASE.replace('suggest amount = LIMIT', 'suggest amount = LIMIT - 1')],
    ['a suggestion name', BASE.replace('suggest amount = LIMIT', 'suggest value = LIMIT')],
    ['a field type', BASE.replace('amount: number where', 'amount: string where')],
    ['a field made optional', BASE.replace('  tier: ', '  tier?: ')],
    ['a field constraint', BASE.replace('where value > 0', 'where value >= 0')],
    ['a union member', BASE.replace('"free" | "paid"', '"free" | "paid" | "team"')],
    ['a field marked sensitive', BASE.replace('tier: "free" | "paid"', 'tier: "free" | "paid" sensitive')],
    ['decision precedence', BASE.replace('decision deny > allow', 'decision allow > deny')],
    ['a declaration renamed', BASE.replace(/LIMIT/g, 'MAX')],
  ];

  it.each(different)('%s', (_, changed) => {
    expect(changed).not.toBe(BASE);
    expect(sameMeaning(decls(changed), decls(BASE))).toBe(false);
  });

  it('keeps the declaration order of the ruleset (tables and rules read top to bottom)', () => {
    const table = (rows: string): Decl[] => decls(`ruleset t.rows\ntable f(x: number) -> number {\n${rows}\n}\n`);
    expect(sameMeaning(table('  < 10 -> 1\n  < 20 -> 2\n  else -> 3'), table('  < 20 -> 2\n  < 10 -> 1\n  else -> 3'))).toBe(false);
    expect(sameMeaning(table('  < 10 -> 1\n  else -> 3'), table('  < 10 -> 1.0 # one\n  else -> 3'))).toBe(true);
  });

  it('does not equate a missing part with an empty one', () => {
    expect(sameMeaning(null, undefined)).toBe(false);
    expect(sameMeaning([], null)).toBe(false);
    expect(sameMeaning(undefined, undefined)).toBe(true);
  });
});

describe('textOf', () => {
  it('returns the text under a span on one line', () => {
    const source = BASE.replace('amount > LIMIT && tier == "free"', 'amount > LIMIT\n    &&   tier == "free"');
    const rule = ast(source).decls.find((d) => d.kind === 'Rule');
    expect(rule?.kind).toBe('Rule');
    if (rule?.kind !== 'Rule') return;
    expect(textOf(source, rule.condition?.span)).toBe('amount > LIMIT && tier == "free"');
    expect(textOf(source, null)).toBeNull();
    expect(textOf(source, undefined)).toBeNull();
  });
});
