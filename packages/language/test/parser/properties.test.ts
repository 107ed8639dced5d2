/**
 * Parser properties (fast-check): whatever the text, `parse` returns a
 * Ruleset, and every span in the tree and in the diagnostics lies inside the
 * text, start before end, with line/column matching the offsets (lines end at
 * `\r\n`, a lone `\r` or `\n`, as in the editor).
 *
 * Inputs: (a) arbitrary unicode, (b) random sequences from the token
 * vocabulary, (c) small mutations (delete/insert/duplicate/swap a char or a
 * line) of every `.policy` file under rulesets/, the goldens and the broken corpus.
 *
 * Runs are seeded for a stable CI; `FC_SEED=<n>` and `FC_RUNS=<n>` explore further.
 * Known parser bugs are tolerated unless `PARSER_KNOWN_BUGS=1` (see known-bugs.test.ts): a
 * RangeError from spanOfTokens recursion, a TypeError in memberOrCall, `undefined` children left by recovery.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ruleset } from '../../src/ast.ts';
import type { Diagnostic } from '../../src/diagnostics.ts';
import { parse, parseExpression } from '../../src/parse.ts';
import * as T from '../../src/tokens.ts';
import { spanProblems } from './spans.ts';

const strict = process.env['PARSER_KNOWN_BUGS'] === '1';
const seed = Number(process.env['FC_SEED'] ?? 20261127);
const runs = Number(process.env['FC_RUNS'] ?? 200);
const params = { seed, numRuns: runs };

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

function policyFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : policyFiles(path);
    return name.endsWith('.policy') ? [path] : [];
  });
}

const seeds = [
  ...policyFiles(join(repoRoot, 'rulesets')),
  ...policyFiles(fileURLToPath(new URL('./golden/', import.meta.url))),
  ...policyFiles(fileURLToPath(new URL('../broken/', import.meta.url))),
].map((path) => ({ path, text: readFileSync(path, 'utf8') }));

/** Paths of `undefined` values in the tree: a hole the recovery left where a node should be. */
function holes(node: unknown, path = '$', out: string[] = []): string[] {
  if (node === undefined) out.push(path);
  else if (Array.isArray(node)) node.forEach((item, i) => holes(item, `${path}[${i}]`, out));
  else if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) holes(v, `${path}.${k}`, out);
  return out;
}

/** Known throws: spanOfTokens recursing on an inserted token; memberOrCall reading the `undefined` arguments of a failed call. */
function isKnownThrow(error: unknown): boolean {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return true;
  return error instanceof TypeError && (error.stack ?? '').includes('memberOrCall');
}

/** The property itself: returns normally when the parse result is sound, throws (with the text) otherwise. */
function checkParse(text: string): void {
  let result: { ast: Ruleset; diagnostics: Diagnostic[] };
  try {
    result = parse(text);
  } catch (error) {
    if (!strict && isKnownThrow(error)) return;
    throw new Error(`parse threw ${String(error)} on ${JSON.stringify(text)}`);
  }
  const { ast, diagnostics } = result;
  if (ast.kind !== 'Ruleset' || !Array.isArray(ast.decls)) throw new Error(`no Ruleset for ${JSON.stringify(text)}`);
  if (ast.span.start !== 0 || ast.span.end !== text.length) throw new Error(`the Ruleset does not span the text ${JSON.stringify(text)}`);
  const problems = [...spanProblems(text, ast), ...spanProblems(text, diagnostics).map((p) => `diagnostics${p.slice(1)}`)];
  if (strict) problems.push(...holes(ast).map((p) => `${p}: undefined`));
  if (problems.length > 0) throw new Error(`${problems.slice(0, 5).join('\n')}\nin ${JSON.stringify(text)}`);
  for (const d of diagnostics) {
    if (d.message.trim() === '') throw new Error(`${d.code} without a message in ${JSON.stringify(text)}`);
  }
}

// ---------------------------------------------------------------- generators

/** Every keyword and fixed punctuation token of tokens.ts, so new tokens join the vocabulary by themselves. */
const DECLARED = T.ALL_TOKENS.flatMap((t) => {
  const pattern = t.PATTERN;
  if (!(pattern instanceof RegExp)) return [];
  const text = pattern.source.replace(/\\b$/, '').replace(/\\(.)/g, '$1');
  return /^([a-z_]+|[^\w\s]{1,2})$/.test(text) ? [text] : [];
});

