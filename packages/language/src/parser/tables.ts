/** Decision tables: the signature, rows, and each kind of row pattern. */
import { EOF } from 'chevrotain';
import * as T from '../tokens.ts';
import type * as A from '../ast.ts';
import { spanOfTokens } from '../spans.ts';
import { TypeParser } from './types.ts';

export abstract class TableParser extends TypeParser {
  protected tableDecl = this.RULE('tableDecl', (): A.TableDecl => {
    const first = this.CONSUME(T.Table);
    const name = this.CONSUME(T.Identifier);
    const params: A.TableParam[] = [];
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const pname = this.CONSUME2(T.Identifier);
        this.CONSUME(T.Colon);
        const ptype = this.SUBRULE(this.typeExpr);
        this.ACTION(() => params.push({ name: this.name(pname), type: ptype, span: this.span(pname) }));
      },
    });
    this.CONSUME(T.RParen);
    this.CONSUME(T.Arrow);
    const returnType = this.SUBRULE2(this.typeExpr);
    const rows: A.TableRow[] = [];
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      const row = this.SUBRULE(this.tableRow);
      this.ACTION(() => {
        if (row) rows.push(row);
      });
    });
    this.CONSUME(T.RBrace);
    this.ACTION(() => {
      // a range, `contains` or call pattern tests its column: its test reads the column's parameter
      for (const row of rows) row.patterns.forEach((p, i) => {
        if (p.kind === 'TestPattern' && params[i] !== undefined) for (const ident of p.columnReads) ident.name = params[i]!.name.name;
      });
    });
    return this.ACTION(() => ({
      kind: 'Table' as const,
      name: this.name(name),
      params,
      returnType,
      rows,
      doc: null,
      span: this.span(first),
    }));
  });

  private tableRow = this.RULE('tableRow', (): A.TableRow => {
    const first = this.LA(1);
    const patterns: A.TablePattern[] = [];
    let guard: A.Expr | null = null;
    let isElse = false;
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Else);
          isElse = true;
        },
      },
      {
        ALT: () => {
          patterns.push(this.SUBRULE(this.tablePattern));
          this.MANY(() => {
            this.CONSUME(T.Comma);
            patterns.push(this.SUBRULE2(this.tablePattern));
          });
          this.OPTION(() => {
            this.CONSUME(T.When);
            guard = this.SUBRULE(this.expression);
          });
        },
      },
    ]);
    this.CONSUME(T.Arrow);
    // Row results stop before comparisons so the next row may start with `< 25`,
    // and at a line break before `-`, `(` or `[` (see continuesRowResult).
    const saved = this.rowResultStart;
    this.rowResultStart = this.tokenIndex() + 1;
    let result: A.Expr;
    try {
      result = this.SUBRULE(this.additive);
    } finally {
      this.rowResultStart = saved;
    }
    return this.ACTION(() => ({ patterns, guard, result, isElse, span: this.span(first) }));
  });

  private tablePattern = this.RULE('tablePattern', (): A.TablePattern => {
    const first = this.LA(1);
    return this.OR([
      {
        GATE: () => this.LA(1).image === '_',
        ALT: () => {
          this.CONSUME(T.Identifier);
          return this.ACTION(() => ({ kind: 'Wildcard' as const, span: this.span(first) }));
        },
      },
      {
        // `[10, 20)`, `(0, 1]`, `[a, b]`, `(a, b)`: a range, told from a parenthesized or list value by its comma
        GATE: () => this.rangeAhead(),
        ALT: () => {
          const open = this.OR4([{ ALT: () => this.CONSUME(T.LBracket) }, { ALT: () => this.CONSUME(T.LParen) }]);
          const low = this.SUBRULE4(this.additive);
          this.CONSUME(T.Comma);
          const high = this.SUBRULE5(this.additive);
          const close = this.OR5([{ ALT: () => this.CONSUME(T.RBracket) }, { ALT: () => this.CONSUME(T.RParen) }]);
          return this.ACTION(() => {
            const lowInclusive = open.tokenType === T.LBracket;
            const highInclusive = close.tokenType === T.RBracket;
            const span = this.span(first);
            const reads = [this.columnRead(span), this.columnRead(span)];
            const test = this.patternAnd(this.patternCompare(lowInclusive ? '>=' : '>', reads[0]!, low, span), this.patternCompare(highInclusive ? '<=' : '<', reads[1]!, high, span), span);
            return { kind: 'TestPattern' as const, range: { low, high, lowInclusive, highInclusive }, value: test, columnReads: reads, span };
          });
        },
      },
      {
        ALT: () => {
          const comparisons: Array<{ op: '<' | '<=' | '>' | '>=' | '!='; value: A.Expr }> = [];
          const head = this.SUBRULE(this.patternComparison);
          this.ACTION(() => comparisons.push(head));
          // `>= 10 && < 20 && != 15`: several comparisons, all of which must hold
          this.MANY9(() => {
            this.CONSUME(T.AndAnd);
            const more = this.SUBRULE2(this.patternComparison);
            this.ACTION(() => comparisons.push(more));
          });
          return this.ACTION((): A.TablePattern => {
            const span = this.span(first);
            if (comparisons.length === 1) return { kind: 'ComparePattern', op: comparisons[0]!.op, value: comparisons[0]!.value, span };
            const reads = comparisons.map(() => this.columnRead(span));
            const test = comparisons.map((c, i) => this.patternCompare(c.op, reads[i]!, c.value, span)).reduce((a, b) => this.patternAnd(a, b, span));
            return { kind: 'TestPattern', comparisons, value: test, columnReads: reads, span };
          });
        },
      },
      {
        // `contains "KP"`: the column (a list or map) holds this item
        GATE: () => this.LA(1).image === 'contains' && this.LA(1).tokenType === T.Identifier,
        ALT: () => {
          this.CONSUME2(T.Identifier);
          const item = this.SUBRULE7(this.additive);
          return this.ACTION((): A.TablePattern => {
            const span = this.span(first);
            const read = this.columnRead(span);
            const test: A.Expr = { kind: 'Binary', id: this.id(), op: 'in', left: item, right: read, span };
            return { kind: 'TestPattern', contains: item, value: test, columnReads: [read], span };
          });
        },
      },
      {
        // `.startsWith("https://")`: a call on the column's value
        ALT: () => {
          this.CONSUME(T.Dot);
          const callee = this.CONSUME3(T.Identifier);
          this.CONSUME2(T.LParen);
          const args: A.Expr[] = [];
          this.MANY_SEP({
            SEP: T.Comma,
            DEF: () => {
              const a = this.SUBRULE(this.expression);
              this.ACTION(() => args.push(a));
            },
          });
          this.CONSUME2(T.RParen);
          return this.ACTION((): A.TablePattern => {
            const span = this.span(first);
            const read = this.columnRead(span);
            const test: A.Expr = { kind: 'Call', id: this.id(), callee: callee.image, calleeSpan: spanOfTokens(callee, callee), target: read, args, span };
            return { kind: 'TestPattern', call: { callee: callee.image, args }, value: test, columnReads: [read], span };
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.In);
          const value = this.SUBRULE2(this.additive);
          return this.ACTION(() => ({ kind: 'InPattern' as const, value, span: this.span(first) }));
        },
      },
      {
        ALT: () => {
          const value = this.SUBRULE3(this.additive);
          return this.ACTION(() => ({ kind: 'EqualsPattern' as const, value, span: this.span(first) }));
        },
      },
    ]);
  });

  private patternComparison = this.RULE('patternComparison', (): { op: '<' | '<=' | '>' | '>=' | '!='; value: A.Expr } => {
    const op = this.OR([
      { ALT: () => this.CONSUME(T.Less) },
      { ALT: () => this.CONSUME(T.LessEqual) },
      { ALT: () => this.CONSUME(T.Greater) },
      { ALT: () => this.CONSUME(T.GreaterEqual) },
      { ALT: () => this.CONSUME(T.NotEqual) },
    ]);
    const value = this.SUBRULE(this.additive);
    return { op: op.image as '<' | '<=' | '>' | '>=' | '!=', value };
  });

  /** Whether a `[`/`(` range (`[10, 20)`) starts here: a comma at its own depth before the bracket closes. */
  private rangeAhead(): boolean {
    const open = this.LA(1).tokenType;
    if (open !== T.LBracket && open !== T.LParen) return false;
    let depth = 0;
    let commas = 0;
    for (let k = 1; k < 64; k++) {
      const t = this.LA(k).tokenType;
      if (t === EOF) return false;
      if (t === T.LBracket || t === T.LParen || t === T.LBrace) depth++;
      else if (t === T.RBracket || t === T.RParen || t === T.RBrace) {
        depth--;
        if (depth !== 0) continue;
        // `[1, 1] * 2` is a value: a range ends its pattern
        const after = this.LA(k + 1).tokenType;
        return commas === 1 && (after === T.Comma || after === T.Arrow || after === T.When);
      } else if (t === T.Comma && depth === 1) commas++;
    }
    return false;
  }

  /** A read of the pattern's column; named once the table's parameters are known. */
  private columnRead(span: A.Span): A.Identifier {
    return { kind: 'Ident', id: this.id(), name: '', span };
  }

  private patternCompare(op: '<' | '<=' | '>' | '>=' | '!=', column: A.Expr, value: A.Expr, span: A.Span): A.Expr {
    return { kind: 'Binary', id: this.id(), op, left: column, right: value, span };
  }

  private patternAnd(left: A.Expr, right: A.Expr, span: A.Span): A.Expr {
    return { kind: 'Binary', id: this.id(), op: '&&', left, right, span };
  }
}
