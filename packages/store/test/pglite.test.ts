import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, sha256Hex } from '../src/index.ts';
import { storeSuite } from './suite.ts';

// PGlite (embedded PostgreSQL) always runs: in memory for the shared suite.
storeSuite({ name: 'pglite (in memory)', open: () => openStore({ memory: true }) });

describe('store on pglite (file backed)', () => {
  it('keeps data across reopen and migrates an existing directory without changes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'verdict-store-'));
    try {
      const first = await openStore({ dataDir });
      expect(first.driver).toBe('pglite');
      await first.publishVersion({ ruleset: 'persist', source: 's', hash: sha256Hex('s'), author: 'ana' });
      await first.moveChannel('persist', 'production', 1, 'ana');
      await first.close();

      const second = await openStore({ dataDir });
      try {
        expect((await second.getVersion('persist', 1))?.source).toBe('s');
        expect((await second.getChannel('persist', 'production'))?.version).toBe(1);
        const applied = await second.unsafeQuery('select count(*)::int as n from drizzle.__drizzle_migrations');
        expect(applied[0]?.['n']).toBeGreaterThan(0);
        // the page cache is held for the life of the process: 16 MB by default (2048 pages of 8 kB), not PostgreSQL's 128 MB
        expect(await second.unsafeQuery("select setting::int as pages from pg_settings where name = 'shared_buffers'")).toEqual([{ pages: 2048 }]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
