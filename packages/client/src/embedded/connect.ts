/**
 * The embedded evaluator: rulesets evaluated in the service's own process, following a
 * channel of a Verdict server, with their decisions shipped back to the server's audited log.
 *
 * @example
 * const verdict = connect({ url: 'http://verdict:8080', key: process.env.VERDICT_KEY!, cacheDir: '/var/cache/verdict' });
 * const admission = verdict.ruleset('marketplace.admission', { channel: 'production' });
 * await admission.ready();
 * const decision = admission.evaluate({ service }); // microseconds, no request
 */
import { createClient, VerdictApiError, type ServerDecision } from '../index.ts';
import type { EvaluateOptions } from '@verdict/engine';
import { ChannelFollower, type FollowerStatus, type ShipInputs } from './follower.ts';
import { DecisionShipper, type ShipperOptions, type ShippingProblem, type ShippingStats } from './shipper.ts';
import { readEvents } from './sse.ts';
import type { ShippedDecision } from './types.ts';

export interface ConnectOptions {
  /** The server's base URL. */
  url: string;
  /** An API key with `read` (to follow channels) and `log` (to ship decisions). */
  key: string;
  /** Keep each followed channel's last good version here, so a restart without the server still decides. Off by default. */
  cacheDir?: string;
  /** Batching of the decisions shipped to the log; `false` ships nothing. */
  shipping?: ShipperOptions | false;
  /** What of each input reaches the log: its hash (default), the input with sensitive fields redacted, or nothing. */
  shipInputs?: ShipInputs;
  /** A full re-sync of every followed channel at this interval, beside the event stream (default 30 s). */
  pollIntervalMs?: number;
  /** Told of sync failures and shipping problems (nothing is printed otherwise). */
  onProblem?: (problem: EmbeddedProblem) => void;
  /** A fetch implementation (default: the global one). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export type EmbeddedProblem = ShippingProblem | { kind: 'sync_failed'; ruleset: string; channel: string; error: unknown } | { kind: 'stream_lost'; ruleset: string; error: unknown; retryInMs: number };

export interface EmbeddedRuleset {
  readonly name: string;
  readonly channel: string;
  /**
   * Decides in-process with the channel's version and params; throws `VerdictApiError` (503
   * `not_synced` before the first sync, 422 for a refused input). With shipping on, the input and
   * the returned decision are kept as they are until their batch is shipped (hashed, redacted and
   * scrubbed then, within `shipping.intervalMs`): do not change them after the call.
   */
  evaluate(input: unknown, options?: Omit<EvaluateOptions, 'params'>): ServerDecision;
  /** Resolves once a version is in use; rejects with 503 `not_synced` after `timeoutMs` (default: waits). */
  ready(timeoutMs?: number): Promise<void>;
  status(): FollowerStatus;
}

export interface EmbeddedConnection {
  /** The ruleset on `channel` (default `production`), followed from now on; the same object for the same name and channel. */
  ruleset(name: string, options?: { channel?: string }): EmbeddedRuleset;
  /** Counts of the decisions queued, shipped, dropped and rejected. */
  shipping(): ShippingStats;
  /** Ships what is queued now. */
  flush(): Promise<void>;
  /** Stops following, ships what is queued (up to `timeoutMs`), and reports how many decisions were left unshipped. */
  close(timeoutMs?: number): Promise<{ unshipped: number }>;
}

const STREAM_BACKOFF_MS = { first: 250, max: 5000 };

