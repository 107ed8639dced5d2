/**
 * The Verdict parser: tokens -> AST, with error recovery. `parse` never
 * throws; whatever the input, it returns the AST of the parts it could read
 * and a diagnostic for every syntax error it found.
 */
import { EmbeddedActionsParser, EOF, type IToken, type TokenType } from 'chevrotain';
import * as T from './tokens.ts';
import * as A from './ast.ts';
import { diagnostic, type Diagnostic } from './diagnostics.ts';
import { decodeEscapes, escapeLength, literalParts } from './strings.ts';
import { messages } from './parser-messages.ts';
import { markKeywordNames } from './keyword-names.ts';
import { joinSpans, NOWHERE, spanInToken, spanOfTokens } from './spans.ts';
import { BUILTINS } from './builtins.ts';
import { fieldNameText } from './names.ts';

const PRIMITIVES = new Set<A.PrimitiveTypeName>(['string', 'number', 'boolean', 'timestamp', 'duration', 'decimal', 'any']);
const MACROS = new Set<A.MacroName>(['all', 'exists', 'exists_one', 'map', 'filter']);
/** CEL's two-variable comprehensions: predicates take (index or key, value, predicate); transforms may add a filter. */
const PAIR_PREDICATES = new Set<A.MacroName>(['all', 'exists', 'existsOne', 'exists_one']);
const PAIR_TRANSFORMS = new Set<A.MacroName>(['transformList', 'transformMap', 'transformMapEntry']);
/** The keywords that begin a declaration. */
const DECLARATION_KEYWORDS = new Set<TokenType>([
  T.Ruleset, T.Input, T.Decision, T.Weights, T.On, T.Const, T.Param, T.Let, T.Output, T.Table, T.Rule, T.Test, T.TypeKeyword,
]);
/** Words from other languages' conditions, and what to write instead. */
const PYTHON_OPERATORS: Record<string, string> = {
  and: 'write `&&` for "and"',
  or: 'write `||` for "or"',
  not: 'write `!` for "not"',
};

/** The part of chevrotain's recovery trait that is not in its typings. */
interface InsertionRecovery {
  canRecoverWithSingleTokenInsertion(expected: TokenType, follows: TokenType[]): boolean;
}

interface PendingTemplate {
  node: A.TemplateLiteral;
  token: IToken;
}

class VerdictParser extends EmbeddedActionsParser {
  nextId = 0;
  templates: PendingTemplate[] = [];
  extraDiagnostics: Diagnostic[] = [];
  /** What the top-level rule has read so far (kept even when it aborts). */
  headers: Array<{ name: A.Name; first: IToken }> = [];
  decls: A.Decl[] = [];
  /** The first token the top-level rule did not consume (to resume after junk). */
  stoppedAt: IToken | undefined;
  /** Index in the token vector where the table row result being read starts; -1 outside one. */
  private rowResultStart = -1;

