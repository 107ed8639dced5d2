import { parseArgs } from 'node:util';
import { UsageError, type CommandIO } from '../io.ts';
import { call, remoteFrom } from './remote.ts';

/** `verdict promote`: point a channel at a version (a new revision; roll back by promoting an earlier version). */
export async function runPromote(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { server: { type: 'string' }, key: { type: 'string' }, channel: { type: 'string' }, reason: { type: 'string' } },
  });
  if (positionals.length !== 2) throw new UsageError('give a ruleset name and a version');
  const [ruleset, versionText] = positionals as [string, string];
  const version = Number(versionText);
  if (!Number.isInteger(version) || version < 1) throw new UsageError(`\`${versionText}\` is not a version number`);
  if (values.channel === undefined) throw new UsageError('--channel NAME is required');
  const remote = remoteFrom(values);
  const moved = await call(remote, 'PUT', `/v1/rulesets/${encodeURIComponent(ruleset)}/channels/${encodeURIComponent(values.channel)}`, { version, ...(values.reason ? { reason: values.reason } : {}) }, io);
  if (!moved.ok) return 1;
  io.stdout(`${ruleset}: ${values.channel} -> version ${version} (revision ${String(moved.json['revision'])})\n`);
  return 0;
}
