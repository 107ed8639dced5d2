import { execFileSync } from 'node:child_process';
import { UsageError } from './io.ts';
import { POLICY_EXTENSION, type SourceFile } from './files.ts';

function git(args: string[], cwd: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new UsageError(`git ${args.join(' ')} failed: ${stderr.trim() || String(error)}`);
  }
}

/** Whether `spec` names a git revision in the repository at `cwd`. */
export function isRevision(spec: string, cwd: string): boolean {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${spec}^{commit}`], { cwd, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The `.policy` files under `paths` as they are at `revision`. */
export function policyFilesAt(revision: string, paths: string[], cwd: string): SourceFile[] {
  const prefix = git(['rev-parse', '--show-prefix'], cwd).trim();
  const listed = git(['ls-tree', '-r', '--name-only', '--full-tree', revision, '--', ...(paths.length > 0 ? paths.map((p) => prefix + p) : [prefix || '.'])], cwd)
    .split('\n')
    .filter((name) => name.endsWith(POLICY_EXTENSION));
  return listed.map((name) => ({
    display: `${revision}:${name}`,
    path: name,
    revision,
    text: git(['show', `${revision}:${name}`], cwd),
  }));
}
