/**
 * Prints what `parse()` reports for policy files, in the corpus's header
 * form, to help write `# expect:` lines: `npx tsx packages/language/test/broken/probe.ts <file>...`.
 */
import { readFileSync } from 'node:fs';
import { parse } from '../../src/parse.ts';

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const { ast, diagnostics } = parse(text);
  const names = ast.decls.map((d) => (d.kind === 'Test' ? JSON.stringify(d.name.value) : 'name' in d ? d.name.name : d.kind));
  console.log(`== ${file}\n   decls: ${names.join(', ')}`);
  for (const d of diagnostics) {
    console.log(`   # expect: ${d.span.line}:${d.span.column} ${d.code}   [${d.severity}] ${d.message}${d.hint ? `  (hint: ${d.hint})` : ''}`);
  }
}
