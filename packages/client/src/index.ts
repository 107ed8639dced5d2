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
import type { ShippedDecision } from './embedded/types.ts';

export { connect, type ConnectOptions, type EmbeddedConnection, type EmbeddedProblem, type EmbeddedRuleset } from './embedded/connect.ts';
export type { FollowerStatus, ShipInputs } from './embedded/follower.ts';
export type { ShipperOptions, ShippingProblem, ShippingStats } from './embedded/shipper.ts';
export type { ShippedDecision } from './embedded/types.ts';

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

/** One page of a listing; pass `next_cursor` back as `cursor` for the next (null: no more). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** A decision log row. */
export interface LoggedDecision {
  seq: number;
  decision_id: string;
  ruleset: string;
  version: number;
  channel: string | null;
  decision: string;
  violated_rules: string[];
  outputs: Record<string, unknown>;
  duration_us: number;
  /** The input as logged (sensitive fields redacted), or null when only its hash (or nothing) is kept. */
  input: unknown;
  input_hash: string | null;
  row_hash: string;
  created_at: string;
}

export interface LoggedViolation {
  id: number;
  decision_id: string;
  ruleset: string;
  rule: string;
  severity: string;
  message: string;
  resolved: boolean;
  created_at: string;
}

export interface AuditEvent {
  id: number;
  actor: string;
  action: string;
  ruleset: string | null;
  channel: string | null;
  old: unknown;
  new: unknown;
  created_at: string;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: string[];
  created_at: string;
  revoked_at: string | null;
}

/** The filters of the decision log; times are RFC 3339. */
export interface DecisionFilter {
  ruleset?: string;
  channel?: string;
  decision?: string;
  /** Only decisions that violated this rule. */
  rule?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

export interface ViolationFilter {
  ruleset?: string;
  rule?: string;
  severity?: string;
  resolved?: boolean;
  decision_id?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

/** What an impact request compares against a channel: a published version or unsaved source. */
export type Candidate = { version: number } | { source: string };

export interface VerdictClient {
  evaluate(ruleset: string, input: unknown, target?: Target): Promise<ServerDecision>;
  evaluateBatch(ruleset: string, inputs: unknown[], target?: Target): Promise<BatchItem[]>;
  publish(ruleset: string, source: string, options?: { message?: string; expectedParent?: number | null }): Promise<PublishedVersion>;
  versions(ruleset: string): Promise<VersionSummary[]>;
  version(ruleset: string, version: number): Promise<VersionSummary & { source: string }>;
  /** The semantic diff between two versions (the JSON of `verdict diff --format json`). */
  diff(ruleset: string, from: number, to: number): Promise<Record<string, unknown>>;
  /** Replays a channel's recent logged inputs (and `inputs`) through a candidate: the decisions that would change. */
  impact(ruleset: string, candidate: Candidate, options?: { channel?: string; limit?: number; inputs?: unknown[] }): Promise<Record<string, unknown>>;
  /** Diagnostics for unsaved source. */
  check(source: string): Promise<{ ruleset: string; errors: number; diagnostics: Array<Record<string, unknown>> }>;
  channels(ruleset: string): Promise<ChannelState[]>;
  channel(ruleset: string, channel: string): Promise<ChannelState>;
  moveChannel(ruleset: string, channel: string, version: number, reason?: string): Promise<ChannelState>;
  /** Restores an earlier revision of a channel (its version and params) as a new revision. */
  rollback(ruleset: string, channel: string, revision: number, reason?: string): Promise<ChannelState>;
  history(ruleset: string, channel: string, limit?: number): Promise<ChannelState[]>;
  params(ruleset: string, channel: string): Promise<ChannelParams>;
  patchParams(ruleset: string, channel: string, params: Record<string, unknown>, reason?: string): Promise<ChannelParams>;
  resetParams(ruleset: string, channel: string, names?: string[]): Promise<ChannelParams>;
  decisions(filter?: DecisionFilter): Promise<Page<LoggedDecision>>;
  /** Every decision matching `filter`, page after page (newest first). */
  allDecisions(filter?: Omit<DecisionFilter, 'cursor'>): AsyncIterable<LoggedDecision>;
  violations(filter?: ViolationFilter): Promise<Page<LoggedViolation>>;
  audit(filter?: { ruleset?: string; action?: string; limit?: number; cursor?: string }): Promise<Page<AuditEvent>>;
  /** Creates an API key; the plain `key` is in this answer only. */
  createKey(name: string, scopes: Array<'evaluate' | 'read' | 'publish' | 'log' | 'admin'>): Promise<{ id: string; key: string; name: string; scopes: string[] }>;
  keys(): Promise<ApiKeyInfo[]>;
  revokeKey(id: string): Promise<void>;
  /** Appends decisions made in-process (see `connect`) to the decision log; needs the `log` scope. */
  shipDecisions(decisions: ShippedDecision[]): Promise<{ appended: number; duplicates: number }>;
}

/** `?a=1&b=x` of the defined entries (empty when none). */
function queryString(filter: object): string {
  const entries = Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
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
  const items = async <T>(path: string) => (await call<{ items: T[] }>('GET', path)).items;
  const decisions = (filter: DecisionFilter = {}) => call<Page<LoggedDecision>>('GET', `/v1/decisions${queryString(filter)}`);
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
    versions: (name) => items(`${ruleset(name)}/versions`),
    version: (name, version) => call('GET', `${ruleset(name)}/versions/${version}`),
    diff: (name, from, to) => call('GET', `${ruleset(name)}/diff${queryString({ from, to })}`),
    impact: (name, candidate, impactOptions = {}) => call('POST', `${ruleset(name)}/impact`, { ...candidate, ...impactOptions }),
    check: (source) => call('POST', '/v1/check', { source }),
    channels: (name) => items(`${ruleset(name)}/channels`),
    channel: (name, channel) => call('GET', channelPath(name, channel)),
    rollback: (name, channel, revision, reason) => call('POST', `${channelPath(name, channel)}/rollback`, { revision, ...(reason === undefined ? {} : { reason }) }),
    history: (name, channel, limit) => items(`${channelPath(name, channel)}/history${queryString({ limit })}`),
    decisions,
    allDecisions: async function* (filter = {}) {
      let cursor: string | undefined;
      do {
        const page = await decisions({ ...filter, ...(cursor === undefined ? {} : { cursor }) });
        yield* page.items;
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
    },
    violations: (filter = {}) => call('GET', `/v1/violations${queryString(filter)}`),
    audit: (filter = {}) => call('GET', `/v1/audit${queryString(filter)}`),
    createKey: (name, scopes) => call('POST', '/v1/keys', { name, scopes }),
    keys: () => items('/v1/keys'),
    revokeKey: async (id) => void (await call('DELETE', `/v1/keys/${encodeURIComponent(id)}`)),
    shipDecisions: (shipped) => call('POST', '/v1/decisions', { decisions: shipped }),
  };
}
