/** The language server over stdin/stdout: what `verdict lsp --stdio` and the VS Code extension start. */
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from './server.ts';

/** Resolves when the client closes the connection. */
export function startStdioServer(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  // stdout carries the protocol: anything logged goes to stderr.
  console.log = console.error;
  console.info = console.error;
  // One failed request must not end the editor's session: log and keep serving.
  process.on('unhandledRejection', (reason) => console.error('verdict lsp: unhandled rejection:', reason));
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(input), new StreamMessageWriter(output));
  const closed = new Promise<void>((resolve) => connection.onExit(() => resolve()));
  startServer(connection);
  return closed;
}
