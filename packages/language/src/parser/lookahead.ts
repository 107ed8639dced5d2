/**
 * The parser's LL(k) lookahead, read from a table computed ahead of time.
 *
 * Building a chevrotain parser computes, for every decision of the grammar
 * (each OR, OPTION, MANY, AT_LEAST_ONE, ...), the token sequences that choose
 * each way: a path analysis that is most of `performSelfAnalysis` after the
 * grammar is recorded, and which gives the same result for the same grammar
 * every time. `verdict fmt --stdout` runs in a new process per file version
 * (git's textconv) and used to pay it on every run. The paths are computed
 * once instead, by chevrotain's own analysis (`getLookaheadPaths`), and kept
 * by token name in `lookahead-table.ts` (generated: `pnpm --filter
 * @verdict/language gen:lookahead`); building the parser only turns them into
 * the same functions chevrotain would build from them.
 *
 * The table carries a fingerprint of the grammar it was computed for. When
 * the recorded grammar differs (a rule was changed and the table not
 * regenerated), or a decision is missing from it, the strategy falls back to
 * chevrotain's analysis, so the parser stays correct, only slower to build;
 * test/parser/lookahead.test.ts fails until the table is regenerated.
 */
import {
  Alternation,
  Alternative,
  EOF,
  getLookaheadPaths,
  LLkLookaheadStrategy,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  Terminal,
  type IOrAlt,
  type IProduction,
  type IToken,
  type LookaheadProductionType,
  type OptionalProductionType,
  type Rule,
  type TokenType,
} from 'chevrotain';

/** One decision's paths: per alternative (one for an optional production), its token sequences by token name. */
export type StoredPaths = string[][][];

/**
 * The table, kept as strings (a string literal costs a module far less to compile than the
 * nested arrays it stands for): a decision's alternatives are separated by `;`, an alternative's
 * paths by `,` and a path's token names by spaces (`encodePaths`); `-` is an alternative no path
 * reaches.
 */
export interface LookaheadTable {
  /** `grammarFingerprint` of the grammar the paths were computed for. */
  fingerprint: string;
  /** By `decisionKey`: the paths, encoded. */
  decisions: Record<string, string>;
  /**
   * The tokens that may follow each rule reference in its rule, their names separated by spaces:
   * what chevrotain's error recovery resynchronises on (its `resyncFollows`, keyed as it keys them).
   */
  follows: Record<string, string>;
}

export function encodePaths(paths: StoredPaths): string {
  for (const name of paths.flat(2)) if (!/^\w+$/.test(name)) throw new Error(`token name \`${name}\` cannot be stored`);
  return paths.map((alt) => (alt.length === 0 ? '-' : alt.map((path) => path.join(' ')).join(','))).join(';');
}

export function decodePaths(text: string): StoredPaths {
  return text.split(';').map((alt) => (alt === '-' ? [] : alt.split(',').map(names)));
}

/** Space-separated token names (none for the empty string). */
export function names(text: string): string[] {
  return text === '' ? [] : text.split(' ');
}

/** The key of a decision: its rule, its kind and its occurrence in the rule (`expression|Alternation|2`). */
export function decisionKey(rule: string, prodType: LookaheadProductionType, occurrence: number): string {
  return `${rule}|${prodType}|${occurrence}`;
}

/**
 * A fingerprint of the recorded grammar and the parser's lookahead limit: every production's kind,
 * occurrence index and own limit, every terminal's token and every rule reference, in order
 * (FNV-1a style, 2 x 32 bits).
 */
