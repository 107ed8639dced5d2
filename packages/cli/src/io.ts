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
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** A command's failure that is the user's to fix: printed as one line, exit code 2. */
export class UsageError extends Error {}
