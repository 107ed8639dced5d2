/** Talking to a Verdict server from the CLI: base URL and key from flags or the environment, errors printed plainly. */
import { UsageError, type CommandIO } from '../io.ts';

export interface Remote {
  server: string;
  key: string;
}

export function remoteFrom(values: { server?: string | undefined; key?: string | undefined }, env: Record<string, string | undefined> = process.env): Remote {
  const server = values.server ?? env['VERDICT_SERVER'];
  const key = values.key ?? env['VERDICT_KEY'];
  if (server === undefined) throw new UsageError('--server URL is required (or set VERDICT_SERVER)');
  if (key === undefined) throw new UsageError('--key KEY is required (or set VERDICT_KEY)');
  return { server: server.replace(/\/+$/, ''), key };
}

export async function call(remote: Remote, method: string, path: string, body: unknown, io: CommandIO): Promise<{ ok: boolean; status: number; json: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetch(remote.server + path, {
      method,
      headers: { authorization: `Bearer ${remote.key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    io.stderr(`cannot reach ${remote.server}: ${error instanceof Error ? error.message : String(error)}\n`);
    return { ok: false, status: 0, json: {} };
  }
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { raw: text };
  }
  if (!response.ok) {
    const error = (json['error'] ?? {}) as { code?: string; message?: string; details?: Array<{ path?: string; message: string; hint?: string; test?: string; line?: number }> };
    io.stderr(`${response.status} ${error.code ?? 'error'}: ${error.message ?? text}\n`);
    for (const d of error.details ?? []) {
      const where = d.test !== undefined ? `test "${d.test}"${d.line === undefined ? '' : ` (line ${d.line})`}: ` : d.path ? `${d.path}: ` : '';
      io.stderr(`  ${where}${d.message}${d.hint ? ` (${d.hint})` : ''}\n`);
    }
  }
  return { ok: response.ok, status: response.status, json };
}
