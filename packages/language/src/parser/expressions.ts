/**
 * Expressions: the precedence levels (one rule per binary level, each taking
 * one operator category), postfix reads and calls, macros, primaries, list and
 * map literals, and a whole input read as one expression.
 */
import type { IToken, TokenType } from 'chevrotain';
import * as T from '../tokens.ts';
import type * as A from '../ast.ts';
import { diagnostic } from '../diagnostics.ts';
import { markKeywordNames } from '../keyword-names.ts';
import { joinSpans, spanOfTokens } from '../spans.ts';
import { BUILTINS } from '../builtins.ts';
import { fieldNameText } from '../names.ts';
import { FileParser } from './file.ts';

const MACROS = new Set<A.MacroName>(['all', 'exists', 'exists_one', 'map', 'filter']);
/** CEL's two-variable comprehensions: predicates take (index or key, value, predicate); transforms may add a filter. */
const PAIR_PREDICATES = new Set<A.MacroName>(['all', 'exists', 'existsOne', 'exists_one']);
const PAIR_TRANSFORMS = new Set<A.MacroName>(['transformList', 'transformMap', 'transformMapEntry']);

export abstract class ExpressionParser extends FileParser {
  public expression = this.RULE(
    'expression',
    (): A.Expr => {
      const first = this.LA(1);
      const test = this.SUBRULE(this.disjunction);
      let result: A.Expr = test;
      this.OPTION(() => {
        this.CONSUME(T.Question);
        const consequent = this.SUBRULE(this.expression);
        this.CONSUME(T.Colon);
        const alternate = this.SUBRULE2(this.expression);
        result = this.ACTION(() => ({ kind: 'Conditional' as const, id: this.id(), test, consequent, alternate, span: this.span(first) }));
      });
      return result;
    },
    { recoveryValueFunc: (): A.Expr => ({ kind: 'ErrorExpr', id: -1, span: spanOfTokens(this.LA(0), this.LA(0)) }) },
  );

  /** A whole input that must be one expression (conformance, REPL, `where` checks). */
  public standaloneExpression = this.RULE('standaloneExpression', (): A.Expr => {
    this.ACTION(() => markKeywordNames(this.input, true));
    const expr = this.SUBRULE(this.expression);
    this.ACTION(() => {
      this.stoppedAt = this.LA(1);
    });
    return expr;
  });

  private binaryLevel(name: string, operator: TokenType, next: () => () => A.Expr, rowGated = false): () => A.Expr {
    return this.RULE(
      name,
      (): A.Expr => {
        const first = this.LA(1);
        let left = this.SUBRULE(next());
        const step = (): void => {
          const op = this.CONSUME(operator);
          const right = this.SUBRULE2(next());
          left = this.ACTION(() => ({
            kind: 'Binary' as const,
            id: this.id(),
            op: op.image as A.BinaryOperator,
            left: left ?? this.errorRecovery(),
            right: right ?? this.errorRecovery(),
            span: this.span(first),
          }));
        };
        this.MANY(rowGated ? this.rowGated(step) : step);
        return left ?? this.errorRecovery();
      },
      { recoveryValueFunc: () => this.errorRecovery() },
    );
  }

