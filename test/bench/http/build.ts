/**
 * Builds the benchmark's Node servers as they would ship: one esbuild bundle
 * per server (ESM, minified whitespace only), run with plain `node`, instead
 * of TypeScript sources through tsx's loader (which adds its resolve hooks
 * and esbuild `keepNames` wrappers to every function on the hot path).
 * Verdict and the bare Hono route are built alike.
 *
 * Packages that load files next to their own code at run time (PGlite's wasm
 * and data files) are left out of the bundle and imported by absolute path,
 * resolved where the workspace package that depends on them would find them.
 */
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Package name → the package.json of the workspace package that depends on it. */
const EXTERNAL: Record<string, string> = {
  '@electric-sql/pglite': join(ROOT, 'packages/store/package.json'),
};

const externalByPath: Plugin = {
  name: 'external-by-absolute-path',
  setup(b) {
    b.onResolve({ filter: /^@electric-sql\/pglite$/ }, (args) => {
      const from = EXTERNAL[args.path];
      if (from === undefined) return undefined;
      // the ESM entry (`import` condition), not the CommonJS one `require.resolve` picks
      const cjs = createRequire(from).resolve(args.path);
      return { path: pathToFileURL(cjs.replace(/\.cjs$/, '.js')).href, external: true };
    });
  },
};

/** CommonJS dependencies bundled into ESM still call `require` for Node built-ins: this defines it. */
export const REQUIRE_BANNER = "import { createRequire as __verdictRequire } from 'node:module'; const require = __verdictRequire(import.meta.url);";

/**
 * Bundles `test/bench/http/<file>` into `<outDir>/bin/<name>.mjs`; returns its
 * path (with `sourcemap`, a `.map` beside it). The store's migrations are copied to `<outDir>/drizzle`, where the
 * bundled store looks for them (`../drizzle` from its module, as in the package).
 */
export async function bundleServer(file: string, outDir: string, { sourcemap = false }: { sourcemap?: boolean } = {}): Promise<string> {
  const outfile = join(outDir, 'bin', file.replace(/\.ts$/, '.mjs'));
  cpSync(join(ROOT, 'packages/store/drizzle'), join(outDir, 'drizzle'), { recursive: true });
  // a source map (for `profile.ts`, which names each sampled frame's source file) changes nothing the bundle runs
  const options: BuildOptions = { bundle: true, platform: 'node', format: 'esm', target: 'node20', minifyWhitespace: true, sourcemap: sourcemap ? 'external' : false, logLevel: 'error', plugins: [externalByPath], banner: { js: REQUIRE_BANNER } };
  await build({ ...options, entryPoints: [join(import.meta.dirname, file)], outfile });
  // the server's work pool starts `worker.js` beside its own module, and PGlite on a thread
  // `pglite-worker.js`: here, beside the bundle
  await build({ ...options, entryPoints: [join(ROOT, 'packages/server/src/work/worker.ts')], outfile: join(outDir, 'bin', 'worker.js') });
  await build({ ...options, entryPoints: [join(ROOT, 'packages/store/src/drivers/pgliteWorker.ts')], outfile: join(outDir, 'bin', 'pglite-worker.js') });
  return outfile;
}
