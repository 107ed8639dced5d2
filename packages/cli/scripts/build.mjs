// Builds the standalone CLI: one entry (dist/bin/verdict.js) with the workspace packages and
// their dependencies bundled in, split into chunks that load per command (`verdict fmt` never
// reads the server's), the two worker threads' entries, plus the files some dependencies read at
// run time: PGlite's WebAssembly and data (next to the chunks, where its `new URL(..., import.meta.url)` looks) and the store's
// migrations (at dist/drizzle, where `../drizzle` from the chunks points).
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
rmSync(dist, { recursive: true, force: true });

const result = await build({
  // the server's work pool starts `worker.js` beside its own module (a chunk in bin/), and PGlite on
  // its thread `pglite-worker.js`: each built as an entry of its own
  entryPoints: {
    verdict: join(root, 'src/main.ts'),
    worker: join(root, '../server/src/work/worker.ts'),
    'pglite-worker': join(root, '../store/src/drivers/pgliteWorker.ts'),
  },
  outdir: join(dist, 'bin'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: process.env.VERDICT_NO_MINIFY !== "1", // VERDICT_NO_MINIFY=1: readable names in CPU profiles
  legalComments: 'linked',
  chunkNames: 'chunk-[hash]',
  define: { 'process.env.VERDICT_CLI_VERSION': JSON.stringify(version) },
  // CommonJS dependencies call require() for node's own modules; an ES module has none.
  banner: { js: "import { createRequire as __verdictRequire } from 'node:module'; const require = __verdictRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
});

const store = join(root, '../store');
const requireFromStore = createRequire(join(store, 'package.json'));
const pglite = dirname(requireFromStore.resolve('@electric-sql/pglite'));
for (const asset of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) cpSync(join(pglite, asset), join(dist, 'bin', asset));
mkdirSync(join(dist, 'drizzle'), { recursive: true });
cpSync(join(store, 'drizzle'), join(dist, 'drizzle'), { recursive: true });
console.log(`built ${join(dist, 'bin/verdict.js')} (${version})`);
if (process.env.VERDICT_BUILD_META) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.env.VERDICT_BUILD_META, JSON.stringify(result.metafile));
}
