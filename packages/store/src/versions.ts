import { and, desc, eq, max, sql } from 'drizzle-orm';
import { recordAudit } from './audit.ts';
import { notifyChange, type Db } from './db.ts';
import { StaleParentError } from './errors.ts';
import { rulesets, rulesetVersions } from './schema.ts';
import type { PublishInput, PublishResult, RulesetSummary, VersionRecord, VersionSummary } from './types.ts';

const summaryColumns = {
  ruleset: rulesetVersions.ruleset,
  version: rulesetVersions.version,
  hash: rulesetVersions.hash,
  author: rulesetVersions.author,
  message: rulesetVersions.message,
  parentVersion: rulesetVersions.parentVersion,
  createdAt: rulesetVersions.createdAt,
};

/**
 * Publishes a version. Numbering stays gapless under concurrency because every
 * publish of a ruleset locks its `rulesets` row (FOR UPDATE) before reading the
 * latest version; the version is inserted in the same transaction.
 */
export async function publishVersion(db: Db, input: PublishInput): Promise<PublishResult> {
  return db.transaction(async (tx) => {
    await tx
      .insert(rulesets)
      .values({ name: input.ruleset, description: input.description ?? null })
      .onConflictDoNothing();
    await tx.select({ name: rulesets.name }).from(rulesets).where(eq(rulesets.name, input.ruleset)).for('update');

    const [existing] = await tx
      .select({ version: rulesetVersions.version })
      .from(rulesetVersions)
      .where(and(eq(rulesetVersions.ruleset, input.ruleset), eq(rulesetVersions.hash, input.hash)));
    if (existing) return { version: existing.version, created: false };

    const [latestRow] = await tx
      .select({ latest: max(rulesetVersions.version) })
      .from(rulesetVersions)
      .where(eq(rulesetVersions.ruleset, input.ruleset));
    const latest = latestRow?.latest ?? null;
    if (input.expectedParent !== undefined && input.expectedParent !== latest) {
      throw new StaleParentError(input.ruleset, input.expectedParent, latest);
    }

    const version = (latest ?? 0) + 1;
    await tx.insert(rulesetVersions).values({
      ruleset: input.ruleset,
      version,
      source: input.source,
      hash: input.hash,
      compiled: input.compiled ?? null,
      author: input.author,
      message: input.message ?? '',
      parentVersion: latest,
    });
    await recordAudit(tx, {
      actor: input.author,
      action: 'version.publish',
      ruleset: input.ruleset,
      detail: {
        old: latest === null ? null : { version: latest },
        new: { version, hash: input.hash, ...(input.forced === undefined ? {} : { forced: { reason: input.forced.reason, failing_tests: input.forced.failingTests } }) },
      },
    });
    await notifyChange(tx, { kind: 'version', ruleset: input.ruleset, version });
    return { version, created: true };
  });
}

export async function listRulesets(db: Db): Promise<RulesetSummary[]> {
  const rows = await db
    .select({
      name: rulesets.name,
      description: rulesets.description,
      createdAt: rulesets.createdAt,
      latestVersion: sql<number | null>`(select max(${rulesetVersions.version}) from ${rulesetVersions} where ${rulesetVersions.ruleset} = ${rulesets.name})`,
    })
    .from(rulesets)
    .orderBy(rulesets.name);
  // The subquery comes back as a string from some drivers.
  return rows.map((row) => ({ ...row, latestVersion: row.latestVersion === null ? null : Number(row.latestVersion) }));
}

export async function listVersions(db: Db, ruleset: string): Promise<VersionSummary[]> {
  return db
    .select(summaryColumns)
    .from(rulesetVersions)
    .where(eq(rulesetVersions.ruleset, ruleset))
    .orderBy(desc(rulesetVersions.version));
}

export async function getVersion(db: Db, ruleset: string, version: number): Promise<VersionRecord | null> {
  const [row] = await db
    .select()
    .from(rulesetVersions)
    .where(and(eq(rulesetVersions.ruleset, ruleset), eq(rulesetVersions.version, version)));
  return row ?? null;
}

export async function latestVersion(db: Db, ruleset: string): Promise<VersionRecord | null> {
  const [row] = await db
    .select()
    .from(rulesetVersions)
    .where(eq(rulesetVersions.ruleset, ruleset))
    .orderBy(desc(rulesetVersions.version))
    .limit(1);
  return row ?? null;
}
