import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UsageError } from './io.ts';

export const POLICY_EXTENSION = '.policy';

export interface SourceFile {
  /** As shown to the user (relative to cwd when inside it). */
  display: string;
  path: string;
  text: string;
  /** The git revision the file was read at (then `path` is relative to the repository root). */
  revision?: string;
}

/** Expands files and directories (recursively) into `.policy` files, sorted, each read once. */
export function collectPolicyFiles(targets: string[], cwd: string): SourceFile[] {
  if (targets.length === 0) throw new UsageError('name at least one .policy file or directory');
  const paths = new Set<string>();
  for (const target of targets) {
    const path = resolve(cwd, target);
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new UsageError(`no such file or directory: ${target}`);
    }
    if (stats.isDirectory()) for (const file of walk(path)) paths.add(file);
    else paths.add(path);
  }
  return [...paths].sort().map((path) => {
    const rel = relative(cwd, path);
    return { path, display: rel.startsWith('..') ? path : rel, text: readFileSync(path, 'utf8') };
  });
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.name.endsWith(POLICY_EXTENSION)) out.push(path);
  }
  return out;
}
