/** The entry of the bundled language server (dist/server.js): LSP over stdio, as `verdict lsp --stdio`. */
import { startStdioServer } from '@verdict/language-server';

void startStdioServer().then(() => process.exit(0));
