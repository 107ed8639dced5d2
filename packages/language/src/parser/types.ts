/** Types: field blocks (`input`, records, open records), literal unions, named and generic types. */
import * as T from '../tokens.ts';
import * as A from '../ast.ts';
import { diagnostic } from '../diagnostics.ts';
import { spanOfTokens } from '../spans.ts';
import { DECLARATION_KEYWORDS, ParserBase } from './base.ts';

const PRIMITIVES = new Set<A.PrimitiveTypeName>(['string', 'number', 'boolean', 'timestamp', 'duration', 'decimal', 'any']);

export abstract class TypeParser extends ParserBase {
  protected fieldBlock = this.RULE('fieldBlock', (): { fields: A.FieldDecl[]; rest: A.Span | null } => {
    const fields: A.FieldDecl[] = [];
    let rest: A.Span | null = null;
    this.CONSUME(T.LBrace);
    this.MANY({
      // A declaration keyword not followed by `:` or `?` is the next declaration: the block is missing its `}`.
      GATE: () => !DECLARATION_KEYWORDS.has(this.LA(1).tokenType) || this.LA(2).tokenType === T.Colon || this.LA(2).tokenType === T.Question,
      DEF: () => {
        const field = this.SUBRULE(this.fieldDecl);
        this.ACTION(() => {
          if (field) fields.push(field);
        });
        this.OPTION(() => this.CONSUME(T.Comma));
      },
    });
    // A trailing `...`: other fields are allowed (an open record).
    this.OPTION2(() => {
      const dots = this.CONSUME(T.Ellipsis);
      this.ACTION(() => (rest = spanOfTokens(dots, dots)));
      this.OPTION3(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBrace);
    return { fields, rest };
  });

  private fieldDecl = this.RULE('fieldDecl', (): A.FieldDecl => {
    // `` `account-information`: ... ``: a name that is not an identifier is written quoted, as it is read
    const nameToken = this.OR([{ ALT: () => this.CONSUME(T.AnyName) }, { ALT: () => this.CONSUME(T.QuotedName) }]);
    let optional = false;
    let sensitive = false;
    let where: A.Expr | null = null;
    this.OPTION(() => {
      this.CONSUME(T.Question);
      optional = true;
    });
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.typeExpr);
    this.OPTION2(() => {
      this.CONSUME(T.Sensitive);
      sensitive = true;
    });
    this.OPTION3(() => {
      this.CONSUME(T.Where);
      where = this.SUBRULE(this.expression);
    });
    return this.ACTION(() => ({
      kind: 'Field' as const,
      name: nameToken.tokenType === T.QuotedName ? nameToken.image.slice(1, -1) : nameToken.image,
      nameSpan: spanOfTokens(nameToken, nameToken),
      optional,
      sensitive,
      type,
      where,
      doc: null,
      span: this.span(nameToken),
    }));
  });

  protected typeExpr = this.RULE(
    'typeExpr',
    (): A.TypeExpr =>
      this.OR([
        { ALT: () => this.SUBRULE(this.literalUnion) },
        { ALT: () => this.SUBRULE(this.namedType) },
        {
          ALT: () => {
            const first = this.LA(1);
            const block = this.SUBRULE(this.fieldBlock);
            return this.ACTION(() => ({ kind: 'RecordType' as const, fields: block.fields, rest: block.rest, span: this.span(first) }));
          },
        },
      ]),
    { recoveryValueFunc: (): A.TypeExpr => ({ kind: 'ErrorType', span: spanOfTokens(this.LA(0), this.LA(0)) }) },
  );

  private literalUnion = this.RULE('literalUnion', (): A.LiteralUnionType => {
    const first = this.LA(1);
    const values: Array<string | number | boolean> = [];
    const raws: string[] = [];
    const push = (literal: { value: string | number | boolean; raw: string } | undefined): void => {
      this.ACTION(() => {
        if (literal) {
          values.push(literal.value);
          raws.push(literal.raw);
        }
      });
    };
    push(this.SUBRULE(this.literalValue));
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      push(this.SUBRULE2(this.literalValue));
    });
    return this.ACTION(() => ({ kind: 'LiteralUnionType' as const, values, raws, span: this.span(first) }));
  });

  private literalValue = this.RULE('literalValue', (): { value: string | number | boolean; raw: string } =>
    this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.StringLiteral);
          return this.ACTION(() => ({ value: this.decodeString(t), raw: t.image }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.NumberLiteral);
          return this.ACTION(() => ({ value: this.numberOf(t), raw: t.image }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Minus);
          const n = this.CONSUME2(T.NumberLiteral);
          return this.ACTION(() => ({ value: -this.numberOf(n), raw: t.image + n.image }));
        },
      },
      { ALT: () => ({ value: true, raw: this.CONSUME(T.True).image }) },
      { ALT: () => ({ value: false, raw: this.CONSUME(T.False).image }) },
    ]),
  );

  private namedType = this.RULE('namedType', (): A.TypeExpr => {
    const nameToken = this.CONSUME(T.Identifier);
    let inner: A.TypeExpr | null = null;
    this.OPTION(() => {
      this.CONSUME(T.Less);
      inner = this.SUBRULE(this.typeExpr);
      // `map<string, T>` is accepted: keys are always strings.
      this.OPTION2(() => {
        this.CONSUME(T.Comma);
        inner = this.SUBRULE2(this.typeExpr);
      });
      this.CONSUME(T.Greater);
    });
    return this.ACTION((): A.TypeExpr => {
      const span = this.span(nameToken);
      const name = nameToken.image;
      if (inner !== null && name === 'list') return { kind: 'ListType', element: inner, span };
      if (inner !== null && name === 'map') return { kind: 'MapType', value: inner, span };
      if (inner === null && PRIMITIVES.has(name as A.PrimitiveTypeName)) {
        return { kind: 'PrimitiveType', name: name as A.PrimitiveTypeName, span };
      }
      // Any other bare name may be a `type` alias declared anywhere in the file: parse() resolves it (VD1008 when none).
      if (inner === null && name !== 'list' && name !== 'map') return A.typeRef(name, span);
      const hint =
        name === 'list' || name === 'map'
          ? `write \`${name}<T>\` with an element type, e.g. \`${name}<string>\``
          : 'types are string, number, boolean, timestamp, duration, any, list<T>, map<T>, "a" | "b" unions and { field: T } records';
      const message =
        name === 'list' || name === 'map' ? `\`${name}\` needs an element type` : `unknown type \`${name}\``;
      this.extraDiagnostics.push(diagnostic('VD1008', 'error', message, span, { hint }));
      return { kind: 'ErrorType', span };
    });
  });

  protected optionalType = this.RULE('optionalType', (): A.TypeExpr | null => {
    let type: A.TypeExpr | null = null;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      type = this.SUBRULE(this.typeExpr);
    });
    return type;
  });
}