export function grammarFingerprint(rules: readonly Rule[], maxLookahead: number): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const add = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    h1 = Math.imul(h1 ^ 0x2c, 0x01000193); // a separator after every part
    h2 = Math.imul(h2 ^ 0x2c, 0x5bd1e995);
  };
  const walk = (productions: readonly IProduction[]): void => {
    for (const p of productions) {
      if (p instanceof Terminal) add(`T${p.idx}${p.terminalType.name}`);
      else if (p instanceof NonTerminal) add(`N${p.idx}${p.nonTerminalName}`);
      else {
        const { idx, maxLookahead, definition } = p as IProduction & { idx?: number; maxLookahead?: number; definition: IProduction[] };
        add(`${kindOf(p)}${idx ?? ''}:${maxLookahead ?? ''}`);
        if (p instanceof RepetitionWithSeparator || p instanceof RepetitionMandatoryWithSeparator) add(`S${p.separator.name}`);
        walk(definition);
        add(')');
      }
    }
  };
  add(`k${maxLookahead}`);
  for (const rule of rules) {
    add(`R${rule.name}`);
    walk(rule.definition);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

function kindOf(p: IProduction): string {
  if (p instanceof Alternation) return 'A';
  if (p instanceof Alternative) return 'a';
  if (p instanceof Option) return 'O';
  if (p instanceof Repetition) return 'M';
  if (p instanceof RepetitionMandatory) return 'L';
  if (p instanceof RepetitionMandatoryWithSeparator) return 'l';
  if (p instanceof RepetitionWithSeparator) return 'm';
  return '?';
}

/** The paths chevrotain computes for one decision, by token name (what the table stores). */
export function computePaths(rule: Rule, prodType: LookaheadProductionType, occurrence: number, maxLookahead: number): StoredPaths {
  const paths = getLookaheadPaths({ occurrence, rule, prodType, maxLookahead });
  // an optional production's second entry is what follows it; chevrotain decides on the first alone
  const used = prodType === 'Alternation' ? paths : paths.slice(0, 1);
  return used.map((alt) => alt.map((path) => path.map((t) => t.name)));
}

/** The `this` of a lookahead function: the parser (`LA_FAST` is chevrotain's unchecked `LA`). */
interface Lookahead {
  LA_FAST(i: number): IToken;
}

type AltFunction = (orAlts?: IOrAlt<unknown>[]) => number | undefined;
type OptionalFunction = () => boolean;

interface AlternationOptions {
  prodOccurrence: number;
  rule: Rule;
  maxLookahead: number;
  hasPredicates: boolean;
  dynamicTokensEnabled: boolean;
}

interface OptionalOptions {
  prodOccurrence: number;
  prodType: OptionalProductionType;
  rule: Rule;
  maxLookahead: number;
  dynamicTokensEnabled: boolean;
}

/**
 * A chevrotain lookahead strategy that reads the paths from `table` and computes only what the
 * table lacks (everything, when its fingerprint is not the grammar's). `tokens` must hold every
 * token type the grammar names, categories included.
 */
export class StoredLookaheadStrategy extends LLkLookaheadStrategy {
  private readonly byName = new Map<string, TokenType>();
  private stored: Record<string, string> | undefined;
  /** Decisions computed by chevrotain's analysis because the table had no entry for them (or was stale). */
  readonly computed: string[] = [];
  /** Whether the table's fingerprint matched the grammar (known once the parser is built). */
  tableUsed = false;
  /** Whether the stored follows replaced chevrotain's computation (known once the parser is built). */
  followsUsed = false;
  private readonly limit: number;

  constructor(
    private readonly table: LookaheadTable,
    tokens: readonly TokenType[],
    options: { maxLookahead: number },
  ) {
    super(options);
    this.limit = options.maxLookahead;
    const add = (t: TokenType): void => {
      if (this.byName.has(t.name)) return;
      this.byName.set(t.name, t);
      for (const c of t.CATEGORIES ?? []) add(c);
    };
    tokens.forEach(add);
    add(EOF);
  }

  override initialize(options: { rules: Rule[] }): void {
    this.tableUsed = this.fits(options.rules);
    this.stored = this.tableUsed ? this.table.decisions : undefined;
  }

  /**
   * The stored follows of the rule references when the table fits `rules` (else undefined: the
   * parser computes them). `followsUsed` tells whether they were.
   */
  storedFollows(rules: readonly Rule[]): Record<string, TokenType[]> | undefined {
    if (!this.fits(rules)) return undefined;
    const follows: Record<string, TokenType[]> = {};
    for (const [key, text] of Object.entries(this.table.follows)) {
      const types: TokenType[] = [];
      for (const name of names(text)) {
        const type = this.byName.get(name);
        if (type === undefined) return undefined;
        types.push(type);
      }
      follows[key] = types;
    }
    this.followsUsed = true;
    return follows;
  }

  private fitted: { rules: readonly Rule[]; fits: boolean } | undefined;

  private fits(rules: readonly Rule[]): boolean {
    const last = this.fitted;
    if (last !== undefined && last.rules.length === rules.length && last.rules.every((rule, i) => rule === rules[i])) return last.fits;
    const fits = grammarFingerprint(rules, this.limit) === this.table.fingerprint;
    this.fitted = { rules, fits };
    return fits;
  }

  override buildLookaheadForAlternation(options: AlternationOptions): AltFunction {
    const paths = this.resolve(decisionKey(options.rule.name, 'Alternation', options.prodOccurrence));
    if (paths === undefined) return super.buildLookaheadForAlternation(options);
    return alternativesFunction(paths, options.hasPredicates, options.dynamicTokensEnabled);
  }

  override buildLookaheadForOptional(options: OptionalOptions): OptionalFunction {
    const paths = this.resolve(decisionKey(options.rule.name, options.prodType, options.prodOccurrence));
    if (paths === undefined) return super.buildLookaheadForOptional(options);
    return optionalFunction(paths[0] ?? [], options.dynamicTokensEnabled);
  }

  private resolve(key: string): TokenType[][][] | undefined {
    const text = this.stored?.[key];
    const paths = text === undefined ? undefined : decodePaths(text).map((alt) => alt.map((path) => path.map((name) => this.byName.get(name))));
    if (paths === undefined || paths.some((alt) => alt.some((path) => path.includes(undefined)))) {
      this.computed.push(key);
      return undefined;
    }
    return paths as TokenType[][][];
  }
}

// The two builders below are chevrotain's (buildAlternativesLookAheadFunc and
// buildSingleAlternativeLookaheadFunction in its lookahead.js, which it does not export), fed the
// stored paths instead of computed ones: the functions they build are the ones chevrotain builds.

function matches(token: IToken, type: TokenType): boolean {
  const index = token.tokenTypeIdx!;
  return index === type.tokenTypeIdx || (type.isParent === true && type.categoryMatchesMap![index] === true);
}

function allOneToken(alt: TokenType[][]): boolean {
  return alt.every((path) => path.length === 1);
}

function alternativesFunction(alts: TokenType[][][], hasPredicates: boolean, dynamicTokens: boolean): AltFunction {
  const count = alts.length;
  if (hasPredicates) {
    return function (this: Lookahead, orAlts?: IOrAlt<unknown>[]): number | undefined {
      for (let t = 0; t < count; t++) {
        const gate = (orAlts?.[t] as { GATE?: () => boolean } | undefined)?.GATE;
        if (gate !== undefined && gate.call(this) === false) continue;
        if (anyPathMatches(this, alts[t]!)) return t;
      }
      return undefined;
    } as AltFunction;
  }
  if (!dynamicTokens && alts.every(allOneToken)) {
    const choice: Record<number, number> = {};
    alts.forEach((alt, index) => {
      for (const path of alt) {
        const type = path[0]!;
        if (!(type.tokenTypeIdx! in choice)) choice[type.tokenTypeIdx!] = index;
        for (const sub of type.categoryMatches ?? []) if (!(sub in choice)) choice[sub] = index;
      }
    });
    return function (this: Lookahead): number | undefined {
      return choice[this.LA_FAST(1).tokenTypeIdx!];
    } as AltFunction;
  }
  return function (this: Lookahead): number | undefined {
    for (let t = 0; t < count; t++) if (anyPathMatches(this, alts[t]!)) return t;
    return undefined;
  } as AltFunction;
}

function optionalFunction(alt: TokenType[][], dynamicTokens: boolean): OptionalFunction {
  if (!dynamicTokens && allOneToken(alt)) {
    const types = alt.map((path) => path[0]!);
    const only = types[0];
    if (types.length === 1 && only !== undefined && (only.categoryMatches ?? []).length === 0) {
      const index = only.tokenTypeIdx;
      return function (this: Lookahead): boolean {
        return this.LA_FAST(1).tokenTypeIdx === index;
      } as OptionalFunction;
    }
    const accepted: boolean[] = [];
    for (const type of types) {
      accepted[type.tokenTypeIdx!] = true;
      for (const sub of type.categoryMatches ?? []) accepted[sub] = true;
    }
    return function (this: Lookahead): boolean {
      return accepted[this.LA_FAST(1).tokenTypeIdx!] === true;
    } as OptionalFunction;
  }
  return function (this: Lookahead): boolean {
    return anyPathMatches(this, alt);
  } as OptionalFunction;
}

function anyPathMatches(parser: Lookahead, alt: TokenType[][]): boolean {
  next: for (const path of alt) {
    for (let i = 0; i < path.length; i++) if (!matches(parser.LA_FAST(i + 1), path[i]!)) continue next;
    return true; // an empty path (an empty alternative) matches too
  }
  return false;
}
