/**
 * Language server latency: diagnostics for a 3,000-line ruleset after an edit at its end, through the
 * server as editors run it (the bundle the VS Code extension ships, over stdio, driven by an LSP client).
 * Timed from sending `didChange` to receiving the `publishDiagnostics` of that version.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { rulesetOfLines } from './generate.ts';
import type { BenchResult } from './measure.ts';

const ITERATIONS = 40;

export async function lspBenchmarks(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-lsp-bench-'));
  const server = join(dir, 'server.js');
  await build({ entryPoints: [new URL('../../packages/vscode/src/server-main.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'cjs', minify: true, outfile: server, logLevel: 'error' });
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let waiting: { version: number; resolve: (p: PublishDiagnosticsParams) => void } | null = null;
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    if (waiting !== null && p.version === waiting.version) waiting.resolve(p);
  });
  connection.listen();
  const published = (version: number) => new Promise<PublishDiagnosticsParams>((resolve) => (waiting = { version, resolve }));
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
    await connection.sendNotification('initialized', {});
    const text = rulesetOfLines(3_000);
    const lines = text.split('\n');
    const uri = 'file:///bench/generated.policy';
    let version = 1;
    const opened = published(version);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'verdict', version, text } });
    const first = await opened;
    if (first.diagnostics.some((d) => d.severity === 1)) throw new Error(`generated ruleset does not check: ${first.diagnostics[0]!.message}`);
    const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
    const samples: number[] = [];
    let errors = 0;
    for (let i = 0; i < ITERATIONS + 3; i++) {
      // Alternately add and remove a line at the end that refers to an unknown name: each version's diagnostics differ.
      const adding = i % 2 === 0;
      const change = adding
        ? { range: { start: end, end }, text: '\nconst bench_tail = unknown_name' }
        : { range: { start: end, end: { line: end.line + 1, character: 'const bench_tail = unknown_name'.length } }, text: '' };
      version++;
      const done = published(version);
      const started = process.hrtime.bigint();
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const result = await done;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (adding && result.diagnostics.length > 0) errors++;
      if (i >= 3) samples.push(ms);
    }
    if (errors === 0) throw new Error('the edit at the end was never reported: the benchmark is not measuring a re-check');
    samples.sort((a, b) => a - b);
    return [
      {
        name: 'diagnostics after an edit, 3,000 lines',
        medianMs: samples[Math.floor(samples.length / 2)]!,
        p99Ms: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))]!,
        cpuMs: Number.NaN,
        goalMs: 150,
        note: `${lines.length} lines, stdio round trip, ${ITERATIONS} edits`,
      },
    ];
  } finally {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
