/**
 * The examples in grammar/README.md and grammar/functions.md are valid
 * Verdict: every ```policy block parses without syntax errors, whole-file
 * examples (```policy file) also check without errors, and every
 * ```policy expression block is one well-formed expression.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, parse, parseExpression, tokens } from '../../src/index.ts';

const grammar = join(import.meta.dirname, '../../../../grammar');

function blocks(file: string): Array<{ info: string; body: string; line: number }> {
  const text = readFileSync(join(grammar, file), 'utf8');
  return [...text.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    info: m[1]!.trim(),
    body: m[2]!,
    line: text.slice(0, m.index).split('\n').length,
  }));
}

const startsWithHeader = (body: string) => /^(\s*#[^\n]*\n)*\s*ruleset\s/.test(body);

describe('examples in grammar/README.md', () => {
  const all = blocks('README.md').filter((b) => b.info.startsWith('policy'));

  it('has examples, of each kind', () => {
    expect(all.filter((b) => b.info === 'policy').length).toBeGreaterThan(10);
    expect(all.some((b) => b.info === 'policy file')).toBe(true);
  });

  for (const block of all) {
    if (block.info === 'policy fragment') continue;
    it(`line ${block.line}: parses`, () => {
      const source = startsWithHeader(block.body) ? block.body : `ruleset docs.readme\n${block.body}`;
      expect(parse(source).diagnostics).toEqual([]);
    });
    if (block.info === 'policy file') {
      it(`line ${block.line}: checks without errors`, () => {
        expect(analyze(block.body).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      });
    }
  }
});

describe('expression examples in grammar/functions.md', () => {
  for (const block of blocks('functions.md').filter((b) => b.info === 'policy expression')) {
    it(`line ${block.line}: ${block.body.trim()}`, () => {
      expect(parseExpression(block.body.trim()).diagnostics).toEqual([]);
    });
  }
});

describe('keyword lists in grammar/', () => {
  const keywords = tokens.KEYWORDS.map((t) => t.name.toLowerCase()).sort();

  it('syntax.ebnf lists exactly the lexer keywords', () => {
    const ebnf = readFileSync(join(grammar, 'syntax.ebnf'), 'utf8');
    const production = /^Keyword\s+::=([\s\S]*?)(?:\/\*|\n\n)/m.exec(ebnf)?.[1] ?? '';
    expect([...production.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]).sort()).toEqual(keywords);
  });

  it('README.md lists exactly the lexer keywords', () => {
    const readme = readFileSync(join(grammar, 'README.md'), 'utf8');
    const list = /\*\*Keywords\.\*\* `([^`]*)`/.exec(readme)?.[1] ?? '';
    expect(list.split(/\s+/).filter(Boolean).sort()).toEqual(keywords);
  });
});
