/**
 * The parser reads its LL(k) lookahead from a table computed ahead of time
 * (src/parser/lookahead-table.ts): it must be what chevrotain's analysis computes for the grammar
 * as it is, and the parser must use it, or fall back to the analysis when it does not fit.
 */
import { LLkLookaheadStrategy } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { computeLookaheadTable, REGENERATE, tableModule, TABLE_FILE } from '../../scripts/lookahead-table.ts';
import { buildParser, type VerdictParser } from '../../src/parser.ts';
import { decodePaths, encodePaths, StoredLookaheadStrategy, type LookaheadTable } from '../../src/parser/lookahead.ts';
import { LOOKAHEAD_TABLE } from '../../src/parser/lookahead-table.ts';
import { ALL_TOKENS, verdictLexer } from '../../src/tokens.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const CORPUS = ['rulesets', 'packages/language/test'];

function policies(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : policies(path);
    return entry.name.endsWith('.policy') ? [path] : [];
  });
}

/** What `parser` makes of `text`'s tokens: the declarations read and the syntax errors. */
function readWith(parser: VerdictParser, text: string): unknown {
  parser.nextId = 0;
  parser.templates = [];
  parser.extraDiagnostics = [];
  parser.headers = [];
  parser.decls = [];
  parser.input = verdictLexer.tokenize(text).tokens;
  parser.rulesetFile();
  return { decls: parser.decls, headers: parser.headers, errors: parser.errors.map((e) => [e.name, e.message, e.token.startOffset]), stoppedAt: parser.stoppedAt?.startOffset };
}


describe('the stored lookahead table', () => {
  it('is what chevrotain computes for the grammar now', () => {
    const fresh = computeLookaheadTable();
    const stale = Object.keys(fresh.decisions).filter((key) => JSON.stringify(fresh.decisions[key]) !== JSON.stringify(LOOKAHEAD_TABLE.decisions[key]));
    const extra = Object.keys(LOOKAHEAD_TABLE.decisions).filter((key) => !(key in fresh.decisions));
    expect({ fingerprint: LOOKAHEAD_TABLE.fingerprint, stale, extra }, `the lookahead table is stale: run \`${REGENERATE}\``).toEqual({
      fingerprint: fresh.fingerprint,
      stale: [],
      extra: [],
    });
    expect(LOOKAHEAD_TABLE.follows, `the lookahead table is stale: run \`${REGENERATE}\``).toEqual(fresh.follows);
    expect(readFileSync(TABLE_FILE, 'utf8'), `run \`${REGENERATE}\``).toBe(tableModule(fresh));
  });

  it('is used by the shared parser for every decision', () => {
    const strategy = new StoredLookaheadStrategy(LOOKAHEAD_TABLE, ALL_TOKENS, { maxLookahead: 3 });
    buildParser({ lookaheadStrategy: strategy });
    expect(strategy.tableUsed).toBe(true);
    expect(strategy.computed).toEqual([]);
    expect(strategy.followsUsed).toBe(true);
  });

  it('gives error recovery the follows chevrotain computes', () => {
    const follows = (parser: VerdictParser): unknown => (parser as unknown as { resyncFollows: unknown }).resyncFollows;
    const computed = buildParser({ lookaheadStrategy: new LLkLookaheadStrategy({ maxLookahead: 3 }) });
    expect(Object.keys(follows(computed) as object).length).toBeGreaterThan(50);
    expect(follows(buildParser({}))).toEqual(follows(computed));
  });

  it('gives a parser that reads every ruleset of the repository as chevrotain\'s analysis does', () => {
    const computed = buildParser({ lookaheadStrategy: new LLkLookaheadStrategy({ maxLookahead: 3 }) });
    const stored = buildParser({});
    const files = CORPUS.flatMap((dir) => policies(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // a damaged copy too, so error recovery (which asks the lookahead too) is compared as well
      for (const input of [text, text.slice(0, Math.floor(text.length * 0.6)) + ' ) => { ' + text.slice(Math.floor(text.length * 0.6))]) {
        expect(readWith(stored, input), file).toEqual(readWith(computed, input));
      }
    }
  });

  it('keeps paths through their encoding, empty ones included', () => {
    const paths = [[['Comma', 'AnyName'], ['RBrace']], [[]], [], [['Else']]];
    expect(encodePaths(paths)).toBe('Comma AnyName,RBrace;;-;Else');
    expect(decodePaths(encodePaths(paths))).toEqual(paths);
  });

  it('falls back to the analysis for a stale table or a missing decision', () => {
    const stale: LookaheadTable = { ...LOOKAHEAD_TABLE, fingerprint: 'not this grammar' };
    const onStale = new StoredLookaheadStrategy(stale, ALL_TOKENS, { maxLookahead: 3 });
    buildParser({ lookaheadStrategy: onStale });
    expect(onStale.tableUsed).toBe(false);
    expect(onStale.computed.length).toBe(Object.keys(LOOKAHEAD_TABLE.decisions).length);
    expect(onStale.followsUsed).toBe(false);

    const [dropped] = Object.keys(LOOKAHEAD_TABLE.decisions);
    const decisions = { ...LOOKAHEAD_TABLE.decisions };
    delete decisions[dropped!];
    const onMissing = new StoredLookaheadStrategy({ ...LOOKAHEAD_TABLE, decisions }, ALL_TOKENS, { maxLookahead: 3 });
    buildParser({ lookaheadStrategy: onMissing });
    expect(onMissing.computed).toEqual([dropped]);
  });
});
