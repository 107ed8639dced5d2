import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '@verdict/store';
import { UsageError, type CommandIO } from '../io.ts';

/** `verdict audit verify`: recompute the decision log's hash chain and name the first row that breaks it. */
export async function runAudit(argv: string[], io: CommandIO, env: Record<string, string | undefined> = process.env): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' } } });
  if (positionals[0] !== 'verify' || positionals.length !== 1) throw new UsageError('the audit subcommand is `verify`');
  const url = values['database-url'] ?? env['DATABASE_URL'];
  const store = await openStore(url ? { url } : { dataDir: resolve(io.cwd, values['data-dir'] ?? env['VERDICT_DATA_DIR'] ?? '.verdict') });
  try {
    const result = await store.verifyChain();
    if (result.ok) {
      io.stdout(`decision log intact: ${result.rows} row${result.rows === 1 ? '' : 's'} verified\n`);
      return 0;
    }
    io.stdout(`decision log BROKEN at seq ${result.firstBrokenSeq}: ${result.reason} (${result.rows} rows checked)\n`);
    return 1;
  } finally {
    await store.close();
  }
}
