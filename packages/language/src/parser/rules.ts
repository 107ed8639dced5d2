/** Rules: their statements, `because` messages, and the recovery that keeps a mistaken line to one diagnostic. */
import { EOF, type IToken } from 'chevrotain';
import * as T from '../tokens.ts';
import type * as A from '../ast.ts';
import { diagnostic } from '../diagnostics.ts';
import { spanInToken, spanOfTokens } from '../spans.ts';
import { DeclarationParser } from './declarations.ts';

/** Words from other languages' conditions, and what to write instead. */
const PYTHON_OPERATORS: Record<string, string> = {
  and: 'write `&&` for "and"',
  or: 'write `||` for "or"',
  not: 'write `!` for "not"',
};

export abstract class RuleParser extends DeclarationParser {
  protected ruleDecl = this.RULE('ruleDecl', (): A.RuleDecl => {
    const first = this.CONSUME(T.Rule);
    const name = this.CONSUME(T.AnyName);
    const rule: A.RuleDecl = {
      kind: 'Rule',
      name: { name: name.image, span: spanOfTokens(name, name) },
      severity: null,
      lets: [],
      outcome: null,
      condition: null,
      message: null,
      suggestions: [],
      order: [],
      doc: null,
      span: spanOfTokens(first, first),
    };
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.SUBRULE(this.ruleStatement, { ARGS: [rule] });
      this.ACTION(() => this.skipStrayText(rule));
    });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => {
      rule.span = this.span(first);
      return rule;
    });
  });

  /**
   * Words left on the line of a finished rule statement that cannot start
   * another (`deny when a == 1 and b == 2`): one diagnostic, and the rest of
   * the line is skipped. Left to chevrotain, `and b` reads as a second
   * `<outcome> when` with `when` inserted, which reports VD1009 instead.
   */
  private skipStrayText(rule: A.RuleDecl): void {
    const stray = this.LA(1);
    if (!this.onSameLine(this.LA(0), stray) || this.startsRuleStatement()) return;
    const word = stray.image;
    const hint = PYTHON_OPERATORS[word] ?? 'a rule statement ends at the end of its line: remove the extra text, or join conditions with `&&` or `||`';
    const after = rule.order[rule.order.length - 1] === 'when' ? 'the condition' : 'the statement';
    this.extraDiagnostics.push(diagnostic('VD1003', 'error', `unexpected \`${word}\` after ${after}`, spanOfTokens(stray, stray), { hint }));
    this.skipRestOfLine();
  }

  /**
   * A `"` string right after `because` that did not lex as a template has a
   * `{` whose hole never closes (the lexer then falls back to a plain string):
   * report that brace rather than silently printing it.
   */
  private checkUnclosedHole(token: IToken): void {
    if (token.tokenType !== T.StringLiteral || !token.image.startsWith('"')) return;
    const raw = token.image;
    const quote = raw.startsWith('"""') ? 3 : 1;
    for (let i = quote; i < raw.length - quote; i++) {
      if (raw[i] === '\\') {
        i++;
        continue;
      }
      if (raw[i] !== '{') continue;
      const close = T.scanHole(raw.slice(0, raw.length - quote), i + 1);
      if (close >= 0) {
        i = close;
        continue;
      }
      this.extraDiagnostics.push(
        diagnostic('VD1003', 'error', 'this `{` in the message is never closed', spanInToken(token, i, i + 1), {
          hint: 'close the expression with `}` on the same line, or write `\\{` for a literal brace',
        }),
      );
      return;
    }
  }

  /** `because Amount is too high`: words after a name on the message's line mean the quotes are missing. */
  private checkUnquotedMessage(message: A.Expr | undefined): void {
    if (message === undefined || message.kind === 'Template' || message.kind === 'String' || message.kind === 'ErrorExpr') return;
    if (!this.onSameLine(this.LA(0), this.LA(1)) || this.startsRuleStatement()) return;
    this.extraDiagnostics.push(
      diagnostic('VD1003', 'error', 'a `because` message is a quoted string', message.span, {
        hint: 'put the whole message in double quotes: `because "..."`',
      }),
    );
    this.skipRestOfLine();
  }

  /** Whether the next tokens begin a rule statement or end the rule. */
  private startsRuleStatement(): boolean {
    const t = this.LA(1).tokenType;
    if (t === T.RBrace || t === T.Severity || t === T.Let || t === T.Because || t === T.Suggest) return true;
    return t === T.Identifier && this.LA(2).tokenType === T.When;
  }

  private ruleStatement = this.RULE('ruleStatement', (rule: A.RuleDecl): void => {
    this.OR([
      {
        ALT: () => {
          const keyword = this.CONSUME(T.Severity);
          let level: IToken | null = null;
          // `severity` then `deny when ...` on the next line: the level is missing, `deny` is the next statement's outcome.
          this.OPTION({
            GATE: () => this.LA(2).tokenType !== T.When || this.onSameLine(keyword, this.LA(1)),
            DEF: () => {
              level = this.CONSUME(T.AnyName);
            },
          });
          this.ACTION(() => {
            if (level === null) return this.missingSeverityLevel();
            if (rule.severity !== null) this.duplicateStatement(keyword, 'severity');
            rule.severity = this.name(level);
            rule.order.push('severity');
          });
        },
      },
      {
        ALT: () => {
          const decl = this.SUBRULE(this.letDecl);
          this.ACTION(() => {
            if (decl) rule.lets.push(decl);
            rule.order.push('let');
          });
        },
      },
      {
        ALT: () => {
          const outcome = this.CONSUME(T.Identifier);
          this.CONSUME(T.When);
          const condition = this.SUBRULE(this.expression);
          this.ACTION(() => {
            if (rule.outcome !== null) this.duplicateStatement(outcome, '<outcome> when');
            rule.outcome = this.name(outcome);
            rule.condition = condition;
            rule.order.push('when');
          });
        },
      },
      {
        ALT: () => {
          const keyword = this.CONSUME(T.Because);
          const messageStart = this.LA(1);
          const message = this.SUBRULE(this.messageLiteral);
          this.ACTION(() => {
            this.checkUnclosedHole(messageStart);
            this.checkUnquotedMessage(message);
            if (rule.message !== null) this.duplicateStatement(keyword, 'because');
            rule.message = message;
            rule.order.push('because');
          });
        },
      },
      {
        ALT: () => {
          const keyword = this.CONSUME(T.Suggest);
          const field = this.CONSUME2(T.AnyName);
          this.CONSUME(T.Equals);
          const value = this.SUBRULE2(this.expression);
          this.ACTION(() => {
            rule.suggestions.push({ name: this.name(field), value, span: this.span(keyword) });
            if (rule.order[rule.order.length - 1] !== 'suggest') rule.order.push('suggest');
          });
        },
      },
    ]);
  });

  private missingSeverityLevel(): void {
    const next = this.LA(1);
    const at = next.tokenType === EOF ? this.LA(0) : next;
    const found = next.tokenType === EOF ? 'the end of the file' : `\`${next.image}\``;
    this.extraDiagnostics.push(
      diagnostic('VD1003', 'error', `expected a severity level after \`severity\` but found ${found}`, spanOfTokens(at, at), {
        hint: 'write the level after the keyword, e.g. `severity high`',
      }),
    );
  }

  private duplicateStatement(token: IToken, what: string): void {
    this.extraDiagnostics.push(
      diagnostic('VD1009', 'error', `a rule has one \`${what}\` statement; this is a second`, spanOfTokens(token, token), {
        hint: 'remove one of them, or split the rule in two',
      }),
    );
  }

  /** A `because` message: a template string, or (recovering) a plain string. */
  private messageLiteral = this.RULE('messageLiteral', (): A.Expr =>
    this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.TemplateString);
          return this.ACTION(() => {
            const node: A.TemplateLiteral = { kind: 'Template', id: this.id(), parts: [], raw: t.image, span: spanOfTokens(t, t) };
            this.templates.push({ node, token: t });
            return node;
          });
        },
      },
      { ALT: () => this.SUBRULE(this.expression) },
    ]),
  );
}
