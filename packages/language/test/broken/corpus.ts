/**
 * The broken corpus's file headers. Each `<name>.policy` begins with comment lines:
 *
 *   # expect: 9:18 VD1003      an error diagnostic the parser must report (line:col code); one or more
 *   # keeps: rule_a, "a test"  declarations that must survive the error (names; tests by their string)
 *   # skip: why                a known parser bug: the expectations say what it should report
 *
 * Other comment lines are free text. The header ends at the first line that is not a comment.
 */
import type { Decl } from '../../src/index.ts';

export interface CorpusHeader {
  expect: string[];
  keeps: string[];
  skip: string | null;
}

export function readHeader(text: string): CorpusHeader {
  const header: CorpusHeader = { expect: [], keeps: [], skip: null };
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const m = /^#\s*(expect|keeps|skip):\s*(.*?)\s*$/.exec(line);
    if (m === null) continue;
    const [, key, value = ''] = m;
    if (key === 'expect') header.expect.push(value.replace(/\s+/g, ' '));
    else if (key === 'keeps') header.keeps.push(...value.split(',').map((s) => s.trim()).filter((s) => s !== ''));
    else header.skip = value;
  }
  return header;
}

/** How `# keeps:` names a declaration: its name, a test's quoted name, or the keyword of an unnamed one. */
export function declName(decl: Decl): string {
  switch (decl.kind) {
    case 'Input':
      return 'input';
    case 'Decision':
      return 'decision';
    case 'Weights':
      return 'weights';
    case 'ErrorPolicy':
      return 'on_error';
    case 'Test':
      return JSON.stringify(decl.name.value);
    default:
      return decl.name.name;
  }
}
