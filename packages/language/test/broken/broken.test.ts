/**
 * The broken corpus: small, realistic mistakes a policy author makes. Each
 * file's header (see corpus.ts) lists the syntax errors `analyze()` must
 * report, as `line:col code`, and the declarations that must survive them.
 * Files marked `# skip:` are known parser bugs (run them with PARSER_KNOWN_BUGS=1).
 * To see what the parser reports for a file:
 *   npx tsx packages/language/test/broken/probe.ts packages/language/test/broken/<name>.policy
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../src/index.ts';
import { declName, readHeader } from './corpus.ts';

const dir = fileURLToPath(new URL('./', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.policy'))
  .sort();
const corpus = files.map((file) => {
  const text = readFileSync(dir + file, 'utf8');
  return { file, text, header: readHeader(text) };
});

/** Codes the hint requirement applies to: generic syntax errors and bad types. */
const NEEDS_HINT = new Set(['VD1003', 'VD1008']);
/** `PARSER_KNOWN_BUGS=1` also runs the `# skip:` files, to see which known bugs are fixed. */
const runKnownBugs = process.env['PARSER_KNOWN_BUGS'] === '1';

describe('broken corpus', () => {
  it('has at least 45 active files, each expecting an error', () => {
    expect(corpus.filter((c) => c.header.skip === null).length).toBeGreaterThanOrEqual(45);
    for (const c of corpus) {
      expect(c.header.expect, c.file).not.toEqual([]);
      for (const e of c.header.expect) expect(e, c.file).toMatch(/^\d+:\d+ VD1\d{3}$/);
    }
  });

  for (const { file, text, header } of corpus) {
    const test = header.skip === null || runKnownBugs ? it : it.skip;
    test(`${file.replace(/\.policy$/, '')}${header.skip === null ? '' : ` (known bug: ${header.skip})`}`, () => {
      let result: Analysis | undefined;
      expect(() => {
        result = analyze(text);
      }).not.toThrow();
      const { ast, diagnostics } = result!;
      expect(ast.kind).toBe('Ruleset');

      // Syntax errors only: the checker's VD2xxx/VD3xxx findings on half-parsed files are not pinned here.
      const syntax = diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('VD1'));
      const actual = [...new Set(syntax.map((d) => `${d.span.line}:${d.span.column} ${d.code}`))].sort();
      expect(actual).toEqual([...new Set(header.expect)].sort());

      const names = ast.decls.map(declName);
      for (const kept of header.keeps) expect(names, `declaration ${kept} should survive`).toContain(kept);

      for (const d of diagnostics) {
        const where = `${d.code} at ${d.span.line}:${d.span.column}`;
        expect(d.message.trim(), where).not.toBe('');
        if (NEEDS_HINT.has(d.code)) expect(d.hint?.trim() ?? '', `${where} needs a hint`).not.toBe('');
        expect(d.span.start, where).toBeGreaterThanOrEqual(0);
        expect(d.span.start, where).toBeLessThanOrEqual(d.span.end);
        expect(d.span.end, where).toBeLessThanOrEqual(text.length);
      }
    });
  }
});
