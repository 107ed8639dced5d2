/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout/stderr are terminals (colour, progress bars). */
  isTTY: boolean;
  /** The working directory paths are resolved against. */
  cwd: string;
  /** Standard input, read whole (for `--input -`). */
  readStdin: () => Promise<string>;
}

export function processIO(): CommandIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: startingDirectory(process.env),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** A command's failure that is the user's to fix: printed as one line, exit code 2. */
export class UsageError extends Error {}

/**
 * Where the user started the command. `pnpm verdict` (the repository's script) runs in the
 * workspace root; pnpm and npm keep the directory the user was in as INIT_CWD, and that is
 * the repository the user means.
 */
export function startingDirectory(env: Record<string, string | undefined>, cwd = process.cwd()): string {
  const init = env['INIT_CWD'];
  return env['npm_lifecycle_event'] === 'verdict' && init !== undefined && init !== '' ? init : cwd;
}
