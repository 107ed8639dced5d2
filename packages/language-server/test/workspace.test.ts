/** The server over stdio on a folder of several rulesets: diagnostics for files that are not open, kept current from file events. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, startClient, type TestClient } from './client.ts';

const dir = mkdtempSync(join(tmpdir(), 'verdict-lsp-ws-'));
const good = readFileSync(`${ROOT}rulesets/marketplace/admission.policy`, 'utf8');
const other = readFileSync(`${ROOT}rulesets/trading/signal_approval.policy`, 'utf8');
writeFileSync(join(dir, 'admission.policy'), good.replace('size(blocked) > 0', 'size(blocekd) > 0'));
writeFileSync(join(dir, 'signals.policy'), other);
const uriOf = (name: string) => pathToFileURL(join(dir, name)).href;
let client: TestClient | undefined;

afterAll(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a workspace of several rulesets', () => {
  it('checks every ruleset of the folder without opening it, and follows file changes', async () => {
    client = await startClient(pathToFileURL(dir).href);
    // Published right after `initialized`, maybe before a waiter is registered: poll what arrived.
    const latest = async (uri: string) => {
      for (let i = 0; i < 200 && !client!.published.some((p) => p.uri === uri); i++) await new Promise((r) => setTimeout(r, 50));
      return client!.published.filter((p) => p.uri === uri).at(-1)!;
    };
    const broken = await latest(uriOf('admission.policy'));
    expect(broken.diagnostics.some((d) => d.severity === 1 && String(d.message).includes('blocekd'))).toBe(true);
    expect((await latest(uriOf('signals.policy'))).diagnostics).toEqual([]);

    writeFileSync(join(dir, 'admission.policy'), good);
    const cleared = client.diagnostics(uriOf('admission.policy'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('admission.policy'), type: 2 }] });
    expect((await cleared).diagnostics).toEqual([]);

    const symbols = await client.connection.sendRequest<Array<{ name: string; location: { uri: string } }>>('workspace/symbol', { query: 'restricted_countries' });
    expect(new Set(symbols.map((s) => s.location.uri))).toEqual(new Set([uriOf('admission.policy')]));
  }, 30_000);
});
