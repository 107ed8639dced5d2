// Drizzle schema for the Verdict store. Migrations under ../drizzle are
// generated from this file with `npx drizzle-kit generate` (run in packages/store).
import {
  bigint,
  bigserial,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const rulesets = pgTable('rulesets', {
  name: text('name').primaryKey(),
  description: text('description'),
  createdAt: createdAt(),
});

/** Immutable published versions: numbered 1, 2, 3 ... per ruleset without gaps. */
export const rulesetVersions = pgTable(
  'ruleset_versions',
  {
    ruleset: text('ruleset')
      .notNull()
      .references(() => rulesets.name),
    version: integer('version').notNull(),
    source: text('source').notNull(),
    hash: text('hash').notNull(),
    compiled: jsonb('compiled').$type<unknown>(),
    author: text('author').notNull(),
    message: text('message').notNull().default(''),
    parentVersion: integer('parent_version'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ruleset, t.version] }),
    // One version per canonical source: publishing it again returns the existing version.
    uniqueIndex('ruleset_versions_ruleset_hash_idx').on(t.ruleset, t.hash),
  ],
);

/** Named pointer; the state lives in the revision row `current_revision`. */
export const channels = pgTable(
  'channels',
  {
    ruleset: text('ruleset')
      .notNull()
      .references(() => rulesets.name),
    name: text('name').notNull(),
    currentRevision: integer('current_revision').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ruleset, t.name] })],
);

export const channelRevisions = pgTable(
  'channel_revisions',
  {
    ruleset: text('ruleset').notNull(),
    channel: text('channel').notNull(),
    revision: integer('revision').notNull(),
    version: integer('version').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    author: text('author').notNull(),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ruleset, t.channel, t.revision] }),
    foreignKey({ columns: [t.ruleset, t.channel], foreignColumns: [channels.ruleset, channels.name] }),
    foreignKey({ columns: [t.ruleset, t.version], foreignColumns: [rulesetVersions.ruleset, rulesetVersions.version] }),
  ],
);

/**
 * Append-only decision log with a hash chain: row_hash = sha256(prev_hash + canonical
 * JSON of the row content), so editing or deleting a row breaks the chain.
 * No foreign keys: the log must outlive anything it mentions.
 */
export const decisionLog = pgTable(
  'decision_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    // A unique constraint (not just an index) so violations can reference it.
    id: text('id').notNull().unique('decision_log_id_unique'),
    ruleset: text('ruleset').notNull(),
    version: integer('version').notNull(),
    channel: text('channel'),
    decision: text('decision').notNull(),
    violatedRules: jsonb('violated_rules').$type<string[]>().notNull().default([]),
    outputs: jsonb('outputs').$type<Record<string, unknown>>().notNull().default({}),
    durationUs: integer('duration_us').notNull(),
    input: jsonb('input').$type<unknown>(),
    inputHash: text('input_hash'),
    prevHash: text('prev_hash').notNull(),
    rowHash: text('row_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('decision_log_ruleset_seq_idx').on(t.ruleset, t.seq),
    index('decision_log_ruleset_channel_seq_idx').on(t.ruleset, t.channel, t.seq),
    index('decision_log_decision_seq_idx').on(t.decision, t.seq),
    index('decision_log_created_at_idx').on(t.createdAt),
    index('decision_log_violated_rules_idx').using('gin', t.violatedRules),
  ],
);

/**
 * The decision log's head: the seq and row_hash of its last row, written in the same transaction
 * as the rows. The chain itself cannot show rows deleted from its end (what is left still links
 * up); `verifyChain` checks the log still reaches its head. One row, id 1.
 */
export const decisionLogHead = pgTable('decision_log_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  rowHash: text('row_hash').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const violations = pgTable(
  'violations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    decisionId: text('decision_id')
      .notNull()
      .references(() => decisionLog.id),
    ruleset: text('ruleset').notNull(),
    rule: text('rule').notNull(),
    severity: text('severity').notNull(),
    message: text('message').notNull().default(''),
    resolved: boolean('resolved').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index('violations_decision_id_idx').on(t.decisionId),
    index('violations_ruleset_id_idx').on(t.ruleset, t.id),
    index('violations_rule_id_idx').on(t.rule, t.id),
    index('violations_created_at_idx').on(t.createdAt),
  ],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    ruleset: text('ruleset'),
    channel: text('channel'),
    detail: jsonb('detail').$type<{ old?: unknown; new?: unknown }>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_events_ruleset_id_idx').on(t.ruleset, t.id)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** sha256 hex of the plain key; the key itself is never stored. */
    hash: text('hash').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('api_keys_hash_idx').on(t.hash)],
);
