/**
 * The VS Code extension: starts the Verdict language server (bundled in
 * dist/server.js, or the command in `verdict.server.command`) and hands it the
 * `.policy` files. Every language feature comes from the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const custom = vscode.workspace.getConfiguration('verdict').get<string[]>('server.command') ?? [];
  const [command, ...args] = custom;
  const serverOptions: ServerOptions =
    command !== undefined
      ? { command, args, transport: TransportKind.stdio }
      : { module: context.asAbsolutePath('dist/server.js'), transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'verdict' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.policy') },
  };
  client = new LanguageClient('verdict', 'Verdict', serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
