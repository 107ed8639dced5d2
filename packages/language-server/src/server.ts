/**
 * The Verdict language server: LSP over any connection (stdio from
 * `verdict lsp --stdio`). Every feature is a call into
 * @verdict/language-service on the document's current version; this module
 * only keeps documents, schedules diagnostics and adapts the protocol.
 */
import { compile, runTests } from '@verdict/engine';
import { hasErrors } from '@verdict/language';
import {
  codeActions,
  completion,
  definition,
  diagnostics,
  documentSymbols,
  foldingRanges,
  formatting,
  hover,
  outlineOf,
  prepareRename,
  references,
  rename,
  RenameError,
  semanticTokens,
  SEMANTIC_TOKENS_LEGEND,
  signatureHelp,
  SourceFile,
  SYMBOL_KINDS,
  testsOf,
} from '@verdict/language-service';
import { CodeActionKind, MessageType, ResponseError, ShowMessageNotification, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult, type SymbolInformation } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { policyFilesIn, readUri } from './workspace.ts';

export const RUN_TEST_COMMAND = 'verdict.runTest';

export interface TestOutcome {
  name: string;
  passed: boolean;
  failures: string[];
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const sources = new Map<string, { version: number; source: SourceFile }>();
  /** Rulesets of the workspace folders: their text on disk (analysed once, when first asked). */
  const onDisk = new Map<string, SourceFile>();
  let folders: string[] = [];

  const sourceOf = (uri: string): SourceFile | null => {
    const document = documents.get(uri);
    if (document === undefined) {
      return onDisk.get(uri) ?? null;
    }
    const cached = sources.get(uri);
    if (cached !== undefined && cached.version === document.version) return cached.source;
    const source = new SourceFile(document.getText());
    sources.set(uri, { version: document.version, source });
    return source;
  };
  const withSource = <T>(uri: string, empty: T, run: (source: SourceFile) => T): T => {
    const source = sourceOf(uri);
    return source === null ? empty : run(source);
  };

