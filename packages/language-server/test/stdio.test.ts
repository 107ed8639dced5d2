/** The language server driven over stdio by a real LSP client, as an editor would: `verdict lsp --stdio`. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CodeLens, CompletionItem, CompletionList, Hover, Location, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { fileUri, ROOT, startClient, type TestClient } from './client.ts';

const RULESETS = ['insurance/auto_quote', 'marketplace/admission', 'portfolio/trade_compliance', 'trading/signal_approval'];
const path = 'rulesets/marketplace/admission.policy';
const uri = fileUri(path);
const text = readFileSync(`${ROOT}${path}`, 'utf8');
const lines = text.split('\n');

/** The position of the `nth` line containing `needle`, `delta` characters into the needle. */
function position(needle: string, delta = 1, nth = 0): { line: number; character: number } {
  const found = lines.flatMap((l, i) => (l.includes(needle) ? [i] : []));
  const line = found[nth];
  if (line === undefined) throw new Error(`no line with ${needle}`);
  return { line, character: lines[line]!.indexOf(needle) + delta };
}
const doc = { textDocument: { uri } };
let client: TestClient;
let version = 1;

beforeAll(async () => {
  client = await startClient('rulesets');
  const first = client.diagnostics(uri);
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'verdict', version, text } });
  await first;
}, 30_000);

afterAll(async () => {
  await client?.close();
});

