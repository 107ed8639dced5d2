/**
 * The shipped parser and lexer skip chevrotain's validations of their definitions to start fast;
 * here they are built with them, so a grammar mistake (an ambiguous alternation, left recursion,
 * a token pattern that can never match) still fails the suite.
 */
import { describe, expect, it } from 'vitest';
import { getParser, validatedParser } from '../../src/parser.ts';
import { validatedLexer } from '../../src/tokens.ts';

describe('grammar and token definitions', () => {
  it('pass chevrotain grammar validations (a definition error throws here)', () => {
    expect(() => validatedParser()).not.toThrow();
  });

  it('the validated parser and the shipped one record the same grammar', () => {
    expect(validatedParser().getSerializedGastProductions()).toEqual(getParser().getSerializedGastProductions());
  });

  it('pass chevrotain lexer validations, without warnings', () => {
    // the fields are public in chevrotain's class but not in its typings
    const lexer = validatedLexer() as unknown as { lexerDefinitionErrors: unknown[]; lexerDefinitionWarning: unknown[] };
    expect(lexer.lexerDefinitionErrors).toEqual([]);
    expect(lexer.lexerDefinitionWarning).toEqual([]);
  });
});
