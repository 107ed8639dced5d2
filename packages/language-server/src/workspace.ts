/**
 * The rulesets of the workspace folders: every `.policy` file found on start
 * (bounded), kept up to date from file events, so diagnostics and workspace
 * symbols cover rulesets that are not open. Open documents override disk.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MAX_FILES = 2000;
const SKIP = new Set(['node_modules', '.git', 'dist']);

export function policyFilesIn(folderUri: string): string[] {
  if (!folderUri.startsWith('file:')) return [];
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8 || found.length >= MAX_FILES) return;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      if (SKIP.has(name) || found.length >= MAX_FILES) continue;
      const path = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (isDir) walk(path, depth + 1);
      else if (name.endsWith('.policy')) found.push(pathToFileURL(path).href);
    }
  };
  walk(fileURLToPath(folderUri), 0);
  return found;
}

/** The text of a file URI on disk, or null when it cannot be read. */
export function readUri(uri: string): string | null {
  try {
    return readFileSync(fileURLToPath(uri), 'utf8');
  } catch {
    return null;
  }
}
