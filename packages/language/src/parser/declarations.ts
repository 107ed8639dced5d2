/** The ruleset-level declarations other than tables, rules and tests: input, types, decision, weights, settings, values. */
import * as T from '../tokens.ts';
import type * as A from '../ast.ts';
import { diagnostic } from '../diagnostics.ts';
import { spanOfTokens } from '../spans.ts';
import { TableParser } from './tables.ts';

export abstract class DeclarationParser extends TableParser {
  protected inputDecl = this.RULE('inputDecl', (): A.InputDecl => {
    const first = this.CONSUME(T.Input);
    const block = this.SUBRULE(this.fieldBlock);
    return this.ACTION(() => ({ kind: 'Input' as const, fields: block.fields, rest: block.rest, doc: null, span: this.span(first) }));
  });

  protected typeAliasDecl = this.RULE('typeAliasDecl', (): A.TypeAliasDecl => {
    const first = this.CONSUME(T.TypeKeyword);
    const nameToken = this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    const type = this.SUBRULE(this.typeExpr);
    return this.ACTION(() => ({
      kind: 'TypeAlias' as const,
      name: { name: nameToken.image, span: spanOfTokens(nameToken, nameToken) },
      type,
      doc: null,
      span: this.span(first),
    }));
  });

  protected decisionDecl = this.RULE('decisionDecl', (): A.DecisionDecl => {
    const first = this.CONSUME(T.Decision);
    const outcomes: A.Name[] = [];
    const head = this.CONSUME(T.Identifier);
    this.ACTION(() => outcomes.push(this.name(head)));
    this.MANY(() => {
      this.CONSUME(T.Greater);
      const next = this.CONSUME2(T.Identifier);
      this.ACTION(() => outcomes.push(this.name(next)));
    });
    // `compliant permit, allow`: a contextual word (no declaration starts with a plain name)
    let compliant: A.Name[] | undefined;
    this.OPTION({
      GATE: () => this.LA(1).tokenType === T.Identifier && this.LA(1).image === 'compliant',
      DEF: () => {
        this.CONSUME3(T.Identifier);
        compliant = [];
        const firstCompliant = this.CONSUME4(T.Identifier);
        this.ACTION(() => compliant!.push(this.name(firstCompliant)));
        this.MANY2(() => {
          this.CONSUME(T.Comma);
          const more = this.CONSUME5(T.Identifier);
          this.ACTION(() => compliant!.push(this.name(more)));
        });
      },
    });
    return this.ACTION(() => ({ kind: 'Decision' as const, outcomes, ...(compliant === undefined ? {} : { compliant }), doc: null, span: this.span(first) }));
  });

  protected weightsDecl = this.RULE('weightsDecl', (): A.WeightsDecl => {
    const first = this.CONSUME(T.Weights);
    const entries: A.WeightsDecl['entries'] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      const severity = this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
      const value = this.CONSUME(T.NumberLiteral);
      this.OPTION(() => this.CONSUME(T.Comma));
      this.ACTION(() =>
        entries.push({
          severity: this.name(severity),
          value: { kind: 'Number', id: this.id(), value: this.numberOf(value), raw: value.image, span: spanOfTokens(value, value) },
          span: spanOfTokens(severity, value),
        }),
      );
    });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => ({ kind: 'Weights' as const, entries, doc: null, span: this.span(first) }));
  });

  protected errorPolicyDecl = this.RULE('errorPolicyDecl', (): A.ErrorPolicyDecl => {
    const first = this.CONSUME(T.On);
    const word = this.CONSUME(T.Identifier);
    const policy = this.CONSUME2(T.Identifier);
    return this.ACTION(() => {
      if (word.image !== 'error') {
        this.extraDiagnostics.push(
          diagnostic('VD1003', 'error', `expected \`error\` but found \`${word.image}\``, spanOfTokens(word, word), {
            hint: 'write `on error fire` (fail closed) or `on error skip` (fail open)',
          }),
        );
      }
      return { kind: 'ErrorPolicy' as const, policy: this.name(policy), doc: null, span: this.span(first) };
    });
  });

  protected constDecl = this.RULE('constDecl', (): A.ConstDecl => {
    const first = this.CONSUME(T.Const);
    const name = this.CONSUME(T.Identifier);
    const type = this.SUBRULE(this.optionalType);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: 'Const' as const, name: this.name(name), type, value, doc: null, span: this.span(first) }));
  });

  protected paramDecl = this.RULE('paramDecl', (): A.ParamDecl => {
    const first = this.CONSUME(T.Param);
    const name = this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.typeExpr);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expression);
    let where: A.Expr | null = null;
    this.OPTION(() => {
      this.CONSUME(T.Where);
      where = this.SUBRULE2(this.expression);
    });
    return this.ACTION(() => ({
      kind: 'Param' as const,
      name: this.name(name),
      type,
      default: value,
      where,
      doc: null,
      span: this.span(first),
    }));
  });

  protected letDecl = this.RULE('letDecl', (): A.LetDecl => {
    const first = this.CONSUME(T.Let);
    const name = this.CONSUME(T.Identifier);
    const type = this.SUBRULE(this.optionalType);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: 'Let' as const, name: this.name(name), type, value, doc: null, span: this.span(first) }));
  });

  protected outputDecl = this.RULE('outputDecl', (): A.OutputDecl => {
    const first = this.CONSUME(T.Output);
    const name = this.CONSUME(T.Identifier);
    const type = this.SUBRULE(this.optionalType);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: 'Output' as const, name: this.name(name), type, value, doc: null, span: this.span(first) }));
  });
}
