import postgres from 'postgres';

/**
 * Why a PostgreSQL URL cannot be used, or null when `select 1` answers:
 * what a test run (or an operator's health check) asks before opening a store.
 */
export async function postgresUnreachableReason(url: string | undefined): Promise<string | null> {
  if (!url) return 'DATABASE_URL is not set';
  const admin = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await admin`select 1`;
    return null;
  } catch (error) {
    return `cannot connect to DATABASE_URL: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await admin.end({ timeout: 1 }).catch(() => {});
  }
}
