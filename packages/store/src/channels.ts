import { and, desc, eq, type SQL } from 'drizzle-orm';
import { recordAudit } from './audit.ts';
import { notifyChange, type Db } from './db.ts';
import { NotFoundError } from './errors.ts';
import { channelRevisions, channels, rulesets, rulesetVersions } from './schema.ts';
import type { ChannelGuard, ChannelState, ChangeEvent, Params } from './types.ts';

const stateColumns = {
  ruleset: channelRevisions.ruleset,
  channel: channelRevisions.channel,
  revision: channelRevisions.revision,
  version: channelRevisions.version,
  params: channelRevisions.params,
  author: channelRevisions.author,
  reason: channelRevisions.reason,
  createdAt: channelRevisions.createdAt,
};

function currentState(db: Db, where: SQL | undefined) {
  return db
    .select(stateColumns)
    .from(channels)
    .innerJoin(
      channelRevisions,
      and(
        eq(channelRevisions.ruleset, channels.ruleset),
        eq(channelRevisions.channel, channels.name),
        eq(channelRevisions.revision, channels.currentRevision),
      ),
    )
    .where(where)
    .orderBy(channels.ruleset, channels.name);
}

export async function getChannel(db: Db, ruleset: string, channel: string): Promise<ChannelState | null> {
  const [row] = await currentState(db, and(eq(channels.ruleset, ruleset), eq(channels.name, channel)));
  return row ?? null;
}

export async function listChannels(db: Db, ruleset?: string): Promise<ChannelState[]> {
  return currentState(db, ruleset === undefined ? undefined : eq(channels.ruleset, ruleset));
}

export async function channelHistory(db: Db, ruleset: string, channel: string, limit = 100): Promise<ChannelState[]> {
  return db
    .select(stateColumns)
    .from(channelRevisions)
    .where(and(eq(channelRevisions.ruleset, ruleset), eq(channelRevisions.channel, channel)))
    .orderBy(desc(channelRevisions.revision))
    .limit(limit);
}

/** What a change's `next` returns when it leaves an existing channel as it is. */
const UNCHANGED = Symbol('unchanged');

interface Change {
  /**
   * Computes the new revision's version and params from the current state (null: channel has none
   * yet), or returns `UNCHANGED` to keep the current revision (no revision, no audit event).
   */
  next(current: ChannelState | null, tx: Db): Promise<{ version: number; params: Params } | typeof UNCHANGED>;
  action: string;
  kind: ChangeEvent['kind'];
  actor: string;
  reason: string | null;
  guard?: ChannelGuard | undefined;
}

/**
 * Appends a revision to a channel under a row lock on the channel (unless the change leaves it as it is), records the
 * audit event and queues the change notification, all in one transaction.
 */
async function changeChannel(db: Db, ruleset: string, channel: string, change: Change): Promise<ChannelState> {
  return db.transaction(async (tx) => {
    const [rulesetRow] = await tx.select({ name: rulesets.name }).from(rulesets).where(eq(rulesets.name, ruleset));
    if (!rulesetRow) throw new NotFoundError('ruleset', `ruleset \`${ruleset}\` does not exist`);
    await tx.insert(channels).values({ ruleset, name: channel, currentRevision: 0 }).onConflictDoNothing();
    const [locked] = await tx
      .select({ currentRevision: channels.currentRevision })
      .from(channels)
      .where(and(eq(channels.ruleset, ruleset), eq(channels.name, channel)))
      .for('update');
    const currentRevision = locked?.currentRevision ?? 0;
    const current = currentRevision === 0 ? null : await getChannel(tx, ruleset, channel);

    const next = await change.next(current, tx);
    if (next === UNCHANGED) {
      if (current === null) throw new Error('a change to a channel that does not exist yet cannot be a no-op');
      return current;
    }
    change.guard?.(current, next);
    const { version, params } = next;
    const revision = currentRevision + 1;
    const [row] = await tx
      .insert(channelRevisions)
      .values({ ruleset, channel, revision, version, params, author: change.actor, reason: change.reason })
      .returning(stateColumns);
    if (!row) throw new Error('channel revision insert returned no row');
    await tx
      .update(channels)
      .set({ currentRevision: revision, updatedAt: row.createdAt })
      .where(and(eq(channels.ruleset, ruleset), eq(channels.name, channel)));
    await recordAudit(tx, {
      actor: change.actor,
      action: change.action,
      ruleset,
      channel,
      detail: {
        old: current === null ? null : { revision: current.revision, version: current.version, params: current.params },
        new: { revision, version, params },
      },
    });
    await notifyChange(tx, { kind: change.kind, ruleset, channel, version, revision });
    return row;
  });
}

