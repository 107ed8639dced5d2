import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { configFromEnv, ConfigError, startServer } from '@verdict/server';
import { UsageError, type CommandIO } from '../io.ts';

/**
 * `verdict serve`: the HTTP API (and the editor, when built) on the embedded
 * database, or PostgreSQL with --database-url / DATABASE_URL. Flags override
 * the environment (PORT, HOST, VERDICT_RULESETS, VERDICT_DATA_DIR, ...).
 * Runs until SIGTERM or SIGINT, then drains the decision log.
 */
export async function runServe(argv: string[], io: CommandIO, env: Record<string, string | undefined> = process.env): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      rulesets: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      editor: { type: 'string' },
    },
  });
  const merged = { ...env };
  if (values.port !== undefined) merged['PORT'] = values.port;
  if (values.host !== undefined) merged['HOST'] = values.host;
  if (values.rulesets !== undefined) merged['VERDICT_RULESETS'] = resolve(io.cwd, values.rulesets);
  if (values['data-dir'] !== undefined) merged['VERDICT_DATA_DIR'] = resolve(io.cwd, values['data-dir']);
  if (values['database-url'] !== undefined) merged['DATABASE_URL'] = values['database-url'];
  if (values.editor !== undefined) merged['VERDICT_EDITOR_DIR'] = resolve(io.cwd, values.editor);
  let config;
  try {
    config = configFromEnv(merged);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  if (config.rulesetsDir !== undefined && !existsSync(config.rulesetsDir)) throw new UsageError(`no such rulesets directory: ${config.rulesetsDir}`);
  const server = await startServer(config);
  io.stdout(`Verdict is listening on ${server.url}\n`);
  io.stdout(`  API reference  ${server.url}/docs\n`);
  if (config.editorDir !== undefined && existsSync(config.editorDir)) io.stdout(`  editor         ${server.url}/\n`);
  io.stdout(`  database       ${config.databaseUrl === undefined ? `embedded (${resolve(io.cwd, config.dataDir)})` : 'PostgreSQL'}\n`);
  if (server.generatedAdminKey !== null) {
    io.stdout(`\nFirst start: an admin API key was created. It is shown only this once; keep it:\n\n  ${server.generatedAdminKey}\n\n`);
  }
  await new Promise<never>(() => {});
  return 0;
}
