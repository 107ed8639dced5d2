/**
 * @verdict/client: a typed client for services that call a Verdict server.
 *
 * @example
 * const verdict = createClient({ baseUrl: 'http://127.0.0.1:8080', key: process.env.VERDICT_KEY! });
 * const decision = await verdict.evaluate('marketplace.admission', { service });
 * if (!decision.compliant) console.log(decision.violations.map((v) => v.message));
 *
 * Every method resolves with the server's answer or rejects with a `VerdictApiError`
 * carrying the HTTP status and the API's structured error (`code`, `message`, `details`).
 */
import type { Decision } from '@verdict/engine';

export interface ClientOptions {
  baseUrl: string;
  key: string;
  /** A fetch implementation (defaults to the global one; tests pass Hono's `app.request`). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** A decision as the server returns it: the engine's decision plus where it came from. */
export interface ServerDecision extends Decision {
  decision_id: string;
  ruleset: string;
  version: number;
  channel: string | null;
  hash: string;
  duration_us: number;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  details: Array<{ path?: string; message: string; [key: string]: unknown }>;
  request_id?: string;
}

export class VerdictApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiErrorBody,
  ) {
    super(`${status} ${error.code}: ${error.message}`);
  }
}

export interface Target {
  /** Evaluate this version (channel params do not apply). */
  version?: number;
  /** Evaluate the version on this channel with its params (default `production`). */
  channel?: string;
  explain?: boolean;
}

/** A version as the API lists it. */
export interface VersionSummary {
  ruleset: string;
  version: number;
  hash: string;
  author: string;
  message: string;
  parent_version: number | null;
  created_at: string;
}

export interface PublishedVersion extends VersionSummary {
  /** False when the same canonical source was already published (the existing version is returned). */
  created: boolean;
}

export interface ChannelState {
  ruleset: string;
  channel: string;
  revision: number;
  version: number;
  params: Record<string, unknown>;
  author: string;
  reason: string | null;
  created_at: string;
}

export interface ChannelParams {
  ruleset: string;
  channel: string;
  revision: number;
  values: Record<string, unknown>;
  overrides: Record<string, unknown>;
}

export type BatchItem = ServerDecision | { index: number; error: ApiErrorBody };

export interface VerdictClient {
  evaluate(ruleset: string, input: unknown, target?: Target): Promise<ServerDecision>;
  evaluateBatch(ruleset: string, inputs: unknown[], target?: Target): Promise<BatchItem[]>;
  publish(ruleset: string, source: string, options?: { message?: string; expectedParent?: number | null }): Promise<PublishedVersion>;
  moveChannel(ruleset: string, channel: string, version: number, reason?: string): Promise<ChannelState>;
  params(ruleset: string, channel: string): Promise<ChannelParams>;
  patchParams(ruleset: string, channel: string, params: Record<string, unknown>, reason?: string): Promise<ChannelParams>;
  resetParams(ruleset: string, channel: string, names?: string[]): Promise<ChannelParams>;
}

export function createClient(options: ClientOptions): VerdictClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await send(base + path, {
      method,
      headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      throw new VerdictApiError(response.status, { code: 'invalid_response', message: `the server answered with non-JSON: ${text.slice(0, 200)}`, details: [] });
    }
    if (!response.ok) {
      const error = (json as { error?: ApiErrorBody } | null)?.error ?? { code: 'http_error', message: response.statusText, details: [] };
      throw new VerdictApiError(response.status, error);
    }
    return json as T;
  };
  const ruleset = (name: string) => `/v1/rulesets/${encodeURIComponent(name)}`;
  const channelPath = (name: string, channel: string) => `${ruleset(name)}/channels/${encodeURIComponent(channel)}`;
  return {
    evaluate: (name, input, target = {}) => call('POST', `${ruleset(name)}/evaluate`, { input, ...target }),
    evaluateBatch: async (name, inputs, target = {}) => (await call<{ results: BatchItem[] }>('POST', `${ruleset(name)}/evaluate/batch`, { inputs, ...target })).results,
    publish: (name, source, publishOptions = {}) =>
      call('POST', `${ruleset(name)}/versions`, {
        source,
        ...(publishOptions.message === undefined ? {} : { message: publishOptions.message }),
        ...(publishOptions.expectedParent === undefined ? {} : { expected_parent: publishOptions.expectedParent }),
      }),
    moveChannel: (name, channel, version, reason) => call('PUT', channelPath(name, channel), { version, ...(reason === undefined ? {} : { reason }) }),
    params: (name, channel) => call('GET', `${channelPath(name, channel)}/params`),
    patchParams: (name, channel, params, reason) => call('PATCH', `${channelPath(name, channel)}/params`, { params, ...(reason === undefined ? {} : { reason }) }),
    resetParams: (name, channel, names) => call('POST', `${channelPath(name, channel)}/params/reset`, names === undefined ? {} : { names }),
  };
}
