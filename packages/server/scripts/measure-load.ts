/**
 * What loading a stored version costs the server's thread (docs/operations.md, "Compiled versions
 * in memory"): the compile a server does when it first evaluates a version, and that first
 * evaluation, for rulesets as large as the publish limits and the body limit allow, and for the
 * example rulesets. Run it bundled, as the shipped server runs (tsx adds a cost per function made):
 *
 *   npx esbuild packages/server/scripts/measure-load.ts --bundle --platform=node --format=esm \
 *     --outfile=/tmp/measure-load.mjs --banner:js="import{createRequire}from'module';const require=createRequire(import.meta.url);" \
 *     && node /tmp/measure-load.mjs [--scaled] [rulesets/**\/*.policy]
 *
 * `--scaled`: the same shapes from 25 to 3,000 items, each the fastest of five compiles with its CPU
 * time, to choose VERDICT_INLINE_COMPILE_MAX_KB (docs/operations.md, "Compiled versions in memory").
 */
import { readFileSync } from 'node:fs';
import { compile, DEFAULT_SIZE_LIMITS } from '@verdict/engine';
import { RulesetRegistry } from '../src/registry.ts';

const BODY_LIMIT = 1024 * 1024;
const head = (name: string) => `ruleset big.${name}\n\ninput {\n  amount: number\n  country: string\n  tags: list<string>\n}\n\ndecision deny > allow\n\n`;
const rule = (id: string, condition: string) => `rule ${id} {\n  severity low\n  deny when ${condition}\n  because "x"\n}\n`;

/** Rulesets at the limits: a const at VD5020's, a table at VD5021's, and as many rules as a 1 MB body holds. */
const shapes: Record<string, () => string> = {
  'const list of 99,999 numbers': () => head('c') + `const big: list<number> = [${Array.from({ length: 99_999 }, (_, i) => i).join(', ')}]\n\n` + rule('r', 'amount in big'),
  'const list of 70,000 strings': () => head('s') + `const big: list<string> = [${Array.from({ length: 70_000 }, (_, i) => `"c${i}"`).join(', ')}]\n\n` + rule('r', 'country in big'),
  'table of 9,999 rows': () => head('t') + `table t(x: number, c: string) -> number {\n${Array.from({ length: 9_999 }, (_, i) => `  ${i}, "k${i}" -> ${i}\n`).join('')}  else -> 0\n}\n\n` + rule('r', 't(amount, country) > 5'),
  '6,000 rules': () => head('r') + Array.from({ length: 6_000 }, (_, i) => rule(`r${i}`, `amount > ${i} && country == "X${i}" && size(tags) < ${i + 1} || "t${i}" in tags`)).join('\n'),
  '5,000 rules with lets and a macro': () =>
    head('l') + Array.from({ length: 5_000 }, (_, i) => `rule r${i} {\n  severity low\n  let a = amount * ${i} + ${i}\n  let b = a > ${i} ? a - 1 : a + 1\n  deny when b > ${i * 3} && tags.exists(t, t.startsWith("p${i}"))\n}\n`).join('\n'),
};

const ms = (from: number) => Math.round(performance.now() - from);
const input = { amount: 5, country: 'FR', tags: ['a'] };

function measure(name: string, source: string, repeats = 1): void {
  const body = JSON.stringify({ source }).length;
  const checked = compile(source, { sizes: DEFAULT_SIZE_LIMITS });
  const refused = checked.diagnostics.find((d) => d.severity === 'error');
  if (refused !== undefined || body > BODY_LIMIT) {
    console.log(`${name}: not publishable (${refused?.code ?? `body ${body} bytes`})`);
    return;
  }
  // the fastest of `repeats` loads, in wall time and in CPU time (on a busy machine the wall time
  // measures the other processes as much as this one; the CPU time is what an idle core would take)
  let load = Infinity;
  let cpu = Infinity;
  let loaded: ReturnType<typeof RulesetRegistry.compileStored> | undefined;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    const used = process.cpuUsage();
    loaded = RulesetRegistry.compileStored(source);
    const spent = process.cpuUsage(used);
    load = Math.min(load, performance.now() - started);
    cpu = Math.min(cpu, (spent.user + spent.system) / 1000);
  }
  if (loaded === undefined) return;
  let started = performance.now();
  if (!loaded.ok) throw new Error(`${name}: ${loaded.diagnostics[0]?.message}`);
  started = performance.now();
  loaded.compiled.evaluate(input);
  const first = ms(started);
  started = performance.now();
  loaded.compiled.evaluate(input);
  const second = ms(started);
  console.log(`${name}: ${Math.round(source.length / 1024)} KB source (${Math.round(body / 1024)} KB body); load ${load.toFixed(1)} ms (CPU ${cpu.toFixed(1)} ms), first evaluation ${first} ms, next ${second} ms`);
}

/** The same shapes scaled down, to find the source size below which a load stays well within ~30 ms (VERDICT_INLINE_COMPILE_MAX_KB). */
const scaled: Record<string, (n: number) => string> = {
  'const list of N numbers': (n) => head('c') + `const big: list<number> = [${Array.from({ length: n }, (_, i) => i).join(', ')}]\n\n` + rule('r', 'amount in big'),
  'table of N rows': (n) => head('t') + `table t(x: number, c: string) -> number {\n${Array.from({ length: n }, (_, i) => `  ${i}, "k${i}" -> ${i}\n`).join('')}  else -> 0\n}\n\n` + rule('r', 't(amount, country) > 5'),
  'N rules': (n) => head('r') + Array.from({ length: n }, (_, i) => rule(`r${i}`, `amount > ${i} && country == "X${i}" && size(tags) < ${i + 1} || "t${i}" in tags`)).join('\n'),
  'N rules with lets and a macro': (n) =>
    head('l') + Array.from({ length: n }, (_, i) => `rule r${i} {\n  severity low\n  let a = amount * ${i} + ${i}\n  let b = a > ${i} ? a - 1 : a + 1\n  deny when b > ${i * 3} && tags.exists(t, t.startsWith("p${i}"))\n}\n`).join('\n'),
};

const files = process.argv.slice(2).filter((a) => a !== '--scaled');
if (process.argv.includes('--scaled')) {
  // once first: the first compile in a process pays for the validator and code generator's start-up
  RulesetRegistry.compileStored(scaled['N rules']!(10));
  for (const [name, make] of Object.entries(scaled)) {
    for (const n of [25, 50, 100, 200, 400, 1_000, 3_000]) measure(name.replace('N', String(n)), make(n), 5);
  }
} else {
  for (const [name, make] of Object.entries(shapes)) measure(name, make());
}
for (const file of files) measure(file, readFileSync(file, 'utf8'), process.argv.includes('--scaled') ? 5 : 1);
