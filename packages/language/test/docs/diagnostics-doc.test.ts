/**
 * grammar/diagnostics.md documents every diagnostic code: each code used in
 * packages/language/src has a section, each section's example produces its
 * code with the message printed in the doc, and each fix clears it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.ts';

const root = join(import.meta.dirname, '../../../..');
const doc = readFileSync(join(root, 'grammar/diagnostics.md'), 'utf8');

/** Codes whose examples are not run, with the reason. */
const NOT_RUN: Record<string, string> = {
  VD1011: 'needs text nested thousands of levels deep; the section shows the message only',
  VD1099: 'formatter safety net: no valid input is known to trigger it, so the section has no example',
};
/**
 * Code families documented as stubs until the engine and the analysis land
 * (the lead fills their sections); their codes need no section of their own yet.
 */
const STUB_FAMILIES = ['VD5xxx'];
const inStubFamily = (code: string) => STUB_FAMILIES.some((f) => code.startsWith(f.slice(0, 3)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const usedCodes = [...new Set(sourceFiles(join(root, 'packages/language/src')).flatMap((f) => readFileSync(f, 'utf8').match(/VD\d{4}/g) ?? []))].sort();

interface Block {
  info: string;
  body: string;
}

function blocks(text: string): Block[] {
  return [...text.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: m[1]!.trim(), body: m[2]! }));
}

const prelude = blocks(doc).find((b) => b.info === 'policy prelude')?.body ?? '';
const sections = new Map(
  doc
    .split(/^(?=## VD\d{4} )/m)
    .map((s) => [/^## (VD\d{4}) /.exec(s)?.[1], s.split(/^# /m)[0]!] as const)
    .filter((entry): entry is readonly [string, string] => entry[0] !== undefined),
);

function source(block: Block): string {
  return block.info.split(/\s+/).includes('file') ? block.body : prelude + '\n' + block.body;
}

describe('grammar/diagnostics.md', () => {
  it('has a prelude and finds the codes used in the sources', () => {
    expect(prelude).toContain('ruleset ');
    expect(usedCodes.length).toBeGreaterThan(40);
  });

  it('has a section for every code used in packages/language/src', () => {
    const missing = usedCodes.filter((code) => !sections.has(code) && !inStubFamily(code));
    expect(missing).toEqual([]);
  });

  it('has stub sections for the analysis and evaluation codes', () => {
    for (const family of STUB_FAMILIES) expect(doc).toMatch(new RegExp(`^# ${family} — `, 'm'));
  });

  for (const [code, section] of sections) {
    const all = blocks(section);
    const example = all.find((b) => b.info === 'policy' || b.info === 'policy file');
    const output = all.find((b) => b.info === 'text output');
    const fix = all.find((b) => b.info === 'policy fix' || b.info === 'policy fix file');
    if (code in NOT_RUN) {
      it.skip(`${code}: ${NOT_RUN[code]}`, () => {});
      continue;
    }

    it(`${code}: the example produces it, with the printed message`, () => {
      expect(example, `${code} has no example`).toBeDefined();
      const diagnostics = analyze(source(example!)).diagnostics;
      expect(diagnostics.map((d) => d.code)).toContain(code);
      const printed = (output?.body ?? '').split('\n').flatMap((line) => {
        const m = /^\S+:(\d+):(\d+) (VD\d{4}) (?:(warning|info): )?(.*)$/.exec(line);
        return m ? [{ line: Number(m[1]), column: Number(m[2]), code: m[3], severity: m[4] ?? 'error', message: m[5] }] : [];
      });
      expect(printed.some((p) => p.code === code), `${code}: the output block does not show ${code}`).toBe(true);
      const actual = diagnostics.map((d) => ({ line: d.span.line, column: d.span.column, code: d.code, severity: d.severity, message: d.message }));
      expect(actual).toEqual(printed);
    });

    it(`${code}: the fix clears it`, () => {
      expect(fix, `${code} has no fix`).toBeDefined();
      const diagnostics = analyze(source(fix!)).diagnostics;
      expect(diagnostics.filter((d) => d.code === code || d.severity === 'error')).toEqual([]);
    });
  }
});
