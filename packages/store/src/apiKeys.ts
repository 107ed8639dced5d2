import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from './audit.ts';
import type { Db } from './db.ts';
import { sha256Hex } from './hash.ts';
import { apiKeys } from './schema.ts';
import { API_SCOPES, type ApiKeyInfo, type ApiKeyStatus, type ApiScope, type CreatedApiKey } from './types.ts';

const KEY_PREFIX = 'vd_';

function knownScopes(scopes: readonly string[]): ApiScope[] {
  return scopes.filter((scope): scope is ApiScope => (API_SCOPES as readonly string[]).includes(scope));
}

export async function createApiKey(
  db: Db,
  input: { name: string; scopes: ApiScope[]; actor?: string; key?: string },
): Promise<CreatedApiKey> {
  const unknown = input.scopes.filter((scope) => !(API_SCOPES as readonly string[]).includes(scope));
  if (unknown.length > 0) throw new TypeError(`unknown API key scope \`${unknown.join('`, `')}\``);
  const id = randomUUID();
  // A caller-chosen key (the operator's VERDICT_ADMIN_KEY) is stored the same way: only its hash.
  const key = input.key ?? KEY_PREFIX + randomBytes(32).toString('base64url');
  if (key.length < 16) throw new TypeError('an API key needs at least 16 characters');
  const scopes = [...new Set(input.scopes)];
  await db.transaction(async (tx) => {
    await tx.insert(apiKeys).values({ id, name: input.name, hash: sha256Hex(key), scopes });
    await recordAudit(tx, {
      actor: input.actor ?? 'system',
      action: 'api_key.create',
      detail: { new: { id, name: input.name, scopes } },
    });
  });
  return { id, key };
}

/** The active (not revoked) key with this plain text, or null. */
export async function findApiKey(
  db: Db,
  plainKey: string,
): Promise<{ id: string; name: string; scopes: ApiScope[] } | null> {
  if (plainKey.length < 16 || plainKey.length > 512) return null;
  const [row] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, sha256Hex(plainKey)), isNull(apiKeys.revokedAt)));
  return row ? { ...row, scopes: knownScopes(row.scopes) } : null;
}

/** Whether a key with this plain text was ever created, and if so whether it was revoked since (no key is ever deleted). */
export async function apiKeyStatus(db: Db, plainKey: string): Promise<ApiKeyStatus> {
  const [row] = await db.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.hash, sha256Hex(plainKey)));
  if (!row) return 'unknown';
  return row.revokedAt === null ? 'active' : 'revoked';
}

export async function revokeApiKey(db: Db, id: string, actor = 'system'): Promise<boolean> {
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name });
    const row = revoked[0];
    if (!row) return false;
    await recordAudit(tx, { actor, action: 'api_key.revoke', detail: { old: { id: row.id, name: row.name } } });
    return true;
  });
}

export async function listApiKeys(db: Db): Promise<ApiKeyInfo[]> {
  const rows = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(desc(apiKeys.createdAt), apiKeys.id);
  return rows.map((row) => ({ ...row, scopes: knownScopes(row.scopes) }));
}

export async function hasAnyAdminKey(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(isNull(apiKeys.revokedAt), sql`'admin' = any(${apiKeys.scopes})`))
    .limit(1);
  return row !== undefined;
}
