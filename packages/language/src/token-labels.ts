import type { TokenType } from 'chevrotain';

const LABELS: Record<string, string> = {
  Identifier: 'a name',
  QuotedName: 'a quoted name (`` `content-type` ``)',
  AnyName: 'a name',
  NumberLiteral: 'a number',
  StringLiteral: 'a string',
  TemplateString: 'a message string',
  Arrow: '`->`',
  QuestionDot: '`?.`',
  QuestionQuestion: '`??`',
  Question: '`?`',
  AndAnd: '`&&`',
  OrOr: '`||`',
  Pipe: '`|`',
  EqualEqual: '`==`',
  NotEqual: '`!=`',
  LessEqual: '`<=`',
  GreaterEqual: '`>=`',
  Less: '`<`',
  Greater: '`>`',
  Bang: '`!`',
  Equals: '`=`',
  Plus: '`+`',
  Minus: '`-`',
  Star: '`*`',
  Slash: '`/`',
  Percent: '`%`',
  Ellipsis: '`...`',
  Type: '`type`',
  Dot: '`.`',
  Comma: '`,`',
  Colon: '`:`',
  LParen: '`(`',
  RParen: '`)`',
  LBracket: '`[`',
  RBracket: '`]`',
  LBrace: '`{`',
  RBrace: '`}`',
  EOF: 'the end of the file',
};

/** How a token kind is named in a diagnostic: `}` for RBrace, `rule` for the keyword. */
export function tokenLabel(token: TokenType): string {
  return LABELS[token.name] ?? '`' + token.name.toLowerCase() + '`';
}
