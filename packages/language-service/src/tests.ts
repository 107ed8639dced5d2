/** The tests of a ruleset and where they are written: what a "run test" code lens sits on. */
import type { Range } from 'vscode-languageserver-types';
import { spanRange, type SourceFile } from './source.ts';

export function testsOf(source: SourceFile): Array<{ name: string; range: Range }> {
  return source.analysis.ast.decls.flatMap((d) => (d.kind === 'Test' ? [{ name: d.name.value, range: spanRange(d.name.span) }] : []));
}
