/**
 * The editor end to end: the built editor served by the real server (in
 * process, in-memory PGlite, the repository's rulesets on `production`),
 * driven by Debian's Chromium through playwright-core.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { startServer, type RunningServer } from '@verdict/server';
import { openStore, type Store } from '@verdict/store';

export const CHROMIUM = process.env['VERDICT_CHROMIUM'] ?? '/usr/bin/chromium';
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = join(REPO, 'test-artifacts/screenshots');
export const ADMIN_KEY = 'vd_e2e_admin_key_0123456789abcdef';
/** How many rulesets the server publishes from the repository's `rulesets/` (the editor's ruleset list). */
export const EXAMPLE_RULESETS = readdirSync(join(REPO, 'rulesets'), { recursive: true }).filter((f) => String(f).endsWith('.policy')).length;

export interface Harness {
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  consoleErrors: string[];
  /** Messages of the confirm dialogs the page opened (all accepted). */
  dialogs: string[];
  close(): Promise<void>;
}

/** Builds the editor (Vite, programmatically) into a temporary directory. */
export async function buildEditor(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'verdict-editor-'));
  await build({ configFile: join(REPO, 'packages/editor/vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  return outDir;
}

export async function startHarness(): Promise<Harness> {
  const editorDir = await buildEditor();
  const store: Store = await openStore({ memory: true });
  const server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: join(editorDir, '.data'),
      adminKey: ADMIN_KEY,
      rulesetsDir: join(REPO, 'rulesets'),
      editorDir,
      bodyLimitBytes: 4 * 1024 * 1024,
      rateLimitPerSecond: 100_000,
      requestTimeoutMs: 30_000,
      shutdownDelayMs: 0,
      logSampleRate: 1,
      logInputs: 'redacted',
      logLevel: 'error',
    },
    { handleSignals: false, store },
  );
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  // Leaving a ruleset with unsaved changes asks first; the tests always confirm.
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  return {
    server,
    browser,
    page,
    consoleErrors,
    dialogs,
    close: async () => {
      await browser.close();
      await server.close();
      await store.close();
      rmSync(editorDir, { recursive: true, force: true });
    },
  };
}

export function browserAvailable(): boolean {
  return existsSync(CHROMIUM);
}
