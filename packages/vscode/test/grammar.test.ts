/** The TextMate grammar under VS Code's own tokenizer (vscode-textmate + vscode-oniguruma). */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BUILTINS, BUILT_IN_TYPE_NAMES, CONTAINS_PATTERN_EXAMPLE, CONTEXTUAL_KEYWORDS, tokens as language } from '@verdict/language';
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

  // The repository's rulesets, and the engine's port of Cedar's sample (an allow-list: `compliant`).
  const files = [...rulesets.map((f) => `rulesets/${f}`), 'packages/engine/test/rulesets/cedar-photoapp.policy'];
  it.each(files)('scopes every non-blank token of %s', (file) => {
    const tokens = tokenize(readFileSync(`${root}${file}`, 'utf8'));
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

  it('scopes every keyword of the language as a keyword (or a constant: true, false, null)', () => {
    for (const keyword of language.KEYWORDS) {
      const word = keyword.name.toLowerCase();
      expect(scopesOf(`${word} `, word)[0], word).toMatch(/^(keyword|storage\.type|constant\.language)\./);
    }
  });

  // The catalogue of @verdict/language: a contextual word added there is checked here.
  it.each(CONTEXTUAL_KEYWORDS.map((k) => [k.word, k] as const))('scopes `%s` as a keyword where the language reads it so, else as a name', (word, k) => {
    expect(scopesOf(k.example.line, word)[0], k.example.line).toMatch(/^(keyword|storage\.type)\./);
    expect(scopesOf(`  ${k.asName}`, word), k.asName).toEqual(['variable.other.verdict']);
  });

  it('scopes the new test assertions part by part', () => {
    expect(scopesOf('  expect message big contains "too large"', 'big')).toEqual(['entity.name.function.rule.verdict']);
    expect(scopesOf('  expect error big division_by_zero', 'division_by_zero')).toEqual(['constant.language.error-code.verdict']);
    expect(scopesOf('  expect suggest big exactly { amount: 1 }', 'exactly')).toEqual(['keyword.other.exactly.verdict']);
    expect(scopesOf('  expect invalid at "amount", "tier"', 'tier')).toEqual(['string.quoted.double.verdict']);
    expect(scopesOf('  expect outputs { fee: 5 } within 0.01', '0.01')).toEqual(['constant.numeric.verdict']);
    // an outcome named like an assertion
    expect(scopesOf('  expect message by [big]', 'by')).toEqual(['keyword.control.by.verdict']);
    const cases = tokenize('  cases {\n    { amount: 5 } -> allow\n    { amount: 500 } -> deny by [big]\n  }');
    expect(cases.find((t) => t.text === 'cases')!.scopes.at(-1)).toBe('keyword.other.cases.verdict');
    expect(cases.find((t) => t.text === '->')!.scopes.at(-1)).toBe('keyword.operator.arrow.verdict');
    expect(cases.find((t) => t.text === 'by')!.scopes.at(-1)).toBe('keyword.control.by.verdict');
  });

  it('scopes a decision: outcomes, precedence and the compliant list, also over lines', () => {
    const tokens = tokenize('decision forbid > permit > deny\n  compliant permit # an allow-list\n\nrule r {');
    const scope = (text: string) => tokens.filter((t) => t.text === text).map((t) => t.scopes.at(-1));
    expect(scope('decision')).toEqual(['keyword.other.decision.verdict']);
    expect(scope('compliant')).toEqual(['keyword.other.compliant.verdict']);
    expect(scope('permit')).toEqual(['variable.other.enummember.outcome.verdict', 'variable.other.enummember.outcome.verdict']);
    expect(scope('>')).toEqual(['keyword.operator.precedence.verdict', 'keyword.operator.precedence.verdict']);
    expect(scope(' an allow-list')).toEqual(['comment.line.number-sign.verdict']);
    // the declaration after it is itself again
    expect(scope('rule')).toEqual(['keyword.other.rule.verdict']);
  });

  it('scopes table patterns: ranges, several comparisons, contains and a call on the cell', () => {
    expect(scopesOf(`  ${CONTAINS_PATTERN_EXAMPLE}`, 'contains')).toEqual(['keyword.other.contains.verdict']);
    expect(scopesOf('  x.contains("KP")', 'contains')).toEqual(['support.function.builtin.verdict']);
    const range = tokenize('  [10, 20), >= 1 && != 5, .startsWith("https://") -> 1');
    expect(range.find((t) => t.text === ')')!.scopes.at(-1)).toBe('punctuation.section.parens.verdict');
    expect(range.find((t) => t.text === '&&')!.scopes.at(-1)).toBe('keyword.operator.logical.verdict');
    expect(range.find((t) => t.text === 'startsWith')!.scopes.at(-1)).toBe('support.function.builtin.verdict');
  });

  it('scopes type aliases, open records and every built-in type', () => {
    const alias = 'type Container = { name: string, ports?: list<Port>, ... }';
    expect(scopesOf(alias, 'type')).toEqual(['storage.type.type.verdict']);
    expect(scopesOf(alias, 'Container')).toEqual(['entity.name.type.alias.verdict']);
    expect(scopesOf(alias, '...')).toEqual(['keyword.operator.open-record.verdict']);
    expect(scopesOf('  kind: type(x)', 'type')).toEqual(['support.function.builtin.verdict']);
    for (const name of BUILT_IN_TYPE_NAMES) expect(scopesOf(`  a: ${name}`, name), name).toEqual(['support.type.primitive.verdict']);
  });

  it('scopes every builtin function of the catalogue, and the macros, as builtin calls', () => {
    const macros = ['all', 'exists', 'exists_one', 'map', 'filter', 'has', 'existsOne', 'transformList', 'transformMap', 'transformMapEntry'];
    for (const name of [...BUILTINS.keys(), ...macros]) expect(scopesOf(`  x = ${name}(y)`, name), name).toEqual(['support.function.builtin.verdict']);
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
