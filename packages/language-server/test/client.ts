/** A real LSP client over stdio for tests: spawns `verdict lsp --stdio` and speaks vscode-languageserver-protocol to it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));

export interface TestClient {
  connection: ProtocolConnection;
  /** Resolves with the next diagnostics published for `uri` that satisfy `accept`. */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  /** Every diagnostics notification received so far, newest last. */
  published: PublishDiagnosticsParams[];
  close(): Promise<void>;
}

export function fileUri(relative: string): string {
  return pathToFileURL(`${ROOT}${relative}`).href;
}

/** `workspace`: a folder relative to the repository, or an absolute `file:` URI. */
export async function startClient(workspace: string | null = null): Promise<TestClient> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN, 'lsp', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: Array<{ uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    published.push(params);
    for (const w of [...waiters]) {
      if (w.uri === params.uri && w.accept(params)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(params);
      }
    }
  });
  connection.onNotification('window/showMessage', () => {});
  connection.listen();
  const workspaceFolders = workspace === null ? null : [{ uri: workspace.startsWith('file:') ? workspace : pathToFileURL(`${ROOT}${workspace}`).href, name: workspace }];
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders }).catch((error: unknown) => {
    throw new Error(`initialize failed: ${String(error)}\n${stderr}`);
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    published,
    diagnostics: (uri, accept = () => true) =>
      new Promise((resolve) => {
        waiters.push({ uri, accept, resolve });
      }),
    async close() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
        setTimeout(() => {
          child.kill();
          resolve();
        }, 3000).unref();
      });
      connection.dispose();
    },
  };
}
