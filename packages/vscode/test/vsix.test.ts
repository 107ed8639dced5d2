/** Packages the extension as a .vsix (the script users run) and checks what is inside: manifest, grammar, a working bundled server. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import yauzl from 'yauzl';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'verdict-vsix-'));
const vsix = join(dir, 'verdict.vsix');
let entries = new Map<string, Buffer>();

function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const files = new Map<string, Buffer>();
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || zip === undefined) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || stream === undefined) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts/package.mjs'), vsix], { cwd: root, stdio: 'pipe' });
  entries = await readZip(vsix);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the .vsix', () => {
  it('holds the manifest, the grammar, the language configuration and the bundles, and no sources or node_modules', () => {
    const names = [...entries.keys()];
    expect(names).toEqual(expect.arrayContaining(['extension.vsixmanifest', 'extension/package.json', 'extension/syntaxes/verdict.tmLanguage.json', 'extension/language-configuration.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/readme.md']));
    expect(names.filter((n) => n.includes('node_modules/') || n.startsWith('extension/src/') || n.endsWith('.vsix'))).toEqual([]);
  });

  it('declares the language, the grammar and the entry point', () => {
    const manifest = JSON.parse(entries.get('extension/package.json')!.toString('utf8'));
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.contributes.languages[0]).toMatchObject({ id: 'verdict', extensions: ['.policy'], configuration: './language-configuration.json' });
    expect(manifest.contributes.grammars[0]).toEqual({ language: 'verdict', scopeName: 'source.verdict', path: './syntaxes/verdict.tmLanguage.json' });
    const grammar = JSON.parse(entries.get('extension/syntaxes/verdict.tmLanguage.json')!.toString('utf8'));
    expect(grammar.scopeName).toBe('source.verdict');
    expect(entries.get('extension.vsixmanifest')!.toString('utf8')).toContain('Id="verdict-language"');
  });

  it('bundles a server that runs on its own and checks a ruleset', async () => {
    const server = join(dir, 'server.js');
    writeFileSync(server, entries.get('extension/dist/server.js')!);
    const child = spawn(process.execPath, [server, '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    try {
      await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
      await connection.sendNotification('initialized', {});
      const uri = pathToFileURL(join(dir, 'broken.policy')).href;
      const text = readFileSync(join(root, '../../rulesets/marketplace/admission.policy'), 'utf8').replace('size(blocked)', 'size(blockd)');
      const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification('textDocument/publishDiagnostics', resolve));
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'verdict', version: 1, text } });
      const { diagnostics } = await published;
      expect(diagnostics.map((d) => String(d.message).split('\n')[0])).toEqual([expect.stringContaining('blockd')]);
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } finally {
      connection.dispose();
      child.kill();
    }
  }, 30_000);
});
