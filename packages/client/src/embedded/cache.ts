/**
 * The last good version of a followed channel, kept on disk (opt-in) so a service restarted
 * while the server is away still decides with what it last synced.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Snapshot {
  ruleset: string;
  channel: string;
  version: number;
  hash: string;
  revision: number;
  source: string;
  /** The channel's param overrides, as the server reports them. */
  params: Record<string, unknown>;
  synced_at: string;
}

/** One file per ruleset and channel; names are made safe for any file system. */
export function snapshotPath(dir: string, ruleset: string, channel: string): string {
  return join(dir, `${encodeURIComponent(ruleset)}@${encodeURIComponent(channel)}.json`);
}

/** Writes through a temporary file and a rename, so a crash mid-write never leaves a torn snapshot. */
export async function saveSnapshot(dir: string, snapshot: Snapshot): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = snapshotPath(dir, snapshot.ruleset, snapshot.channel);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(snapshot));
  await rename(temporary, path);
}

/** The snapshot, or null when there is none or it cannot be read as one. */
export async function loadSnapshot(dir: string, ruleset: string, channel: string): Promise<Snapshot | null> {
  let text: string;
  try {
    text = await readFile(snapshotPath(dir, ruleset, channel), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Snapshot>;
    const valid =
      parsed.ruleset === ruleset &&
      parsed.channel === channel &&
      typeof parsed.version === 'number' &&
      typeof parsed.hash === 'string' &&
      typeof parsed.revision === 'number' &&
      typeof parsed.source === 'string' &&
      parsed.params !== null &&
      typeof parsed.params === 'object';
    return valid ? (parsed as Snapshot) : null;
  } catch {
    return null;
  }
}