  private unary = this.RULE('unary', (): A.Expr => {
    const first = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(T.Bang) }, { ALT: () => this.CONSUME(T.Minus) }]);
          const parsed = this.SUBRULE(this.unary);
          return this.ACTION((): A.Expr => {
            const operand = parsed ?? this.errorRecovery();
            // Fold `-<number>` into a literal so `-1` prints and compares as written.
            if (op.image === '-' && operand.kind === 'Number' && !operand.raw.startsWith('-')) {
              return { kind: 'Number', id: operand.id, value: -operand.value, raw: '-' + operand.raw, span: this.span(first) };
            }
            return { kind: 'Unary', id: this.id(), op: op.image as A.UnaryOperator, operand, span: this.span(first) };
          });
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  }, { recoveryValueFunc: () => this.errorRecovery() });

  private multiplicative = this.binaryLevel('multiplicative', T.MultiplicativeOperator, () => this.unary);
  public additive = this.binaryLevel('additive', T.AdditiveOperator, () => this.multiplicative, true);
  /**
   * `??` binds tighter than comparison and looser than arithmetic (as in Swift
   * and Kotlin), so `service.sla?.availability ?? 0 < 99.9` reads as written:
   * `(service.sla?.availability ?? 0) < 99.9`.
   */
  private coalesce = this.binaryLevel('coalesce', T.QuestionQuestion, () => this.additive);
  private relation = this.binaryLevel(
    'relation',
    T.RelationalOperator,
    () => this.coalesce,
  );
  private conjunction = this.binaryLevel('conjunction', T.AndAnd, () => this.relation);
  private disjunction = this.binaryLevel('disjunction', T.OrOr, () => this.conjunction);

  private postfix = this.RULE('postfix', (): A.Expr => {
    const first = this.LA(1);
    let expr = this.SUBRULE(this.primary);
    this.MANY(this.rowGated(() => {
      this.OR([
        {
          ALT: () => {
            const optional = this.OR2([
              { ALT: () => (this.CONSUME(T.Dot), false) },
              { ALT: () => (this.CONSUME(T.QuestionDot), true) },
            ]);
            this.OR3([
              {
                ALT: () => {
                  const property = this.CONSUME(T.AnyName);
                  let args: A.Expr[] | null = null;
                  this.OPTION(
                    this.rowGated(() => {
                      args = this.SUBRULE(this.callArguments);
                    }),
                  );
                  expr = this.ACTION(() => this.memberOrCall(first, expr, property, optional, args));
                },
              },
              {
                // a.`content-type`: a field whose name is not an identifier (CEL)
                ALT: () => {
                  const quoted = this.CONSUME(T.QuotedName);
                  expr = this.ACTION(() => ({
                    kind: 'Member' as const,
                    id: this.id(),
                    object: expr,
                    property: quoted.image.slice(1, -1),
                    propertySpan: spanOfTokens(quoted, quoted),
                    optional,
                    span: this.span(first),
                  }));
                },
              },
              {
                ALT: () => {
                  const bracket = this.CONSUME(T.LBracket);
                  const index = this.SUBRULE(this.expression);
                  this.CONSUME(T.RBracket);
                  this.ACTION(() => {
                    if (!optional) {
                      this.extraDiagnostics.push(
                        diagnostic('VD1003', 'error', 'unexpected `.` before `[`', spanOfTokens(bracket, bracket), { hint: 'index with `a[i]`, or `a?.[i]` when `a` may be absent' }),
                      );
                    }
                  });
                  expr = this.ACTION(() => ({ kind: 'Index' as const, id: this.id(), object: expr, index, optional, span: this.span(first) }));
                },
              },
            ]);
          },
        },
        {
          ALT: () => {
            this.CONSUME2(T.LBracket);
            const index = this.SUBRULE2(this.expression);
            this.CONSUME2(T.RBracket);
            expr = this.ACTION(() => ({ kind: 'Index' as const, id: this.id(), object: expr, index, optional: false, span: this.span(first) }));
          },
        },
      ]);
    }));
    return expr;
  }, { recoveryValueFunc: () => this.errorRecovery() });

  private memberOrCall(first: IToken, object: A.Expr, property: IToken, optional: boolean, maybeArgs: A.Expr[] | null | undefined): A.Expr {
    // Recovery can leave the argument list (or an argument) undefined after `(` was read.
    const args = maybeArgs === null ? null : (maybeArgs ?? []).map((a) => a ?? this.errorRecovery());
    const propertySpan = spanOfTokens(property, property);
    const span = this.span(first);
    if (args === null) {
      return { kind: 'Member', id: this.id(), object, property: property.image, propertySpan, optional, span };
    }
    // a namespaced built-in (`math.greatest(...)`, `strings.quote(...)`) is one function, not a method of `math`
    if (object.kind === 'Ident' && BUILTINS.has(`${object.name}.${property.image}`)) {
      return { kind: 'Call', id: this.id(), callee: `${object.name}.${property.image}`, calleeSpan: joinSpans(object.span, propertySpan), target: null, args, span };
    }
    const macro = property.image as A.MacroName;
    const variable = args[0];
    if (MACROS.has(macro) && variable?.kind === 'Ident' && (args.length === 2 || (macro === 'map' && args.length === 3))) {
      const body = args[args.length - 1]!;
      const filter = args.length === 3 ? args[1]! : null;
      return { kind: 'Macro', id: this.id(), macro, target: object, variable: variable.name, variableSpan: variable.span, valueVariable: null, valueVariableSpan: null, filter, body, span };
    }
    const second = args[1];
    if (
      variable?.kind === 'Ident' &&
      second?.kind === 'Ident' &&
      ((PAIR_PREDICATES.has(macro) && args.length === 3) || (PAIR_TRANSFORMS.has(macro) && (args.length === 3 || args.length === 4)))
    ) {
      const body = args[args.length - 1]!;
      const filter = args.length === 4 ? args[2]! : null;
      return {
        kind: 'Macro',
        id: this.id(),
        // `exists_one` and `existsOne` are one macro
        macro: macro === 'exists_one' ? 'existsOne' : macro,
        target: object,
        variable: variable.name,
        variableSpan: variable.span,
        valueVariable: second.name,
        valueVariableSpan: second.span,
        filter,
        body,
        span,
      };
    }
    return { kind: 'Call', id: this.id(), callee: property.image, calleeSpan: propertySpan, target: object, args, span };
  }

  private callArguments = this.RULE('callArguments', (): A.Expr[] => {
    const args: A.Expr[] = [];
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expressionList, { ARGS: [args, T.RParen] });
    this.CONSUME(T.RParen);
    return args;
  });

  /** Comma-separated expressions with an optional trailing comma before `close`. */
  private expressionList = this.RULE('expressionList', (items: A.Expr[], close: TokenType): void => {
    this.OPTION(() => {
      const head = this.SUBRULE(this.expression);
      this.ACTION(() => items.push(head));
      this.MANY({
        GATE: () => this.LA(2).tokenType !== close,
        DEF: () => {
          this.CONSUME(T.Comma);
          const item = this.SUBRULE2(this.expression);
          this.ACTION(() => items.push(item));
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
  });

  private primary = this.RULE('primary', (): A.Expr => {
    const first = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.NumberLiteral);
          return this.ACTION(() => ({ kind: 'Number' as const, id: this.id(), value: this.numberOf(t), raw: t.image, span: this.span(first) }));
        },
      },
      { ALT: () => this.SUBRULE(this.stringLiteral) },
      {
        ALT: () => {
          const t = this.CONSUME(T.UnterminatedString);
          return this.ACTION(() => {
            this.extraDiagnostics.push(
              diagnostic('VD1002', 'error', 'this string is never closed', spanOfTokens(t, t), {
                hint: `add the closing ${t.image.replace(/^[rRbB]+/, '')[0]} on the same line`,
              }),
            );
            return this.errorExpr(first);
          });
        },
      },
      { ALT: () => (this.CONSUME(T.True), this.ACTION(() => ({ kind: 'Bool' as const, id: this.id(), value: true, span: this.span(first) }))) },
      { ALT: () => (this.CONSUME(T.False), this.ACTION(() => ({ kind: 'Bool' as const, id: this.id(), value: false, span: this.span(first) }))) },
      { ALT: () => (this.CONSUME(T.Null), this.ACTION(() => ({ kind: 'Null' as const, id: this.id(), span: this.span(first) }))) },
      {
        ALT: () => {
          const name = this.CONSUME(T.Identifier);
          let args: A.Expr[] | null = null;
          this.OPTION(
            this.rowGated(() => {
              args = this.SUBRULE(this.callArguments);
            }),
          );
          return this.ACTION(() => this.identOrCall(first, name, args));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
          // Parentheses leave no node; the span widens to include them.
          return this.ACTION(() => ({ ...inner, span: this.span(first) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          const items: A.Expr[] = [];
          this.SUBRULE(this.expressionList, { ARGS: [items, T.RBracket] });
          this.CONSUME(T.RBracket);
          return this.ACTION(() => ({ kind: 'List' as const, id: this.id(), items, span: this.span(first) }));
        },
      },
      { ALT: () => this.SUBRULE(this.mapLiteral) },
    ]);
  }, { recoveryValueFunc: () => this.errorRecovery() });

  private identOrCall(first: IToken, name: IToken, maybeArgs: A.Expr[] | null | undefined): A.Expr {
    const span = this.span(first);
    const args = maybeArgs === null ? null : (maybeArgs ?? []).map((a) => a ?? this.errorRecovery());
    if (args === null) return { kind: 'Ident', id: this.id(), name: name.image, span };
    const target = args[0];
    if (name.image === 'has' && args.length === 1 && target?.kind === 'Member') {
      return { kind: 'Has', id: this.id(), target, span };
    }
    return { kind: 'Call', id: this.id(), callee: name.image, calleeSpan: spanOfTokens(name, name), target: null, args, span };
  }

  private stringLiteral = this.RULE('stringLiteral', (): A.StringLiteral => {
    const t = this.CONSUME(T.StringLiteral);
    return this.ACTION(() => ({ kind: 'String' as const, id: this.id(), value: this.decodeString(t), raw: t.image, span: spanOfTokens(t, t) }));
  });

  public mapLiteral = this.RULE('mapLiteral', (): A.MapExpr => {
    const first = this.CONSUME(T.LBrace);
    const entries: A.MapEntry[] = [];
    this.OPTION(() => {
      entries.push(this.SUBRULE(this.mapEntry));
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RBrace,
        DEF: () => {
          this.CONSUME(T.Comma);
          entries.push(this.SUBRULE2(this.mapEntry));
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => ({ kind: 'Map' as const, id: this.id(), entries: entries.filter(Boolean), span: this.span(first) }));
  });

  private mapEntry = this.RULE('mapEntry', (): A.MapEntry => {
    const first = this.LA(1);
    const key = this.SUBRULE(this.mapKey);
    this.CONSUME(T.Colon);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ key, value, span: this.span(first) }));
  });

  /**
   * `{ name: 1 }` keys a map by the string "name" (JSON5 style), and `` { `content-type`: 1 } `` by
   * "content-type" (a name written as a field declares it); other keys are expressions.
   */
  private mapKey = this.RULE('mapKey', (): A.Expr =>
    this.OR([
      {
        GATE: () => this.LA(2).tokenType === T.Colon,
        ALT: () => {
          const t = this.CONSUME(T.AnyName);
          return this.ACTION(() => ({ kind: 'String' as const, id: this.id(), value: t.image, raw: t.image, span: spanOfTokens(t, t) }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.QuotedName);
          // `raw` as the formatter writes the key: backquotes only where the name needs them
          return this.ACTION(() => {
            const value = t.image.slice(1, -1);
            return { kind: 'String' as const, id: this.id(), value, raw: fieldNameText(value), span: spanOfTokens(t, t) };
          });
        },
      },
      { ALT: () => this.SUBRULE(this.expression) },
    ]),
  );
}