async function requireVersion(tx: Db, ruleset: string, version: number): Promise<void> {
  const [row] = await tx
    .select({ version: rulesetVersions.version })
    .from(rulesetVersions)
    .where(and(eq(rulesetVersions.ruleset, ruleset), eq(rulesetVersions.version, version)));
  if (!row) throw new NotFoundError('version', `ruleset \`${ruleset}\` has no version ${version}`);
}

export function moveChannel(
  db: Db,
  ruleset: string,
  channel: string,
  version: number,
  actor: string,
  reason?: string,
  guard?: ChannelGuard,
): Promise<ChannelState> {
  return changeChannel(db, ruleset, channel, {
    action: 'channel.move',
    kind: 'channel',
    actor,
    reason: reason ?? null,
    guard,
    async next(current, tx) {
      await requireVersion(tx, ruleset, version);
      // already there: no revision, no audit event (as for a params patch that changes nothing)
      if (current !== null && current.version === version) return UNCHANGED;
      return { version, params: current?.params ?? {} };
    },
  });
}

/** Params change on a channel that exists (a move creates it). */
function existing(current: ChannelState | null, ruleset: string, channel: string): asserts current is ChannelState {
  if (current === null) throw new NotFoundError('channel', `channel \`${channel}\` of \`${ruleset}\` does not exist: move it to a version first`);
}

export function setChannelParams(
  db: Db,
  ruleset: string,
  channel: string,
  params: Params,
  actor: string,
  reason?: string,
  guard?: ChannelGuard,
): Promise<ChannelState> {
  return changeChannel(db, ruleset, channel, {
    action: 'channel.params',
    kind: 'params',
    actor,
    reason: reason ?? null,
    guard,
    async next(current) {
      existing(current, ruleset, channel);
      return sameJson(params, current.params) ? UNCHANGED : { version: current.version, params };
    },
  });
}

/**
 * Merges `patch` into the current params under the channel lock (so two patches
 * cannot lose each other's keys); a key whose value is null is removed (JSON merge patch, one level).
 * A patch that changes nothing (removing an absent key, setting a key to its value) makes no revision
 * and answers the current state.
 */
export function patchChannelParams(
  db: Db,
  ruleset: string,
  channel: string,
  patch: Params,
  actor: string,
  reason?: string,
  guard?: ChannelGuard,
): Promise<ChannelState> {
  return changeChannel(db, ruleset, channel, {
    action: 'channel.params',
    kind: 'params',
    actor,
    reason: reason ?? null,
    guard,
    async next(current) {
      existing(current, ruleset, channel);
      const params: Params = { ...current.params };
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete params[key];
        else params[key] = value;
      }
      return sameJson(params, current.params) ? UNCHANGED : { version: current.version, params };
    },
  });
}

export function rollbackChannel(
  db: Db,
  ruleset: string,
  channel: string,
  toRevision: number,
  actor: string,
  reason?: string,
): Promise<ChannelState> {
  return changeChannel(db, ruleset, channel, {
    action: 'channel.rollback',
    kind: 'channel',
    actor,
    reason: reason ?? `rollback to revision ${toRevision}`,
    async next(_current, tx) {
      const [target] = await tx
        .select({ version: channelRevisions.version, params: channelRevisions.params })
        .from(channelRevisions)
        .where(
          and(
            eq(channelRevisions.ruleset, ruleset),
            eq(channelRevisions.channel, channel),
            eq(channelRevisions.revision, toRevision),
          ),
        );
      if (!target) {
        throw new NotFoundError('revision', `channel \`${channel}\` of \`${ruleset}\` has no revision ${toRevision}`);
      }
      return target;
    },
  });
}

/** Equal as JSON values: objects compare key by key whatever their key order (jsonb does not keep it). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  return aKeys.length === Object.keys(b).length && aKeys.every((key) => Object.hasOwn(bRecord, key) && sameJson((a as Record<string, unknown>)[key], bRecord[key]));
}