describe('verdict lsp --stdio', () => {
  it('publishes diagnostics for every ruleset of the workspace folder, open or not', async () => {
    const deadline = Date.now() + 10_000;
    const published = () => new Set(client.published.map((p) => p.uri));
    while (RULESETS.some((r) => !published().has(fileUri(`rulesets/${r}.policy`))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const r of RULESETS) {
      const last = client.published.filter((p) => p.uri === fileUri(`rulesets/${r}.policy`)).at(-1);
      expect(last?.diagnostics, r).toEqual([]);
    }
  });

  it('reports diagnostics as you type, with code, range and the hint, and clears them when fixed', async () => {
    const broken = text.replace('size(blocked) > 0', 'size(blocekd) > 0');
    const pending = client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: broken }] });
    const { diagnostics } = await pending;
    const d = diagnostics.find((x) => typeof x.message === 'string' && x.message.includes('blocekd'));
    expect(d).toMatchObject({ severity: 1, source: 'verdict', range: { start: position('size(blocked) > 0', 'size('.length) } });
    expect(String(d?.code)).toMatch(/^VD\d+$/);

    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { ...doc, range: d!.range, context: { diagnostics: [d] } });
    expect(actions[0]).toMatchObject({ kind: 'quickfix', edit: { changes: { [uri]: [{ range: d!.range, newText: 'blocked' }] } } });

    const cleared = client.diagnostics(uri, (p) => p.diagnostics.length === 0);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: d!.range, text: 'blocked' }] });
    await cleared;
  });

  it('completes by context: literal values, receiver-typed methods, nothing in comments', async () => {
    const labels = async (line: string, marker: string, delta: number): Promise<string[]> => {
      const edited = text.replace('# Baseline: a production', `${line}\n# Baseline: a production`);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: edited }] });
      const lineIndex = edited.split('\n').findIndex((l) => l === line.split('\n').find((x) => x.includes(marker)));
      const character = edited.split('\n')[lineIndex]!.indexOf(marker) + delta;
      const result = await client.connection.sendRequest<CompletionItem[] | CompletionList>('textDocument/completion', { ...doc, position: { line: lineIndex, character } });
      return (Array.isArray(result) ? result : result.items).map((i) => i.label);
    };
    expect(await labels('rule r {\n  deny when service.tier == ""\n}', '== "', 4)).toEqual(['free', 'standard', 'enterprise']);
    const methods = await labels('rule r {\n  deny when service.certifications.\n}', 'certifications.', 'certifications.'.length);
    expect(methods).toContain('exists');
    expect(methods).not.toContain('abs');
    expect(await labels('# see service.x', 'service.', 'service.'.length)).toEqual([]);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text }] });
  });

  it('hovers with the type and the doc of an input field', async () => {
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', { ...doc, position: position('size(service.data_residency)', 'size(service.'.length + 1) });
    const value = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    expect(value).toContain('(input) service.data_residency: list<string>');
    expect(value).toContain('ISO 3166-1 alpha-2');
  });

  it('goes to the definition of a rule named in `expect ... by [...]` and finds its references', async () => {
    const locations = await client.connection.sendRequest<Location[]>('textDocument/definition', { ...doc, position: position('by [restricted_countries]', 5) });
    expect(locations).toEqual([{ uri, range: { start: position('rule restricted_countries', 'rule '.length), end: position('rule restricted_countries', 'rule restricted_countries'.length) } }]);
    const refs = await client.connection.sendRequest<Location[]>('textDocument/references', { ...doc, position: position('rule restricted_countries', 6), context: { includeDeclaration: true } });
    expect(refs.map((r) => r.range.start.line)).toEqual([position('rule restricted_countries').line, position('by [restricted_countries]').line]);
  });

  it('renames a const at its declaration and every use', async () => {
    const prepared = await client.connection.sendRequest<{ placeholder: string }>('textDocument/prepareRename', { ...doc, position: position('const MIN_AVAILABILITY', 7) });
    expect(prepared.placeholder).toBe('MIN_AVAILABILITY');
    const edit = await client.connection.sendRequest<WorkspaceEdit>('textDocument/rename', { ...doc, position: position('const MIN_AVAILABILITY', 7), newName: 'SLA_FLOOR' });
    const edits = edit.changes?.[uri] ?? [];
    expect(edits.map((e) => e.newText)).toEqual(edits.map(() => 'SLA_FLOOR'));
    expect(edits.map((e) => e.range.start.line)).toEqual(lines.flatMap((l, i) => (/\bMIN_AVAILABILITY\b/.test(l) ? [i] : [])));
    await expect(client.connection.sendRequest('textDocument/rename', { ...doc, position: position('const MIN_AVAILABILITY', 7), newName: 'not a name' })).rejects.toThrow(/not a name/);
  });

  it('formats a badly laid out ruleset into the canonical text', async () => {
    const messyUri = fileUri('rulesets/messy.policy');
    const messy = text.replace('const MIN_TLS_VERSION = 1.2', 'const    MIN_TLS_VERSION=1.2');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: messyUri, languageId: 'verdict', version: 1, text: messy } });
    const edits = await client.connection.sendRequest<TextEdit[]>('textDocument/formatting', { textDocument: { uri: messyUri }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits[0]!.newText).toBe(text);
    const none = await client.connection.sendRequest<TextEdit[]>('textDocument/formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } });
    expect(none).toEqual([]);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: messyUri } });
  });

  it('puts a code lens on each test that runs it', async () => {
    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', doc);
    expect(lenses).toHaveLength(lines.filter((l) => l.startsWith('test "')).length);
    const result = await client.connection.sendRequest<{ passed: boolean; name: string }>('workspace/executeCommand', { command: lenses[0]!.command!.command, arguments: lenses[0]!.command!.arguments });
    expect(result).toEqual({ name: 'compliant production enterprise service is allowed', passed: true, failures: [] });
  });

  it('lists symbols of the document and of the whole workspace', async () => {
    const symbols = await client.connection.sendRequest<Array<{ name: string }>>('textDocument/documentSymbol', doc);
    expect(symbols.map((s) => s.name)).toContain('https_required');
    const workspace = await client.connection.sendRequest<Array<{ name: string; location: { uri: string } }>>('workspace/symbol', { query: 'premium' });
    expect(workspace.some((s) => s.location.uri === fileUri('rulesets/insurance/auto_quote.policy'))).toBe(true);
  });
});
