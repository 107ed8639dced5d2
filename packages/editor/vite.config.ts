import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Builds the editor to `dist/`, which `verdict serve --editor dist` serves at `/`. */
export default defineConfig({
  root,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    target: 'es2022',
    // Monaco is large; rolldown's plugin-timing notice on every build is noise here.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  worker: { format: 'es' },
  // Only the core editor and JSON: the full package bundles TypeScript, CSS and HTML workers we never use.
  resolve: { alias: [{ find: /^monaco-editor$/, replacement: fileURLToPath(new URL('./src/monaco-lean.js', import.meta.url)) }] },
  logLevel: 'warn',
});
