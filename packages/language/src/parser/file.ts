/** The file's top level: the `ruleset` header and the choice of declaration. */
import * as T from '../tokens.ts';
import type * as A from '../ast.ts';
import { diagnostic } from '../diagnostics.ts';
import { markKeywordNames } from '../keyword-names.ts';
import { spanOfTokens } from '../spans.ts';
import { DECLARATION_KEYWORDS } from './base.ts';
import { TestParser } from './tests.ts';

export abstract class FileParser extends TestParser {
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
}
