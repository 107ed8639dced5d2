/** The server's HTTP API, as the editor uses it. The key comes from session storage (asked for once). */
import type { ChannelState, VersionSummary } from '@verdict/client';

export type { ChannelState, VersionSummary };

export interface ApiErrorDetail {
  path?: string;
  message: string;
  code?: string;
  line?: number;
  column?: number;
  hint?: string;
  /** A failing test's name (422 `tests_failed`). */
  test?: string;
  failures?: string[];
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[],
  ) {
    super(message);
  }
}

export interface RulesetSummary {
  name: string;
  description: string | null;
  latest_version: number | null;
}

export interface ParamsView {
  channel: string;
  revision: number;
  values: Record<string, unknown>;
  overrides: Record<string, unknown>;
  declarations: Array<{ name: string; type: unknown; default: unknown; doc: string | null }>;
}

const KEY = 'verdict.apiKey';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, key);
}

/** Called on 401 so the shell can ask for a key again. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${storedKey() ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  const json: unknown = text === '' ? null : JSON.parse(text);
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; details?: ApiErrorDetail[] } } | null)?.error;
    if (response.status === 401) onUnauthorized();
    throw new ApiFailure(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`, error?.details ?? []);
  }
  return json as T;
}

const enc = encodeURIComponent;

export const api = {
  rulesets: () => call<{ items: RulesetSummary[] }>('GET', '/v1/rulesets').then((r) => r.items),
  versions: (name: string) => call<{ items: VersionSummary[] }>('GET', `/v1/rulesets/${enc(name)}/versions`).then((r) => r.items),
  version: (name: string, version: number) => call<VersionSummary & { source: string }>('GET', `/v1/rulesets/${enc(name)}/versions/${version}`),
  publish: (name: string, source: string, message: string, expectedParent: number | null, forceReason: string | null = null) =>
    call<VersionSummary & { created: boolean }>('POST', `/v1/rulesets/${enc(name)}/versions`, {
      source,
      message,
      ...(expectedParent === null ? {} : { expected_parent: expectedParent }),
      ...(forceReason === null ? {} : { force: { reason: forceReason } }),
    }),
  diff: (name: string, from: number, to: number) => call<{ rulesets: unknown[] }>('GET', `/v1/rulesets/${enc(name)}/diff?from=${from}&to=${to}`),
  impact: (name: string, body: { version?: number; source?: string; channel?: string }) => call<{ rulesets: unknown[]; impact: Record<string, unknown>; base: { channel: string; version: number } }>('POST', `/v1/rulesets/${enc(name)}/impact`, body),
  evaluate: (name: string, input: unknown, channel: string) => call<Record<string, unknown>>('POST', `/v1/rulesets/${enc(name)}/evaluate`, { input, channel, explain: true }),
  channels: (name: string) => call<{ items: ChannelState[] }>('GET', `/v1/rulesets/${enc(name)}/channels`).then((r) => r.items),
  moveChannel: (name: string, channel: string, version: number, reason: string) => call<ChannelState>('PUT', `/v1/rulesets/${enc(name)}/channels/${enc(channel)}`, { version, reason }),
  channelHistory: (name: string, channel: string) => call<{ items: ChannelState[] }>('GET', `/v1/rulesets/${enc(name)}/channels/${enc(channel)}/history?limit=20`).then((r) => r.items),
  params: (name: string, channel: string) => call<ParamsView>('GET', `/v1/rulesets/${enc(name)}/channels/${enc(channel)}/params`),
  patchParams: (name: string, channel: string, params: Record<string, unknown>, reason: string) => call<ParamsView>('PATCH', `/v1/rulesets/${enc(name)}/channels/${enc(channel)}/params`, { params, reason }),
  resetParams: (name: string, channel: string) => call<ParamsView>('POST', `/v1/rulesets/${enc(name)}/channels/${enc(channel)}/params/reset`, {}),
};
