/**
 * The Verdict parser: tokens -> AST, with error recovery. `parse` never
 * throws; whatever the input, it returns the AST of the parts it could read
 * and a diagnostic for every syntax error it found.
 *
 * The rules live by grammar area in `parser/` (see `parser/base.ts` for how
 * the layers make one parser); this module builds it.
 */
import { EmbeddedActionsParser, type TokenType } from 'chevrotain';
import type { ParserOptions } from './parser/base.ts';
import { StoredLookaheadStrategy } from './parser/lookahead.ts';
import { ExpressionParser } from './parser/expressions.ts';

export { numberValue } from './parser/base.ts';

/** The parts of chevrotain's parser this module reaches that its typings leave out. */
interface ParserInternals {
  TRACE_INIT<T>(phase: string, body: () => T): T;
  lookaheadStrategy: unknown;
  resyncFollows: Record<string, TokenType[]>;
}

/** The phase of `performSelfAnalysis` that computes the follows error recovery resynchronises on. */
const FOLLOWS_PHASE = 'computeAllProdsFollows';

class VerdictParser extends ExpressionParser {
  constructor(options: ParserOptions = {}) {
    super(options);
    // every layer's rules are defined by now (field initializers run before this body)
    this.performSelfAnalysis();
  }

  /**
   * chevrotain runs each phase of `performSelfAnalysis` through this method (to time them): the
   * follows of the rule references, which error recovery needs, are read from the lookahead table
   * when it fits the recorded grammar instead of being computed (test/parser/lookahead.test.ts
   * checks they were, and that they are what chevrotain computes).
   */
  TRACE_INIT<T>(phase: string, body: () => T): T {
    const self = this as unknown as ParserInternals;
    if (phase === FOLLOWS_PHASE && self.lookaheadStrategy instanceof StoredLookaheadStrategy) {
      const follows = self.lookaheadStrategy.storedFollows(Object.values(this.getGAstProductions()));
      if (follows !== undefined) {
        self.resyncFollows = follows;
        return undefined as T;
      }
    }
    return (EmbeddedActionsParser.prototype as unknown as ParserInternals).TRACE_INIT.call(this, phase, body) as T;
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
