// The Store behaviour suite, run once per driver (pglite.test.ts, postgres.test.ts).
// One store is shared by the tests of a run; each test uses its own ruleset names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, StaleParentError, sha256Hex, type Store } from '../src/index.ts';
import { decisionLogSuite } from './decision-log-suite.ts';
import { eventRecorder, publishInput, SLOW, unique } from './fixtures.ts';

export interface Harness {
  name: string;
  /** Opens the store shared by the suite, on a fresh, empty database. */
  open(): Promise<Store>;
  /** Another Store on the same database, as a second process would open it (PostgreSQL only). */
  openPeer?: () => Promise<Store>;
  /** Called after the stores are closed. */
  cleanup?: () => Promise<void>;
}


export function storeSuite(harness: Harness): void {
  describe(`store on ${harness.name}`, () => {
    let store: Store;
    const peers: Store[] = [];

    beforeAll(async () => {
      store = await harness.open();
    }, SLOW);

    afterAll(async () => {
      for (const peer of peers) await peer.close();
      await store?.close();
      await harness.cleanup?.();
    }, SLOW);

    async function peer(): Promise<Store> {
      if (!harness.openPeer) throw new Error('this driver has no peer stores');
      const opened = await harness.openPeer();
      peers.push(opened);
      return opened;
    }

    describe('versions', () => {
      it('numbers versions 1, 2, 3 and links each to its parent', async () => {
        const ruleset = unique('pub');
        const results = [];
        for (const source of ['a', 'b', 'c']) results.push(await store.publishVersion(publishInput(ruleset, source)));
        expect(results).toEqual([
          { version: 1, created: true },
          { version: 2, created: true },
          { version: 3, created: true },
        ]);
        const versions = await store.listVersions(ruleset);
        expect(versions.map((v) => [v.version, v.parentVersion])).toEqual([
          [3, 2],
          [2, 1],
          [1, null],
        ]);
        const v2 = await store.getVersion(ruleset, 2);
        expect(v2?.source).toBe('b');
        expect(v2?.hash).toBe(sha256Hex('b'));
        expect(v2?.message).toBe('publish b');
        expect((await store.latestVersion(ruleset))?.version).toBe(3);
        expect(await store.getVersion(ruleset, 4)).toBeNull();
        expect(await store.latestVersion(unique('none'))).toBeNull();
        const listed = (await store.listRulesets()).find((r) => r.name === ruleset);
        expect(listed?.latestVersion).toBe(3);
      });

      it('stores the compiled form and returns null when there is none', async () => {
        const ruleset = unique('compiled');
        await store.publishVersion({ ...publishInput(ruleset, 'x'), compiled: { rules: [{ name: 'r', w: 1.5 }] } });
        await store.publishVersion(publishInput(ruleset, 'y'));
        expect((await store.getVersion(ruleset, 1))?.compiled).toEqual({ rules: [{ name: 'r', w: 1.5 }] });
        expect((await store.getVersion(ruleset, 2))?.compiled).toBeNull();
      });

      it('returns the existing version when the same hash is published again', async () => {
        const ruleset = unique('idem');
        await store.publishVersion(publishInput(ruleset, 'a'));
        await store.publishVersion(publishInput(ruleset, 'b'));
        expect(await store.publishVersion(publishInput(ruleset, 'a'))).toEqual({ version: 1, created: false });
        expect(await store.publishVersion(publishInput(ruleset, 'b'))).toEqual({ version: 2, created: false });
        expect((await store.listVersions(ruleset)).length).toBe(2);
        const audits = await store.listAuditEvents({ ruleset, action: 'version.publish' });
        expect(audits.items.length).toBe(2);
      });

      it('rejects a publish whose expected parent is not the latest version', async () => {
        const ruleset = unique('stale');
        expect(await store.publishVersion(publishInput(ruleset, 'a', { expectedParent: null }))).toEqual({
          version: 1,
          created: true,
        });
        await store.publishVersion(publishInput(ruleset, 'b', { expectedParent: 1 }));
        const error = await store.publishVersion(publishInput(ruleset, 'c', { expectedParent: 1 })).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StaleParentError);
        expect(error).toMatchObject({ ruleset, expected: 1, actual: 2 });
        expect((await store.latestVersion(ruleset))?.version).toBe(2);
        expect(await store.publishVersion(publishInput(ruleset, 'c', { expectedParent: 2 }))).toEqual({
          version: 3,
          created: true,
        });
        const fresh = unique('stale_new');
        await expect(store.publishVersion(publishInput(fresh, 'a', { expectedParent: 1 }))).rejects.toBeInstanceOf(
          StaleParentError,
        );
      });

      it(
        'numbers 20 concurrent publishes 1..20 without gaps or duplicates',
        async () => {
          const ruleset = unique('concurrent');
          const results = await Promise.all(
            Array.from({ length: 20 }, (_, i) => store.publishVersion(publishInput(ruleset, `source ${i}`))),
          );
          expect(results.every((r) => r.created)).toBe(true);
          expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
          const versions = await store.listVersions(ruleset);
          expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
          for (const v of versions) expect(v.parentVersion).toBe(v.version === 1 ? null : v.version - 1);
        },
        SLOW,
      );

      it(
        'creates one version when the same source is published concurrently',
        async () => {
          const ruleset = unique('concurrent_same');
          const results = await Promise.all(
            Array.from({ length: 10 }, () => store.publishVersion(publishInput(ruleset, 'same'))),
          );
          expect(results.filter((r) => r.created).length).toBe(1);
          expect(new Set(results.map((r) => r.version))).toEqual(new Set([1]));
        },
        SLOW,
      );
    });

    describe('channels', () => {
      it('runs a change\'s guard under the lock with the state as it is; a guard that throws writes nothing', async () => {
        const ruleset = unique('chan_guard');
        await store.publishVersion(publishInput(ruleset, 'one'));
        await store.publishVersion(publishInput(ruleset, 'two'));
        await store.moveChannel(ruleset, 'production', 1, 'ana');
        await store.setChannelParams(ruleset, 'production', { limit: 5 }, 'ana');
        const seen: unknown[] = [];
        const moved = await store.moveChannel(ruleset, 'production', 2, 'ana', undefined, (current, next) => seen.push([current?.version, current?.params, next]));
        expect(seen).toEqual([[1, { limit: 5 }, { version: 2, params: { limit: 5 } }]]);
        const audits = (await store.listAuditEvents({ ruleset })).items.length;
        class Refused extends Error {}
        for (const attempt of [
          () => store.patchChannelParams(ruleset, 'production', { limit: 6 }, 'bob', undefined, (current) => { if (current?.version === 2) throw new Refused('moved'); }),
          () => store.setChannelParams(ruleset, 'production', {}, 'bob', undefined, () => { throw new Refused('no'); }),
          () => store.moveChannel(ruleset, 'production', 1, 'bob', undefined, (_current, next) => { if (next.params['limit'] === 5) throw new Refused('params'); }),
        ]) {
          await expect(attempt()).rejects.toBeInstanceOf(Refused);
        }
        expect(await store.getChannel(ruleset, 'production')).toEqual(moved);
        expect((await store.listAuditEvents({ ruleset })).items.length).toBe(audits);
      });

      it('moves, sets params and rolls back as new revisions with audit events', async () => {
        const ruleset = unique('chan');
        for (const source of ['one', 'two']) await store.publishVersion(publishInput(ruleset, source));
        expect(await store.getChannel(ruleset, 'production')).toBeNull();

        const r1 = await store.moveChannel(ruleset, 'production', 1, 'ana', 'first release');
        expect(r1).toMatchObject({ revision: 1, version: 1, params: {}, author: 'ana', reason: 'first release' });
        const r2 = await store.setChannelParams(ruleset, 'production', { max_value: 10, mode: 'B' }, 'bob');
        expect(r2).toMatchObject({ revision: 2, version: 1, params: { max_value: 10, mode: 'B' } });
        const r3 = await store.moveChannel(ruleset, 'production', 2, 'ana');
        expect(r3).toMatchObject({ revision: 3, version: 2, params: { max_value: 10, mode: 'B' } });
        const r4 = await store.setChannelParams(ruleset, 'production', { max_value: 20 }, 'bob');
        expect(r4).toMatchObject({ revision: 4, version: 2, params: { max_value: 20 } });

        const r5 = await store.rollbackChannel(ruleset, 'production', 2, 'carol');
        expect(r5).toMatchObject({ revision: 5, version: 1, params: { max_value: 10, mode: 'B' }, author: 'carol' });
        expect(r5.reason).toContain('revision 2');
        expect(await store.getChannel(ruleset, 'production')).toEqual(r5);

        const history = await store.channelHistory(ruleset, 'production');
        expect(history.map((h) => [h.revision, h.version])).toEqual([
          [5, 1],
          [4, 2],
          [3, 2],
          [2, 1],
          [1, 1],
        ]);

        const audits = (await store.listAuditEvents({ ruleset })).items;
        expect(audits.map((a) => a.action)).toEqual([
          'channel.rollback',
          'channel.params',
          'channel.move',
          'channel.params',
          'channel.move',
          'version.publish',
          'version.publish',
        ]);
        expect(audits[0]).toMatchObject({
          actor: 'carol',
          channel: 'production',
          detail: {
            old: { revision: 4, version: 2, params: { max_value: 20 } },
            new: { revision: 5, version: 1, params: { max_value: 10, mode: 'B' } },
          },
        });
        expect(audits[4]?.detail.old).toBeNull();

        await store.moveChannel(ruleset, 'staging', 2, 'ana');
        expect((await store.listChannels(ruleset)).map((c) => [c.channel, c.revision, c.version])).toEqual([
          ['production', 5, 1],
          ['staging', 1, 2],
        ]);
      });

      it('patches params atomically, removing keys set to null', async () => {
        const ruleset = unique('chan_patch');
        await store.publishVersion(publishInput(ruleset, 'one'));
        await store.moveChannel(ruleset, 'production', 1, 'ana');
        await store.setChannelParams(ruleset, 'production', { keep: 1, drop: 2 }, 'ana');
        await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.patchChannelParams(ruleset, 'production', { [`k${i}`]: i }, 'ana')),
        );
        const patched = await store.patchChannelParams(ruleset, 'production', { drop: null, keep: 3 }, 'bob');
        expect(patched.revision).toBe(11);
        expect(patched.params).toEqual({ keep: 3, k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7 });
        await expect(store.patchChannelParams(ruleset, 'staging', { a: 1 }, 'ana')).rejects.toMatchObject({
          kind: 'channel',
        });
      });

      it('refuses unknown versions, channels and revisions without writing anything', async () => {
        const ruleset = unique('chan_err');
        await store.publishVersion(publishInput(ruleset, 'one'));
        await expect(store.moveChannel(ruleset, 'production', 2, 'ana')).rejects.toMatchObject({ kind: 'version' });
        await expect(store.moveChannel(unique('missing'), 'production', 1, 'ana')).rejects.toMatchObject({
          kind: 'ruleset',
        });
        await expect(store.setChannelParams(ruleset, 'production', { a: 1 }, 'ana')).rejects.toBeInstanceOf(NotFoundError);
        await store.moveChannel(ruleset, 'production', 1, 'ana');
        await expect(store.rollbackChannel(ruleset, 'production', 7, 'ana')).rejects.toMatchObject({ kind: 'revision' });
        expect((await store.channelHistory(ruleset, 'production')).length).toBe(1);
        const actions = (await store.listAuditEvents({ ruleset })).items.map((a) => a.action);
        expect(actions).toEqual(['channel.move', 'version.publish']);
      });
    });

    decisionLogSuite({ store: () => store, peer: harness.openPeer ? peer : null });

    describe('audit', () => {
      it('records custom events and pages them newest first', async () => {
        const ruleset = unique('audit');
        for (const n of [1, 2, 3]) {
          await store.recordAudit({ actor: 'ops', action: 'custom.step', ruleset, detail: { new: { n } } });
        }
        const first = await store.listAuditEvents({ ruleset, limit: 2 });
        expect(first.items.map((e) => e.detail.new)).toEqual([{ n: 3 }, { n: 2 }]);
        const second = await store.listAuditEvents({ ruleset, limit: 2, cursor: first.nextCursor ?? '' });
        expect(second.items.map((e) => e.detail.new)).toEqual([{ n: 1 }]);
        expect(second.nextCursor).toBeNull();
      });
    });

    describe('api keys', () => {
      it('stores only the hash, finds active keys and revokes them', async () => {
        expect(await store.hasAnyAdminKey()).toBe(false);
        const reader = await store.createApiKey({ name: 'reader', scopes: ['read', 'evaluate'] });
        expect(await store.hasAnyAdminKey()).toBe(false);
        const admin = await store.createApiKey({ name: 'root', scopes: ['admin'], actor: 'setup' });
        expect(admin.key).toMatch(/^vd_[A-Za-z0-9_-]{40,}$/);
        expect(admin.key).not.toBe(reader.key);
        expect(await store.hasAnyAdminKey()).toBe(true);

        const stored = await store.unsafeQuery('select * from api_keys where id = $1', [admin.id]);
        expect(stored[0]?.['hash']).toBe(sha256Hex(admin.key));
        expect(JSON.stringify(await store.unsafeQuery('select * from api_keys'))).not.toContain(admin.key);

        expect(await store.findApiKey(reader.key)).toEqual({ id: reader.id, name: 'reader', scopes: ['read', 'evaluate'] });
        expect(await store.findApiKey(`${admin.key}x`)).toBeNull();
        expect(await store.findApiKey('not a key')).toBeNull();

        expect(await store.revokeApiKey(admin.id, 'setup')).toBe(true);
        expect(await store.revokeApiKey(admin.id)).toBe(false);
        expect(await store.findApiKey(admin.key)).toBeNull();
        expect(await store.hasAnyAdminKey()).toBe(false);
        const listed = await store.listApiKeys();
        expect(listed.find((k) => k.id === admin.id)?.revokedAt).toBeInstanceOf(Date);
        expect(listed.find((k) => k.id === reader.id)?.revokedAt).toBeNull();

        const actions = (await store.listAuditEvents({ limit: 1000 })).items
          .filter((e) => e.action.startsWith('api_key.'))
          .map((e) => e.action);
        expect(actions).toEqual(['api_key.revoke', 'api_key.create', 'api_key.create']);
        // @ts-expect-error unknown scopes are refused at runtime too
        await expect(store.createApiKey({ name: 'x', scopes: ['root'] })).rejects.toThrow(/scope/);
      });
    });

    describe('change notifications', () => {
      it('notifies listeners after commits, in order, and not after unsubscribing', async () => {
        const listener = harness.openPeer ? await peer() : store;
        const recorder = eventRecorder();
        const unsubscribe = await listener.listen(recorder.onChange);
        const control = eventRecorder();
        const unsubscribeControl = await listener.listen(control.onChange);

        const ruleset = unique('notify');
        await store.publishVersion(publishInput(ruleset, 'a'));
        await expect(store.publishVersion(publishInput(ruleset, 'b', { expectedParent: 7 }))).rejects.toBeInstanceOf(
          StaleParentError,
        );
        await store.moveChannel(ruleset, 'production', 1, 'ana');
        await store.setChannelParams(ruleset, 'production', { a: 1 }, 'ana');
        await recorder.next((e) => e.ruleset === ruleset && e.kind === 'params');
        expect(recorder.events.filter((e) => e.ruleset === ruleset)).toEqual([
          { kind: 'version', ruleset, version: 1 },
          { kind: 'channel', ruleset, channel: 'production', version: 1, revision: 1 },
          { kind: 'params', ruleset, channel: 'production', version: 1, revision: 2 },
        ]);

        await unsubscribe();
        await store.publishVersion(publishInput(ruleset, 'c'));
        await control.next((e) => e.ruleset === ruleset && e.kind === 'version' && e.version === 2);
        expect(recorder.events.filter((e) => e.ruleset === ruleset).length).toBe(3);
        await unsubscribeControl();
      }, SLOW);
    });
  });
}
