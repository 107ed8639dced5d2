// Fills the ```text output blocks of grammar/diagnostics.md by running `verdict check` on each example.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const docPath = `${root}/grammar/diagnostics.md`;
let doc = readFileSync(docPath, 'utf8');
const prelude = /```policy prelude\n([\s\S]*?)```/.exec(doc)![1]!;
const dir = `${root}/scratch/diagnostics-examples`;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const sections = doc.split(/^(?=## VD\d{4})/m);
for (const s of sections) {
  const code = /^## (VD\d{4})/.exec(s)?.[1];
  if (!code) continue;
  const m = /```policy( file)?\n([\s\S]*?)```/.exec(s);
  if (!m) continue;
  const text = m[1] ? m[2]! : prelude + '\n' + m[2]!;
  writeFileSync(`${dir}/${code}.policy`, text);
}
let out = '';
try {
  out = execFileSync('npx', ['tsx', 'packages/cli/src/main.ts', 'check', 'scratch/diagnostics-examples'], { cwd: root, encoding: 'utf8' });
} catch (e) {
  out = (e as { stdout: string }).stdout;
}
const byCode = new Map<string, string[]>();
let current: string[] | null = null;
for (const line of out.split('\n')) {
  const head = /^scratch\/diagnostics-examples\/(VD\d{4})\.policy(:.*)$/.exec(line);
  if (head) {
    current = byCode.get(head[1]!) ?? [];
    byCode.set(head[1]!, current);
    current.push('example.policy' + head[2]);
    continue;
  }
  if (/^\d+ errors?,/.test(line)) { current = null; continue; }
  if (current && line !== '') current.push(line.replace(/scratch\/diagnostics-examples\/VD\d{4}\.policy/g, 'example.policy'));
}
doc = doc.split(/^(?=## VD\d{4})/m).map((s) => {
  const code = /^## (VD\d{4})/.exec(s)?.[1];
  if (!code || !s.includes('```text output')) return s;
  const lines = byCode.get(code) ?? ['(no diagnostics)'];
  return s.replace(/```text output\n[\s\S]*?```/, '```text output\n' + lines.join('\n') + '\n```');
}).join('');
writeFileSync(docPath, doc);
console.log(out);
