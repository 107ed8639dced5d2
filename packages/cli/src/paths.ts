import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';

/** The top of the git work tree holding `cwd`, or null outside one. */
export function repositoryRoot(cwd: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * A path as a pull-request comment may show it: relative to the repository (else to the
 * working directory); a file outside both is shown by its name only, never by an absolute
 * local path.
 */
export function shareablePath(path: string, cwd: string, root: string | null): string {
  const absolute = real(isAbsolute(path) ? path : resolve(cwd, path));
  for (const base of [root, real(cwd)]) {
    if (base === null) continue;
    const rel = relative(base, absolute);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split('\\').join('/');
  }
  return basename(absolute);
}

/** Symlinks resolved (git reports the work tree that way), or the path as it is when it does not exist. */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