const VOCABULARY = [
  ...DECLARED,
  // keywords and soft keywords
  'ruleset', 'input', 'decision', 'weights', 'on', 'error', 'fire', 'skip', 'const', 'param', 'let', 'output',
  'table', 'rule', 'severity', 'critical', 'when', 'because', 'suggest', 'test', 'expect', 'by', 'where', 'else',
  'sensitive', 'params', 'outputs', 'score', 'invalid', 'true', 'false', 'null', 'in', 'has', 'value', '_',
  // names and types
  'deny', 'allow', 'a', 'xs', 'x', 'string', 'number', 'list', 'map', 'list<string>', 'map<number>', 'size',
  // literals
  '0', '1.5', '1e3', '0x1F', '7u', '"s"', "'s'", 'r"\\d"', '"""t"""', '"{a}"', '"{}"', '"\\q"', '"\\u{1F600}"', '"open', "'open",
  // strings over several lines, with a bad escape or a hole after the line break
  '"""t\n \\q"""', '"""t\r\n {a} \\q"""', '"""t\r {a +}"""',
  // punctuation, every token kind
  '->', '?.', '??', '?', '&&', '||', '|', '==', '!=', '<=', '>=', '<', '>', '!', '=', '+', '-', '*', '/', '%',
  '.', ',', ':', '(', ')', '[', ']', '{', '}',
  // trivia and stray characters
  '# comment', '\n', '\r\n', '\r', '@', ';', '`', '\\',
];

const tokenText = fc
  .tuple(fc.boolean(), fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 40 }), fc.array(fc.constantFrom(' ', '\n', '', '\r\n'), { minLength: 40, maxLength: 40 }))
  .map(([header, tokens, gaps]) => (header ? 'ruleset r\n' : '') + tokens.map((t, i) => t + gaps[i]!).join(''));

type Mutation =
  | { kind: 'deleteChar' | 'duplicateChar' | 'swapChars' | 'deleteLine' | 'duplicateLine' | 'swapLines'; at: number }
  | { kind: 'insertChar'; at: number; char: string };

const INSERTABLE = ['{', '}', '(', ')', '[', ']', '"', "'", ',', ':', '.', '-', '>', '<', '=', '!', '?', '|', '&', '#', '\\', '\n', '\r', ' ', 'a', '1', '_', '@', 'é', '😀'];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('deleteChar', 'duplicateChar', 'swapChars', 'deleteLine', 'duplicateLine', 'swapLines' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insertChar' as const), at: fc.nat(), char: fc.constantFrom(...INSERTABLE) }),
);

function mutate(text: string, m: Mutation): string {
  if (m.kind.endsWith('Line')) {
    const lines = text.split('\n');
    const i = m.at % lines.length;
    const j = (i + 1) % lines.length;
    if (m.kind === 'deleteLine') lines.splice(i, 1);
    else if (m.kind === 'duplicateLine') lines.splice(i, 0, lines[i]!);
    else [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return lines.join('\n');
  }
  const i = m.at % (text.length + 1);
  switch (m.kind) {
    case 'deleteChar':
      return text.slice(0, i) + text.slice(i + 1);
    case 'duplicateChar':
      return text.slice(0, i) + text.slice(i, i + 1) + text.slice(i);
    case 'swapChars':
      return text.slice(0, i) + text.slice(i + 1, i + 2) + text.slice(i, i + 1) + text.slice(i + 2);
    case 'insertChar':
      return text.slice(0, i) + m.char + text.slice(i);
    default:
      return text;
  }
}

// ---------------------------------------------------------------- properties

describe('parser properties', () => {
  it('has seed files to mutate and the token vocabulary of tokens.ts', () => {
    expect(seeds.length).toBeGreaterThan(0);
    expect(DECLARED).toEqual(expect.arrayContaining(['ruleset', 'when', 'in', '->', '?.', '??', '&&', '{', '}']));
  });

  it('(a) arbitrary unicode text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), checkParse), params);
  });

  it('(a) arbitrary unicode text after a header', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => checkParse('ruleset r\n' + s)), params);
  });

  it('(b) random token sequences', () => {
    fc.assert(fc.property(tokenText, checkParse), params);
  });

  it('(b) random token sequences as a standalone expression', () => {
    fc.assert(
      fc.property(tokenText, (text) => {
        let result: ReturnType<typeof parseExpression>;
        try {
          result = parseExpression(text);
        } catch (error) {
          if (!strict && isKnownThrow(error)) return;
          throw error;
        }
        const problems = [...spanProblems(text, result.expr), ...spanProblems(text, result.diagnostics)];
        // parseExpression('') puts its diagnostic at 0..1 (known bug); every other span must fit.
        if (text !== '' || strict) expect(problems).toEqual([]);
      }),
      params,
    );
  });

  it('(c) mutations of every seed file', () => {
    for (const { path, text } of seeds) {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
          try {
            checkParse(mutations.reduce(mutate, text));
          } catch (error) {
            throw new Error(`${path} mutated by ${JSON.stringify(mutations)}: ${String(error)}`);
          }
        }),
        { ...params, numRuns: Math.max(10, Math.round(runs / 10)) },
      );
    }
  });

  it('each seed file itself', () => {
    for (const { text } of seeds) checkParse(text);
  });
});
