/**
 * The wording of chevrotain's syntax errors for Verdict: what was expected,
 * in words a policy author knows, and what was found.
 */
import { EOF, type IParserErrorMessageProvider, type IToken } from 'chevrotain';
import { tokenLabel } from './token-labels.ts';

export const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    if (expected === EOF) return `unexpected ${describe(actual)}: expected a declaration`;
    return `expected ${tokenLabel(expected)} but found ${describe(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant, ruleName }) {
    // A lone expression (a `{}` hole, parseExpression) ends where the text should.
    if (ruleName === 'standaloneExpression') return `unexpected ${describe(firstRedundant)} after the expression`;
    return `unexpected ${describe(firstRedundant)}: expected a declaration`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    return `expected ${RULE_DESCRIPTIONS[ruleName] ?? ruleName} but found ${describe(actual[0])}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    return `expected ${RULE_DESCRIPTIONS[ruleName] ?? ruleName} but found ${describe(actual[0])}`;
  },
};

const RULE_DESCRIPTIONS: Record<string, string> = {
  declaration: 'a declaration (`input`, `decision`, `weights`, `on error`, `const`, `param`, `let`, `table`, `output`, `rule` or `test`)',
  messageLiteral: 'a message string (`because "..."`)',
  primary: 'an expression',
  unary: 'an expression',
  postfix: 'an expression',
  expression: 'an expression',
  typeExpr: 'a type',
  ruleStatement: 'a rule statement (`severity`, `let`, `<outcome> when`, `because` or `suggest`)',
  testStatement: 'a test statement (`input`, `params` or `expect`)',
  expectation: 'an expectation (`<outcome>`, `outputs`, `suggest`, `score` or `invalid`)',
  tablePattern: 'a table pattern',
  tableRow: 'a table row (`pattern -> value` or `else -> value`)',
  mapKey: 'a map key',
  literalValue: 'a literal',
};

function describe(token: IToken | undefined): string {
  if (token === undefined || token.tokenType === EOF) return 'the end of the file';
  return `\`${token.image.length > 40 ? token.image.slice(0, 40) + '…' : token.image}\``;
}

