// Builds dist/ and packages the extension as a .vsix with @vscode/vsce: `node scripts/package.mjs [out.vsix]`.
import { createVSIX } from '@vscode/vsce';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { buildExtension } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.argv[2] ?? `${root}verdict-language.vsix`);
await buildExtension();
// Everything the extension runs is bundled into dist/: no node_modules in the package.
await createVSIX({ cwd: root, packagePath: out, dependencies: false, allowMissingRepository: true, skipLicense: true });
console.log(out);
