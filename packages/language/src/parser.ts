/**
 * The Verdict parser: tokens -> AST, with error recovery. `parse` never
 * throws; whatever the input, it returns the AST of the parts it could read
 * and a diagnostic for every syntax error it found.
 *
 * The rules live by grammar area in `parser/` (see `parser/base.ts` for how
 * the layers make one parser); this module builds it.
 */
import type { ParserOptions } from './parser/base.ts';
import { ExpressionParser } from './parser/expressions.ts';

export { numberValue } from './parser/base.ts';

class VerdictParser extends ExpressionParser {
  constructor(options: ParserOptions = {}) {
    super(options);
    // every layer's rules are defined by now (field initializers run before this body)
    this.performSelfAnalysis();
  }
}

let sharedParser: VerdictParser | undefined;

/** The one parser instance (chevrotain parsers are built once and reused). */
export function getParser(): VerdictParser {
  sharedParser ??= new VerdictParser();
  return sharedParser;
}

/** A new parser built with `options` (the shared one is `getParser()`). */
export function buildParser(options: ParserOptions): VerdictParser {
  return new VerdictParser(options);
}

/** A parser built with chevrotain's grammar validations, which throws on a grammar mistake (for tests). */
export function validatedParser(): VerdictParser {
  return new VerdictParser({ validateGrammar: true });
}

export type { VerdictParser };
