import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, sha256Hex } from '../src/index.ts';
import { storeSuite } from './suite.ts';

// PGlite on a worker thread behind pglite-socket: the shared suite, in memory.
storeSuite({ name: 'pglite on a worker thread (in memory)', open: () => openStore({ memory: true, thread: true }) });

describe('store on pglite on a worker thread (file backed)', () => {
  it('keeps data across reopen, and the in-thread driver opens the same directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'verdict-store-'));
    try {
      const first = await openStore({ dataDir, thread: true });
      expect(first.driver).toBe('pglite-thread');
      await first.publishVersion({ ruleset: 'persist', source: 's', hash: sha256Hex('s'), author: 'ana' });
      await first.moveChannel('persist', 'production', 1, 'ana');
      await first.close();

      const inThread = await openStore({ dataDir });
      try {
        expect((await inThread.getChannel('persist', 'production'))?.version).toBe(1);
      } finally {
        await inThread.close();
      }
      const second = await openStore({ dataDir, thread: true });
      try {
        expect((await second.getVersion('persist', 1))?.source).toBe('s');
        expect(await second.unsafeQuery("select setting::int as pages from pg_settings where name = 'shared_buffers'")).toEqual([{ pages: 2048 }]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
