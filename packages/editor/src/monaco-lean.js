// The parts of monaco-editor the Verdict editor uses: the core editor with its
// features and the JSON language (the playground). `monaco-editor` is aliased
// here in vite.config.ts; types still come from the package itself.
export * from 'monaco-editor/esm/vs/editor/edcore.main.js';
export * as json from 'monaco-editor/esm/vs/language/json/monaco.contribution.js';
