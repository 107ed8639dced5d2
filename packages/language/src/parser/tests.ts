/** Tests: inputs, params, `cases` tables and every kind of expectation. */
import { EOF, type IToken } from 'chevrotain';
import * as T from '../tokens.ts';
import type * as A from '../ast.ts';
import { diagnostic } from '../diagnostics.ts';
import { joinSpans, spanOfTokens } from '../spans.ts';
import { RuleParser } from './rules.ts';

export abstract class TestParser extends RuleParser {
  protected testDecl = this.RULE('testDecl', (): A.TestDecl => {
    const first = this.CONSUME(T.Test);
    const nameToken = this.CONSUME(T.StringLiteral);
    const test: A.TestDecl = {
      kind: 'Test',
      name: { kind: 'String', id: 0, value: '', raw: nameToken.image, span: spanOfTokens(nameToken, nameToken) },
      input: null,
      params: null,
      expectations: [],
      doc: null,
      span: spanOfTokens(first, first),
    };
    this.ACTION(() => {
      test.name = { kind: 'String', id: this.id(), value: this.decodeString(nameToken), raw: nameToken.image, span: spanOfTokens(nameToken, nameToken) };
    });
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.testStatement, { ARGS: [test] }));
    this.CONSUME(T.RBrace);
    return this.ACTION(() => {
      test.span = this.span(first);
      return test;
    });
  });

  private testStatement = this.RULE('testStatement', (test: A.TestDecl): void => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Input);
          const value = this.SUBRULE(this.mapLiteral);
          this.ACTION(() => {
            test.input = value;
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Params);
          const value = this.SUBRULE2(this.mapLiteral);
          this.ACTION(() => {
            test.params = value;
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Expect);
          const expectation = this.SUBRULE(this.expectation);
          this.ACTION(() => {
            if (expectation) test.expectations.push(expectation);
          });
        },
      },
      {
        // `cases { { amount: 5 } -> allow  { amount: 500 } -> deny by [big] }`: a table of inputs in one test
        GATE: () => this.LA(1).image === 'cases' && this.LA(2).tokenType === T.LBrace,
        ALT: () => {
          const casesToken = this.CONSUME(T.Identifier);
          this.CONSUME2(T.LBrace);
          const cases: A.TestCase[] = [];
          this.MANY(() => {
            const input = this.SUBRULE3(this.mapLiteral);
            this.CONSUME(T.Arrow);
            const outcome = this.CONSUME2(T.Identifier);
            let rules: A.Name[] | null = null;
            this.OPTION(() => {
              rules = this.SUBRULE(this.byRules);
            });
            this.ACTION(() => cases.push({ input, outcome: this.name(outcome), rules, span: joinSpans(input.span, this.span(outcome)) }));
          });
          this.CONSUME2(T.RBrace);
          this.ACTION(() => {
            test.cases = [...(test.cases ?? []), { rows: cases, span: this.span(casesToken) }];
          });
        },
      },
    ]);
  });

  private isName(token: IToken): boolean {
    return token.tokenType === T.Identifier || T.KEYWORDS.includes(token.tokenType);
  }

  private stringOf(token: IToken): A.StringLiteral {
    return { kind: 'String', id: this.id(), value: this.decodeString(token), raw: token.image, span: spanOfTokens(token, token) };
  }

  /** `by [rule, ...]`: the rules an expected decision names (a `cases` row's or an `expect`'s). */
  private byRules = this.RULE('byRules', (): A.Name[] => {
    this.CONSUME(T.By);
    this.CONSUME(T.LBracket);
    const list: A.Name[] = [];
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const r = this.CONSUME(T.AnyName);
        this.ACTION(() => list.push(this.name(r)));
      },
    });
    this.CONSUME(T.RBracket);
    return list;
  });

  private expectation = this.RULE('expectation', (): A.Expectation => {
    const first = this.LA(0);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Outputs);
          let exact = false;
          this.OPTION5({
            GATE: () => this.LA(1).image === 'exactly' && this.LA(2).tokenType === T.LBrace,
            DEF: () => {
              this.CONSUME8(T.Identifier);
              exact = true;
            },
          });
          const value = this.SUBRULE(this.mapLiteral);
          let within: A.NumberLiteral | null = null;
          // `within 0.005`: numbers (and decimals) may differ by this much; without it they compare exactly
          this.OPTION9({
            GATE: () => this.LA(1).tokenType === T.Identifier && this.LA(1).image === 'within' && this.LA(2).tokenType === T.NumberLiteral,
            DEF: () => {
              // occurrence 11: CONSUME1-10 of an identifier are taken in this rule
              this.consume(11, T.Identifier);
              const n = this.CONSUME9(T.NumberLiteral);
              this.ACTION(() => (within = { kind: 'Number', id: this.nextId++, value: this.numberOf(n), raw: n.image, span: spanOfTokens(n, n) }));
            },
          });
          return this.ACTION(() => ({ kind: 'ExpectOutputs' as const, value, ...(exact ? { exact } : {}), within, span: this.span(first) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Suggest);
          const rule = this.CONSUME(T.AnyName);
          let exact = false;
          this.OPTION6({
            GATE: () => this.LA(1).image === 'exactly' && this.LA(2).tokenType === T.LBrace,
            DEF: () => {
              this.CONSUME9(T.Identifier);
              exact = true;
            },
          });
          const value = this.SUBRULE2(this.mapLiteral);
          return this.ACTION(() => ({ kind: 'ExpectSuggestion' as const, rule: this.name(rule), value, ...(exact ? { exact } : {}), span: this.span(first) }));
        },
      },
      {
        // `expect message rule "text"` / `expect message rule contains "text"` (an outcome named `message` still parses: no name and string follow it)
        GATE: () => this.LA(1).image === 'message' && this.isName(this.LA(2)) && (this.LA(3).tokenType === T.StringLiteral || this.LA(3).image === 'contains'),
        ALT: () => {
          this.CONSUME4(T.Identifier);
          const rule = this.CONSUME3(T.AnyName);
          let contains = false;
          this.OPTION2({
            GATE: () => this.LA(1).image === 'contains',
            DEF: () => {
              this.CONSUME5(T.Identifier);
              contains = true;
            },
          });
          const text = this.CONSUME(T.StringLiteral);
          return this.ACTION(() => ({ kind: 'ExpectMessage' as const, rule: this.name(rule), text: this.stringOf(text), contains, span: this.span(first) }));
        },
      },
      {
        // `expect error rule code`
        GATE: () => this.LA(1).image === 'error' && this.isName(this.LA(2)) && this.LA(3).tokenType === T.Identifier,
        ALT: () => {
          this.CONSUME6(T.Identifier);
          const rule = this.CONSUME4(T.AnyName);
          const code = this.CONSUME7(T.Identifier);
          return this.ACTION(() => ({ kind: 'ExpectError' as const, rule: this.name(rule), code: this.name(code), span: this.span(first) }));
        },
      },
      {
        GATE: () => this.LA(1).image === 'score',
        ALT: () => {
          this.CONSUME(T.Identifier);
          const value = this.SUBRULE(this.expression);
          return this.ACTION(() => ({ kind: 'ExpectScore' as const, value, span: this.span(first) }));
        },
      },
      {
        GATE: () => this.LA(1).image === 'invalid',
        ALT: () => {
          this.CONSUME2(T.Identifier);
          // `expect invalid at "amount", "service.tier"`: the failing paths
          const paths: A.StringLiteral[] = [];
          this.OPTION3({
            GATE: () => this.LA(1).image === 'at' && this.LA(2).tokenType === T.StringLiteral,
            DEF: () => {
              this.consume(10, T.Identifier);
              this.AT_LEAST_ONE_SEP({
                SEP: T.Comma,
                DEF: () => {
                  const path = this.CONSUME2(T.StringLiteral);
                  this.ACTION(() => paths.push(this.stringOf(path)));
                },
              });
            },
          });
          return this.ACTION(() => ({ kind: 'ExpectInvalid' as const, ...(paths.length > 0 ? { paths } : {}), span: this.span(first) }));
        },
      },
      {
        ALT: () => {
          const outcome = this.CONSUME3(T.Identifier);
          let rules: A.Name[] | null = null;
          this.OPTION(() => {
            rules = this.SUBRULE(this.byRules);
          });
          return this.ACTION((): A.Expectation => {
            // `score` with no value: the score alternative's lookahead wants an expression, so it lands here.
            if (outcome.image === 'score' && rules === null) return this.missingScore(outcome, first);
            return { kind: 'ExpectDecision', outcome: this.name(outcome), rules, span: this.span(first) };
          });
        },
      },
    ]);
  });

  private missingScore(score: IToken, first: IToken): Extract<A.Expectation, { kind: 'ExpectScore' }> {
    const next = this.LA(1);
    const at = next.tokenType === EOF ? score : next;
    const found = next.tokenType === EOF ? 'the end of the file' : `\`${next.image}\``;
    this.extraDiagnostics.push(
      diagnostic('VD1003', 'error', `expected a score after \`expect score\` but found ${found}`, spanOfTokens(at, at), {
        hint: 'write the score the test expects, e.g. `expect score 0.75`',
      }),
    );
    const value: A.ErrorExpr = { kind: 'ErrorExpr', id: this.id(), span: spanOfTokens(score, score) };
    return { kind: 'ExpectScore', value, span: this.span(first) };
  }
}
