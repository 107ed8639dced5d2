/**
 * `pnpm bench`: every benchmark suite in one run. Speed is measured here,
 * never in unit tests. `pnpm bench <suite...>` runs only those suites
 * (`language`, `engine`, `cli`, `http`, `lsp`). `pnpm bench instructions` counts
 * instructions per decision under valgrind; it runs only when named.
 */
import { languageBenchmarks } from './language.ts';
import { formatResults } from './measure.ts';

const only = process.argv.slice(2);
const want = (suite: string) => only.length === 0 || only.includes(suite);

if (want('language')) process.stdout.write(formatResults('language: parse + check + analysis', await languageBenchmarks()));
if (want('engine')) {
  // loaded only when wanted: it loads the peer engines (wasm, a native addon)
  const { engineBenchmarks } = await import('./engine.ts');
  await engineBenchmarks((text) => process.stdout.write(text));
}
if (only.includes('instructions')) await (await import('./instructions.ts')).instructionBenchmarks((text) => process.stdout.write(text));
if (want('lsp')) process.stdout.write(formatResults('language server: stdio, shipped bundle', await (await import('./lsp.ts')).lspBenchmarks()));
if (want('cli')) process.stdout.write((await import('./cli.ts')).cliBenchmarks());
if (want('http')) await (await import('./http.ts')).httpBenchmarks((text) => process.stdout.write(text)); // loaded only when wanted: starts servers
