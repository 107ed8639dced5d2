/**
 * grammar/functions.md lists every built-in function of the catalogue
 * (`BUILTINS`), generated from it so the reference cannot drift. The part
 * between the GENERATED markers is rendered here and compared with the file;
 * run with UPDATE_DOCS=1 to rewrite it. Each example must also check as a
 * boolean expression.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTINS, signatureText } from '../../src/builtins.ts';
import { analyze } from '../../src/index.ts';

const path = join(import.meta.dirname, '../../../../grammar/functions.md');
const BEGIN = '<!-- BEGIN GENERATED: functions (packages/language/test/docs/functions-doc.test.ts; UPDATE_DOCS=1 to rewrite) -->';
const END = '<!-- END GENERATED: functions -->';

function renderFunctions(): string {
  const names = [...BUILTINS.keys()];
  const out: string[] = [BEGIN, '', `${names.length} functions: ${names.map((n) => `[\`${n}\`](#${n.toLowerCase()})`).join(', ')}.`, ''];
  for (const builtin of BUILTINS.values()) {
    out.push(`### ${builtin.name}`, '');
    out.push('```', ...builtin.overloads.map((o) => signatureText(builtin.name, o)), '```', '');
    out.push(builtin.doc, '');
    out.push('Example (true):', '', '```policy expression', builtin.example, '```', '');
  }
  out.push(END);
  return out.join('\n');
}

function replaceGenerated(text: string, generated: string): string {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`grammar/functions.md has no generated section (${BEGIN} ... ${END})`);
  return text.slice(0, start) + generated + text.slice(end + END.length);
}

describe('grammar/functions.md', () => {
  it('lists every built-in function exactly as the catalogue has it', () => {
    const current = readFileSync(path, 'utf8');
    const expected = replaceGenerated(current, renderFunctions());
    if (process.env['UPDATE_DOCS'] === '1' && expected !== current) writeFileSync(path, expected);
    else expect(current).toBe(expected);
  });

  for (const builtin of BUILTINS.values()) {
    it(`the example of ${builtin.name} is a boolean expression`, () => {
      const source = `ruleset docs.functions\ndecision deny > allow\nlet example = ${builtin.example}\nrule r {\n  severity low\n  deny when example\n  because "x"\n}\n`;
      const { diagnostics, check } = analyze(source);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const symbol = check.symbols.get('example');
      expect(symbol?.type.kind).toBe('boolean');
    });
  }
});
