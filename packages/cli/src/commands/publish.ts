import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from '@verdict/language';
import { UsageError, type CommandIO } from '../io.ts';
import { call, remoteFrom } from './remote.ts';

/**
 * `verdict publish`: send a ruleset to a server as a new version (and optionally put it on a channel).
 * The server refuses a version whose own tests fail (422 tests_failed, each failing test printed);
 * `--force REASON` publishes it anyway and the reason goes into the audit log.
 */
export async function runPublish(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { server: { type: 'string' }, key: { type: 'string' }, message: { type: 'string' }, 'expected-parent': { type: 'string' }, channel: { type: 'string' }, force: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one .policy file');
  // Checked before anything is read or sent.
  const expectedParent = values['expected-parent'] === undefined ? undefined : parseExpectedParent(values['expected-parent']);
  const remote = remoteFrom(values);
  const path = resolve(io.cwd, positionals[0]!);
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`no such file: ${positionals[0]}`);
  }
  const name = parse(source).ast.name.name;
  if (name === '') throw new UsageError(`${positionals[0]} has no \`ruleset <name>\` header`);
  const body: Record<string, unknown> = { source, message: values.message ?? '' };
  if (expectedParent !== undefined) body['expected_parent'] = expectedParent;
  if (values.force !== undefined) {
    if (values.force.trim() === '') throw new UsageError('--force takes the reason for publishing although tests fail');
    body['force'] = { reason: values.force };
  }
  const published = await call(remote, 'POST', `/v1/rulesets/${encodeURIComponent(name)}/versions`, body, io);
  if (!published.ok) return 1;
  const version = published.json['version'] as number;
  io.stdout(`${name} version ${version}${published.json['created'] === false ? ' (unchanged: this source was already published)' : ''}\n`);
  if (values.channel !== undefined) {
    const moved = await call(remote, 'PUT', `/v1/rulesets/${encodeURIComponent(name)}/channels/${encodeURIComponent(values.channel)}`, { version, reason: values.message ?? 'verdict publish' }, io);
    if (!moved.ok) return 1;
    io.stdout(`${values.channel} -> version ${version} (revision ${String(moved.json['revision'])})\n`);
  }
  return 0;
}

/** A version number as the user wrote it: digits only, from 1 (`Number` would send NaN, as null, for `abc`). */
function parseExpectedParent(raw: string): number {
  const version = /^[1-9][0-9]*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(version)) throw new UsageError(`--expected-parent takes a version number (a whole number from 1), not ${JSON.stringify(raw)}`);
  return version;
}
