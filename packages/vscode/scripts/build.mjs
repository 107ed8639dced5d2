// Bundles the extension (vscode stays external) and the language server into dist/ with esbuild.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = { bundle: true, platform: 'node', target: 'node18', format: 'cjs', sourcemap: false, minify: true, absWorkingDir: root, logLevel: 'warning' };

export async function buildExtension() {
  await build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
  await build({ ...common, entryPoints: ['src/server-main.ts'], outfile: 'dist/server.js' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildExtension();