  /**
   * `validateGrammar`: run chevrotain's grammar validations (ambiguities, left recursion, ...) while
   * building. They take a third of the start-up of a short command (`verdict fmt --stdout` runs once
   * per file version as git's textconv) and find nothing in a grammar that already passed them, so
   * the shared parser skips them; a test builds the parser with them (test/parser/grammar.test.ts).
   */
  constructor({ validateGrammar = false }: { validateGrammar?: boolean } = {}) {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: messages, skipValidations: !validateGrammar });
    this.performSelfAnalysis();
  }

  private id(): number {
    return this.nextId++;
  }

  private span(first: IToken): A.Span {
    return spanOfTokens(first, this.LA(0));
  }

  private errorExpr(first: IToken): A.ErrorExpr {
    return { kind: 'ErrorExpr', id: this.id(), span: this.span(first) };
  }

  private name(token: IToken): A.Name {
    // A token inserted by recovery has no position: point at the last real token read instead.
    const at = Number.isNaN(token.startOffset) ? this.lastRealToken() : token;
    return { name: token.image, span: at === undefined ? NOWHERE : spanOfTokens(at, at) };
  }

  private lastRealToken(): IToken | undefined {
    // `currIdx` is chevrotain's position in the token vector (exportLexerState() in its JS, untyped).
    for (let i = (this as unknown as { currIdx: number }).currIdx; i >= 0; i--) {
      const t = this.input[i];
      if (t !== undefined && !Number.isNaN(t.startOffset)) return t;
    }
    return undefined;
  }

  /**
   * chevrotain's single-token insertion needs the next token in the follow
   * set, which the end of the file never is: allow a missing `}` there too, so
   * a block left open at the end of the file is kept (mid-file it already is).
   */
  canRecoverWithSingleTokenInsertion(expected: TokenType, follows: TokenType[]): boolean {
    if (expected === T.RBrace && this.LA(1).tokenType === EOF) return true;
    return (EmbeddedActionsParser.prototype as unknown as InsertionRecovery).canRecoverWithSingleTokenInsertion.call(this, expected, follows);
  }

  private errorRecovery = (): A.Expr => ({ kind: 'ErrorExpr', id: -1, span: this.lastRealToken() ? spanOfTokens(this.lastRealToken()!, this.lastRealToken()!) : NOWHERE });

  // ------------------------------------------------------------ top level

  public rulesetFile = this.RULE('rulesetFile', () => {
    this.ACTION(() => markKeywordNames(this.input, false));
    const first = this.LA(1);
    this.OPTION(() => {
      this.CONSUME(T.Ruleset);
      const name = this.SUBRULE(this.rulesetName);
      this.ACTION(() => this.headers.push({ name, first }));
    });
    this.MANY(() => {
      const decl = this.SUBRULE(this.declaration);
      this.ACTION(() => {
        if (decl) this.decls.push(decl);
      });
    });
    this.ACTION(() => {
      this.stoppedAt = this.LA(1);
    });
  });

  /**
   * The name after `ruleset`. Keywords are soft in it, but a declaration
   * keyword on a later line is the next declaration, not the name: then the
   * name is missing (reported here; the header still counts, so no VD1004).
   */
  private rulesetName = this.RULE('rulesetName', (): A.Name => {
    let name: A.Name | null = null;
    this.OPTION({
      GATE: () => !this.declarationOnNextLine(),
      DEF: () => {
        name = this.SUBRULE(this.qualifiedName);
      },
    });
    return this.ACTION(() => {
      if (name !== null) return name;
      const keyword = this.LA(0);
      const span = spanOfTokens(keyword, keyword);
      this.extraDiagnostics.push(
        diagnostic('VD1003', 'error', '`ruleset` needs a name', span, { hint: 'name the ruleset on the same line, e.g. `ruleset marketplace.admission`' }),
      );
      return { name: '', span };
    });
  });

  private declarationOnNextLine(): boolean {
    const next = this.LA(1);
    return DECLARATION_KEYWORDS.has(next.tokenType) && !this.onSameLine(this.LA(0), next);
  }

  private qualifiedName = this.RULE('qualifiedName', (): A.Name => {
    const first = this.CONSUME(T.AnyName);
    let text = first.image;
    this.MANY(() => {
      this.CONSUME(T.Dot);
      const part = this.CONSUME2(T.AnyName);
      this.ACTION(() => (text += '.' + part.image));
    });
    return this.ACTION(() => ({ name: text, span: this.span(first) }));
  });

  public declaration = this.RULE(
    'declaration',
    (): A.Decl =>
      this.OR([
        { ALT: () => this.SUBRULE(this.inputDecl) },
        { ALT: () => this.SUBRULE(this.typeAliasDecl) },
        { ALT: () => this.SUBRULE(this.decisionDecl) },
        { ALT: () => this.SUBRULE(this.weightsDecl) },
        { ALT: () => this.SUBRULE(this.errorPolicyDecl) },
        { ALT: () => this.SUBRULE(this.constDecl) },
        { ALT: () => this.SUBRULE(this.paramDecl) },
        { ALT: () => this.SUBRULE(this.letDecl) },
        { ALT: () => this.SUBRULE(this.outputDecl) },
        { ALT: () => this.SUBRULE(this.tableDecl) },
        { ALT: () => this.SUBRULE(this.ruleDecl) },
        { ALT: () => this.SUBRULE(this.testDecl) },
        {
          // A second header: read it so parse() can report VD1010 and carry on with what follows.
          ALT: () => {
            const first = this.CONSUME(T.Ruleset);
            const name = this.SUBRULE2(this.rulesetName);
            this.ACTION(() => this.headers.push({ name, first }));
            return null as unknown as A.Decl;
          },
        },
      ]),
  );

  private inputDecl = this.RULE('inputDecl', (): A.InputDecl => {
    const first = this.CONSUME(T.Input);
    const block = this.SUBRULE(this.fieldBlock);
    return this.ACTION(() => ({ kind: 'Input' as const, fields: block.fields, rest: block.rest, doc: null, span: this.span(first) }));
  });

  private typeAliasDecl = this.RULE('typeAliasDecl', (): A.TypeAliasDecl => {
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

  private fieldBlock = this.RULE('fieldBlock', (): { fields: A.FieldDecl[]; rest: A.Span | null } => {
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

  private typeExpr = this.RULE(
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

  private decisionDecl = this.RULE('decisionDecl', (): A.DecisionDecl => {
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

  private weightsDecl = this.RULE('weightsDecl', (): A.WeightsDecl => {
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

  private errorPolicyDecl = this.RULE('errorPolicyDecl', (): A.ErrorPolicyDecl => {
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

  private optionalType = this.RULE('optionalType', (): A.TypeExpr | null => {
    let type: A.TypeExpr | null = null;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      type = this.SUBRULE(this.typeExpr);
    });
    return type;
  });

  private constDecl = this.RULE('constDecl', (): A.ConstDecl => {
    const first = this.CONSUME(T.Const);
    const name = this.CONSUME(T.Identifier);
    const type = this.SUBRULE(this.optionalType);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: 'Const' as const, name: this.name(name), type, value, doc: null, span: this.span(first) }));
  });

  private paramDecl = this.RULE('paramDecl', (): A.ParamDecl => {
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

  private letDecl = this.RULE('letDecl', (): A.LetDecl => {
    const first = this.CONSUME(T.Let);
    const name = this.CONSUME(T.Identifier);
    const type = this.SUBRULE(this.optionalType);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: 'Let' as const, name: this.name(name), type, value, doc: null, span: this.span(first) }));
  });

  private outputDecl = this.RULE('outputDecl', (): A.OutputDecl => {
    const first = this.CONSUME(T.Output);
    const name = this.CONSUME(T.Identifier);
    const type = this.SUBRULE(this.optionalType);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: 'Output' as const, name: this.name(name), type, value, doc: null, span: this.span(first) }));
  });

  // ------------------------------------------------------------ tables

  private tableDecl = this.RULE('tableDecl', (): A.TableDecl => {
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

  /**
   * Table rows have no separator and line breaks are not tokens, so a row
   * whose first pattern starts with `-`, `(` or `[` would continue the
   * previous row's result (a subtraction, a call, an index). Inside a row
   * result, such a token at the start of a line, outside any bracket opened
   * in the result, begins the next row instead.
   */
  private continuesRowResult(): boolean {
    if (this.rowResultStart < 0) return true;
    const next = this.LA(1);
    const type = next.tokenType;
    if (type !== T.Minus && type !== T.LParen && type !== T.LBracket && type !== T.Dot) return true;
    if (this.onSameLine(this.LA(0), next)) return true;
    let depth = 0;
    for (let i = this.rowResultStart; i <= this.tokenIndex(); i++) {
      const t = this.input[i]?.tokenType;
      if (t === T.LParen || t === T.LBracket || t === T.LBrace) depth++;
      else if (t === T.RParen || t === T.RBracket || t === T.RBrace) depth--;
    }
    return depth > 0;
  }

  /**
   * The repetition or option `def`, gated by continuesRowResult inside a row
   * result only: the expression rules run for every operand, and a GATE costs
   * chevrotain a closure per call, so elsewhere the plain function is passed.
   * (GATEs are runtime-only: the grammar recorded is the same either way.)
   */
  private rowGated(def: () => void): (() => void) | { GATE: () => boolean; DEF: () => void } {
    return this.rowResultStart < 0 ? def : { GATE: this.rowResultGate, DEF: def };
  }

  private readonly rowResultGate = (): boolean => this.continuesRowResult();

  /** Index of the last token read (chevrotain's `currIdx`, untyped in its API). */
  private tokenIndex(): number {
    return (this as unknown as { currIdx: number }).currIdx;
  }

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

  // ------------------------------------------------------------ rules

  private ruleDecl = this.RULE('ruleDecl', (): A.RuleDecl => {
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

  /** Skips the tokens on the current line, up to (not including) a `}` that closes the enclosing block. */
  private skipRestOfLine(): void {
    const line = this.LA(0).endLine;
    let depth = 0;
    for (let t = this.LA(1); t.tokenType !== EOF && t.startLine === line; t = this.LA(1)) {
      if (t.tokenType === T.LBrace) depth++;
      else if (t.tokenType === T.RBrace && depth-- === 0) return;
      this.SKIP_TOKEN();
    }
  }

  private onSameLine(before: IToken | undefined, after: IToken): boolean {
    return before !== undefined && after.tokenType !== EOF && before.endLine !== undefined && after.startLine === before.endLine;
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

  // ------------------------------------------------------------ tests

  private testDecl = this.RULE('testDecl', (): A.TestDecl => {
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
              rules = list;
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
            this.CONSUME(T.By);
            this.CONSUME(T.LBracket);
            const list: A.Name[] = [];
            this.MANY_SEP({
              SEP: T.Comma,
              DEF: () => {
                const r = this.CONSUME2(T.AnyName);
                this.ACTION(() => list.push(this.name(r)));
              },
            });
            this.CONSUME(T.RBracket);
            rules = list;
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

  // ------------------------------------------------------------ expressions

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

  /** The value of a number token; `1000.` (lexed whole so the error lands on it) is reported at its point. */
  private numberOf(t: IToken): number {
    const dot = t.image.indexOf('.');
    if (dot >= 0 && !/\d/.test(t.image.charAt(dot + 1)) && !Number.isNaN(t.startOffset)) {
      const start = t.startOffset + dot;
      const line = t.startLine ?? 1;
      const column = (t.startColumn ?? 1) + dot;
      this.extraDiagnostics.push(
        diagnostic('VD1003', 'error', 'a number needs digits after its decimal point', { start, end: start + 1, line, column, endLine: line, endColumn: column + 1 }, {
          hint: `write \`${t.image.slice(0, dot)}.0\`, or \`${t.image.slice(0, dot)}\` without the point`,
        }),
      );
    }
    return numberValue(t.image);
  }

  decodeString(t: IToken): string {
    // A string token inserted by recovery has no text.
    if (Number.isNaN(t.startOffset) || t.image.length < 2) return '';
    const parts = literalParts(t.image);
    const decoded = decodeEscapes(parts.body, parts.raw);
    if (decoded.error) {
      // A triple-quoted string spans lines: the escape's line and column are counted inside the token.
      const at = parts.bodyStart + decoded.error.offset;
      const span = spanInToken(t, at, at + escapeLength(t.image, at));
      this.extraDiagnostics.push(
        diagnostic('VD1005', 'error', decoded.error.message, span, {
          hint: 'escapes are \\n \\t \\r \\\\ \\" \\\' \\{ \\} \\xHH \\uHHHH \\UHHHHHHHH; write \\\\ for a backslash',
        }),
      );
    }
    return decoded.value;
  }
}

export function numberValue(image: string): number {
  const text = image.replace(/[uU]$/, '');
  if (/^0[xX]/.test(text)) return parseInt(text.slice(2), 16);
  return Number(text);
}

let sharedParser: VerdictParser | undefined;

/** The one parser instance (chevrotain parsers are built once and reused). */
export function getParser(): VerdictParser {
  sharedParser ??= new VerdictParser();
  return sharedParser;
}

/** A parser built with chevrotain's grammar validations, which throws on a grammar mistake (for tests). */
export function validatedParser(): VerdictParser {
  return new VerdictParser({ validateGrammar: true });
}

export type { VerdictParser };