  // Diagnostics as you type: each change marks the document; one macrotask later the newest text of
  // every marked document is checked, so edits that arrive during a check are coalesced, not queued.
  const pending = new Set<string>();
  let scheduled = false;
  const publish = (uri: string) => {
    const source = sourceOf(uri);
    if (source === null) return;
    const version = documents.get(uri)?.version;
    void connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics: diagnostics(source, uri) });
  };
  const schedule = (uri: string) => {
    pending.add(uri);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const uris = [...pending];
      pending.clear();
      for (const u of uris) publish(u);
    });
  };

  connection.onInitialize((params): InitializeResult => {
    folders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (folders.length === 0 && params.rootUri) folders = [params.rootUri];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '"', '['] },
        hoverProvider: true,
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
        foldingRangeProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [RUN_TEST_COMMAND] },
      },
      serverInfo: { name: 'verdict-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    for (const folder of folders) {
      for (const uri of policyFilesIn(folder)) {
        const text = readUri(uri);
        if (text === null || documents.get(uri) !== undefined) continue;
        onDisk.set(uri, new SourceFile(text));
        schedule(uri);
      }
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      if (!change.uri.endsWith('.policy')) continue;
      const text = change.type === 3 ? null : readUri(change.uri);
      if (text === null) {
        onDisk.delete(change.uri);
        if (documents.get(change.uri) === undefined) void connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
        continue;
      }
      onDisk.set(change.uri, new SourceFile(text));
      if (documents.get(change.uri) === undefined) schedule(change.uri);
    }
  });

  documents.onDidChangeContent((event) => schedule(event.document.uri));
  documents.onDidClose((event) => {
    sources.delete(event.document.uri);
    // A closed file of the workspace keeps its on-disk diagnostics; any other file's are cleared.
    if (onDisk.has(event.document.uri)) schedule(event.document.uri);
    else void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  // A notification, not `window.show*Message` (a request): a client that does not answer it must not leave a rejected promise.
  const show = (type: MessageType, message: string) => void connection.sendNotification(ShowMessageNotification.type, { type, message });
  const offsetOf = (source: SourceFile, position: { line: number; character: number }) => source.offsetAt(position);

  connection.onCompletion((params) => withSource(params.textDocument.uri, [], (s) => completion(s, offsetOf(s, params.position))));
  connection.onHover((params) => withSource(params.textDocument.uri, null, (s) => hover(s, offsetOf(s, params.position))));
  connection.onSignatureHelp((params) => withSource(params.textDocument.uri, null, (s) => signatureHelp(s, offsetOf(s, params.position))));
  connection.onDefinition((params) => withSource(params.textDocument.uri, [], (s) => definition(s, params.textDocument.uri, offsetOf(s, params.position))));
  connection.onReferences((params) => withSource(params.textDocument.uri, [], (s) => references(s, params.textDocument.uri, offsetOf(s, params.position), params.context.includeDeclaration)));
  connection.onPrepareRename((params) => withSource(params.textDocument.uri, null, (s) => prepareRename(s, offsetOf(s, params.position))));
  connection.onRenameRequest((params) =>
    withSource(params.textDocument.uri, null, (s) => {
      try {
        return rename(s, params.textDocument.uri, offsetOf(s, params.position), params.newName);
      } catch (error) {
        if (error instanceof RenameError) throw new ResponseError(-32602, error.message);
        throw error;
      }
    }),
  );
  connection.onDocumentSymbol((params) => withSource(params.textDocument.uri, [], (s) => documentSymbols(outlineOf(s.analysis.ast))));
  connection.onWorkspaceSymbol((params) => {
    const query = params.query.toLowerCase();
    const uris = new Set([...onDisk.keys(), ...documents.keys()]);
    const found: SymbolInformation[] = [];
    for (const uri of uris) {
      const source = sourceOf(uri);
      if (source === null) continue;
      for (const item of documentSymbols(outlineOf(source.analysis.ast))) {
        if (query === '' || item.name.toLowerCase().includes(query)) found.push({ name: item.name, kind: item.kind, location: { uri, range: item.selectionRange }, containerName: source.analysis.ast.name.name });
      }
    }
    return found;
  });
  connection.onDocumentFormatting((params) =>
    withSource(params.textDocument.uri, [], (s) => {
      const result = formatting(s);
      if ('edits' in result) return result.edits;
      const first = result.refused[0];
      show(MessageType.Warning, `Not formatted: the ruleset has syntax errors${first ? ` (line ${first.span.line}: ${first.message})` : ''}.`);
      return [];
    }),
  );
  connection.onCodeAction((params) => withSource(params.textDocument.uri, [], (s) => codeActions(s.analysis.diagnostics, params.textDocument.uri, params.range)));
  connection.languages.semanticTokens.on((params) => withSource(params.textDocument.uri, { data: [] }, (s) => semanticTokens(s)));
  connection.onFoldingRanges((params) => withSource(params.textDocument.uri, [], (s) => foldingRanges(s)));
  connection.onCodeLens((params) =>
    withSource(params.textDocument.uri, [], (s) => testsOf(s).map((t) => ({ range: t.range, command: { title: '▶ Run test', command: RUN_TEST_COMMAND, arguments: [params.textDocument.uri, t.name] } }))),
  );
  connection.onExecuteCommand((params) => {
    if (params.command !== RUN_TEST_COMMAND) throw new ResponseError(-32601, `unknown command \`${params.command}\``);
    const [uri, name] = params.arguments ?? [];
    if (typeof uri !== 'string' || typeof name !== 'string') throw new ResponseError(-32602, `${RUN_TEST_COMMAND} takes a document URI and a test name`);
    const outcome = runTest(sourceOf(uri), name);
    const text = outcome.passed ? `Test "${name}" passed.` : `Test "${name}" failed: ${outcome.failures.join('; ')}`;
    show(outcome.passed ? MessageType.Info : MessageType.Error, text);
    return outcome;
  });

  documents.listen(connection);
  connection.listen();
}

/** Runs one test of a ruleset (the whole file's tests run; this one's result is kept). */
export function runTest(source: SourceFile | null, name: string): TestOutcome {
  if (source === null) return { name, passed: false, failures: ['the document is not open'] };
  const analysis = source.analysis;
  if (hasErrors(analysis.diagnostics)) return { name, passed: false, failures: ['the ruleset has errors; fix them first'] };
  const compiled = compile(analysis).ruleset;
  if (compiled === undefined) return { name, passed: false, failures: ['the ruleset does not compile'] };
  const result = runTests(analysis.ast, source.text, compiled).results.find((r) => r.name === name);
  if (result === undefined) return { name, passed: false, failures: [`no test named "${name}"`] };
  return { name, passed: result.passed, failures: result.failures };
}
