/** The TextMate grammar under VS Code's own tokenizer (vscode-textmate + vscode-oniguruma). */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../../', import.meta.url));
let grammar: textmate.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scopeName) => (scopeName === 'source.verdict' ? textmate.parseRawGrammar(readFileSync(fileURLToPath(new URL('../syntaxes/verdict.tmLanguage.json', import.meta.url)), 'utf8'), 'verdict.tmLanguage.json') : null),
  });
  const loaded = await registry.loadGrammar('source.verdict');
  if (loaded === null) throw new Error('grammar not loaded');
  grammar = loaded;
});

interface Token {
  text: string;
  scopes: string[];
  line: number;
}

function tokenize(source: string): Token[] {
  const out: Token[] = [];
  let state = textmate.INITIAL;
  source.split('\n').forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    for (const t of result.tokens) out.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes, line: index + 1 });
    state = result.ruleStack;
  });
  return out;
}

/** The innermost scope of each token whose text is `text` in a one-line snippet. */
function scopesOf(line: string, text: string): string[] {
  return tokenize(line).filter((t) => t.text === text).map((t) => t.scopes.at(-1)!);
}

describe('verdict.tmLanguage.json', () => {
  const rulesets = readdirSync(`${root}rulesets`, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.policy'));

  it.each(rulesets)('scopes every non-blank token of rulesets/%s', (file) => {
    const tokens = tokenize(readFileSync(`${root}rulesets/${file}`, 'utf8'));
    const unscoped = tokens.filter((t) => t.text.trim() !== '' && t.scopes.length < 2);
    expect(unscoped.map((t) => `${t.line}: ${t.text}`)).toEqual([]);
  });

  it('scopes keywords, declarations, types, operators and builtin calls', () => {
    const line = 'rule https_required { deny when production && !service.endpoint.startsWith("https://") || size(x) >= 2 }';
    expect(scopesOf(line, 'rule')).toEqual(['keyword.other.rule.verdict']);
    expect(scopesOf(line, 'https_required')).toEqual(['entity.name.function.rule.verdict']);
    expect(scopesOf(line, 'when')).toEqual(['keyword.control.when.verdict']);
    expect(scopesOf(line, '&&')).toEqual(['keyword.operator.logical.verdict']);
    expect(scopesOf(line, '||')).toEqual(['keyword.operator.logical.verdict']);
    expect(scopesOf(line, '>=')).toEqual(['keyword.operator.comparison.verdict']);
    expect(scopesOf(line, 'startsWith')).toEqual(['support.function.builtin.verdict']);
    expect(scopesOf(line, 'size')).toEqual(['support.function.builtin.verdict']);
    expect(scopesOf(line, 'production')).toEqual(['variable.other.verdict']);
    expect(scopesOf('  tier: "free" | "standard"', '|')).toEqual(['keyword.operator.union.verdict']);
    expect(scopesOf('  data_residency: list<string>', 'list')).toEqual(['support.type.primitive.verdict']);
    expect(scopesOf('const MIN = 99.9', 'MIN')).toEqual(['variable.other.declaration.verdict']);
    expect(scopesOf('  severity critical', 'critical')).toEqual(['constant.language.severity.verdict']);
    expect(scopesOf('  x ?? true', '??')).toEqual(['keyword.operator.null-coalescing.verdict']);
    expect(scopesOf('  x ?? true', 'true')).toEqual(['constant.language.boolean.verdict']);
    // Contextual words are keywords only where the language reads them so.
    expect(scopesOf('  expect score 0.75', 'score')).toEqual(['keyword.other.score.verdict']);
    expect(scopesOf('  deny when score > 1', 'score')).toEqual(['variable.other.verdict']);
    expect(scopesOf('on error skip', 'skip')).toEqual(['constant.language.error-policy.verdict']);
    expect(scopesOf('  deny when error', 'error')).toEqual(['variable.other.verdict']);
  });

  it('scopes numbers, durations, strings and comments', () => {
    expect(scopesOf('const A = 1.25e3 # note', '1.25e3')).toEqual(['constant.numeric.verdict']);
    expect(scopesOf('const A = 1.25e3 # note', ' note')).toEqual(['comment.line.number-sign.verdict']);
    expect(scopesOf('const DAY = duration("1h30m")', '1h30m')).toEqual(['constant.numeric.duration.verdict']);
    expect(scopesOf('const DAY = duration("1h30m")', 'duration')).toEqual(['support.function.builtin.verdict']);
    expect(scopesOf('const S = "a # b {c}"', 'a # b {c}')).toEqual(['string.quoted.double.verdict']);
    expect(scopesOf('const S = "a\\nb"', '\\n')).toEqual(['constant.character.escape.verdict']);
  });

  it('scopes the `{}` holes of a because message as code, inside a string', () => {
    const tokens = tokenize('  because "Service {service.id} holds {size(x) == 0 ? "none" : x.join(", ")}"');
    const service = tokens.find((t) => t.text === 'service')!;
    expect(service.scopes).toContain('string.quoted.double.template.verdict');
    expect(service.scopes.at(-1)).toBe('variable.other.verdict');
    expect(tokens.find((t) => t.text === '{')!.scopes.at(-1)).toBe('punctuation.section.interpolation.begin.verdict');
    expect(tokens.find((t) => t.text === 'none')!.scopes.at(-1)).toBe('string.quoted.double.verdict');
    expect(tokens.find((t) => t.text === 'join')!.scopes.at(-1)).toBe('support.function.builtin.verdict');
    expect(tokens.find((t) => t.text === ' holds ')!.scopes.at(-1)).toBe('string.quoted.double.template.verdict');
  });

  it('carries a triple-quoted message over lines', () => {
    const tokens = tokenize('  because """Total {amount}\nstill text\nend""" \nrule r {');
    expect(tokens.find((t) => t.text === 'still text')!.scopes).toContain('string.quoted.triple.template.verdict');
    expect(tokens.find((t) => t.text === 'rule')!.scopes.at(-1)).toBe('keyword.other.rule.verdict');
  });
});