export function connect(options: ConnectOptions): EmbeddedConnection {
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const client = createClient({ baseUrl: options.url, key: options.key, fetch: send });
  const base = options.url.replace(/\/+$/, '');
  const report = options.onProblem ?? (() => {});
  const shipper =
    options.shipping === false
      ? null
      : new DecisionShipper((decisions: ShippedDecision[]) => client.shipDecisions(decisions), { ...options.shipping, onProblem: options.shipping?.onProblem ?? report });
  const followers = new Map<string, { ruleset: EmbeddedRuleset; stop: () => void }>();
  let closed = false;

  const follow = (follower: ChannelFollower): (() => void) => {
    const abort = new AbortController();
    const sync = () =>
      follower.sync().catch((error: unknown) => {
        if (!abort.signal.aborted) report({ kind: 'sync_failed', ruleset: follower.name, channel: follower.channel, error });
      });
    const poll = setInterval(() => void sync(), options.pollIntervalMs ?? 30_000);
    poll.unref();
    void (async () => {
      await follower.restore().catch(() => {});
      let backoff = STREAM_BACKOFF_MS.first;
      while (!abort.signal.aborted) {
        try {
          const url = `${base}/v1/events?ruleset=${encodeURIComponent(follower.name)}`;
          const response = await send(url, { headers: { authorization: `Bearer ${options.key}`, accept: 'text/event-stream' }, signal: abort.signal });
          if (!response.ok || response.body === null) throw new VerdictApiError(response.status, { code: 'stream_refused', message: `the event stream answered ${response.status}`, details: [] });
          for await (const event of readEvents(response.body)) {
            if (event.event === 'ready') {
              // (re)connected: whatever changed while the stream was down is fetched now
              backoff = STREAM_BACKOFF_MS.first;
              void sync();
            } else if (event.event === 'version_published') {
              // compiled now, so a move to it later only swaps what is in use
              const data = JSON.parse(event.data) as { version?: number };
              if (typeof data.version === 'number') follower.prefetch(data.version);
            } else if (event.event === 'channel_moved' || event.event === 'params_changed') {
              const data = JSON.parse(event.data) as { channel?: string };
              if (data.channel === follower.channel) void sync();
            }
          }
          if (abort.signal.aborted) return;
          throw new Error('the event stream ended');
        } catch (error) {
          if (abort.signal.aborted) return;
          report({ kind: 'stream_lost', ruleset: follower.name, error, retryInMs: backoff });
          await new Promise((resolve) => setTimeout(resolve, backoff).unref());
          backoff = Math.min(STREAM_BACKOFF_MS.max, backoff * 2);
          // the first sync must not wait for a stream the server refuses
          void sync();
        }
      }
    })();
    return () => {
      abort.abort();
      clearInterval(poll);
    };
  };

  return {
    ruleset(name, rulesetOptions = {}) {
      if (closed) throw new Error('this connection is closed');
      const channel = rulesetOptions.channel ?? 'production';
      const key = `${name}\u0000${channel}`;
      const existing = followers.get(key);
      if (existing !== undefined) return existing.ruleset;
      const follower = new ChannelFollower({
        client,
        ruleset: name,
        channel,
        shipInputs: options.shipInputs ?? 'hash',
        ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
        ...(shipper === null ? {} : { ship: shipper }),
      });
      const ruleset: EmbeddedRuleset = {
        name,
        channel,
        evaluate: (input, evaluateOptions) => follower.evaluate(input, evaluateOptions),
        ready: (timeoutMs) => (timeoutMs === undefined ? follower.ready() : withTimeout(follower.ready(), timeoutMs, () => notSynced(name, channel, follower.status().lastError))),
        status: () => follower.status(),
      };
      followers.set(key, { ruleset, stop: follow(follower) });
      return ruleset;
    },
    shipping: () => shipper?.stats() ?? { queued: 0, shipped: 0, duplicates: 0, dropped: 0, rejected: 0, failedAttempts: 0 },
    flush: async () => shipper?.flush(),
    async close(timeoutMs = 5000) {
      closed = true;
      for (const { stop } of followers.values()) stop();
      followers.clear();
      return { unshipped: shipper === null ? 0 : await shipper.close(timeoutMs) };
    },
  };
}

function notSynced(ruleset: string, channel: string, lastError: string | null): VerdictApiError {
  return new VerdictApiError(503, { code: 'not_synced', message: `ruleset \`${ruleset}\` on channel \`${channel}\` was not synced in time${lastError === null ? '' : `: ${lastError}`}`, details: [] });
}

function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(error()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
