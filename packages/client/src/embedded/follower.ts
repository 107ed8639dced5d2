/**
 * One ruleset on one channel, evaluated in-process and kept in step with the server: the
 * channel's version and params are fetched, compiled here, and fetched again whenever the
 * event stream announces a move or a param change of the channel (and after the stream
 * reconnects, which covers anything missed while it was down).
 */
import { randomUUID } from 'node:crypto';
import { compile, sensitivePaths, type CompiledRuleset, type EvaluateOptions } from '@verdict/engine';
import { VerdictApiError, type ServerDecision, type VerdictClient } from '../index.ts';
import { loadSnapshot, saveSnapshot, type Snapshot } from './cache.ts';
import { pending, type PendingDecision, type ShipInputs, type ShipOrigin } from './shipment.ts';

export type { ShipInputs } from './shipment.ts';

export interface FollowerStatus {
  ready: boolean;
  version: number | null;
  hash: string | null;
  revision: number | null;
  /** Where the version in use came from: the server, or the on-disk snapshot before the first sync. */
  from: 'server' | 'cache' | null;
  syncedAt: Date | null;
  /** The last sync failure, cleared by the next success. */
  lastError: string | null;
}

interface Current {
  compiled: CompiledRuleset;
  version: number;
  hash: string;
  revision: number;
  params: Record<string, unknown>;
  /** `{ params }`, the options of an evaluation that gives none of its own (made once, not per decision). */
  withParams: EvaluateOptions;
  /** What its decisions share in the shipping queue. */
  origin: ShipOrigin;
  from: 'server' | 'cache';
}

/** Where a follower's decisions go to be shipped (the connection's `DecisionShipper`). */
export interface DecisionSink {
  readonly full: boolean;
  drop(): void;
  push(decision: PendingDecision): void;
}

export interface FollowerOptions {
  client: VerdictClient;
  ruleset: string;
  channel: string;
  cacheDir?: string;
  shipInputs: ShipInputs;
  /** Receives each decision to ship (nothing is shipped when absent): the shipping queue. */
  ship?: DecisionSink;
  onChange?: (status: FollowerStatus) => void;
}

export class ChannelFollower {
  private current: Current | null = null;
  private syncing: Promise<void> | null = null;
  private again = false;
  private syncedAt: Date | null = null;
  private lastError: string | null = null;
  private readonly firstSync: Promise<void>;
  private resolveFirst!: () => void;

  constructor(private readonly options: FollowerOptions) {
    this.firstSync = new Promise((resolve) => (this.resolveFirst = resolve));
  }

  get name(): string {
    return this.options.ruleset;
  }

  get channel(): string {
    return this.options.channel;
  }

  /** Resolves once a version is in use (from the server, or from the snapshot on disk). */
  ready(): Promise<void> {
    return this.firstSync;
  }

  status(): FollowerStatus {
    const c = this.current;
    return { ready: c !== null, version: c?.version ?? null, hash: c?.hash ?? null, revision: c?.revision ?? null, from: c?.from ?? null, syncedAt: this.syncedAt, lastError: this.lastError };
  }

  /**
   * Decides `input` with the channel's version and params, in-process. Throws `VerdictApiError`
   * as the HTTP API would answer: 503 `not_synced` before the first sync (fail closed), 422 with
   * every failing path for an input the ruleset refuses.
   *
   * Only a small record is queued for shipping (see shipment.ts): the input is hashed or redacted
   * when its batch is sent, so it must not be changed afterwards.
   */
  evaluate(input: unknown, options?: Omit<EvaluateOptions, 'params'>): ServerDecision {
    const current = this.current;
    if (current === null) {
      throw new VerdictApiError(503, {
        code: 'not_synced',
        message: `ruleset \`${this.options.ruleset}\` on channel \`${this.options.channel}\` has not been synced from the server yet${this.lastError === null ? '' : ` (${this.lastError})`}; await ready() first`,
        details: [],
      });
    }
    const started = performance.now();
    const result = current.compiled.evaluate(input, options === undefined ? current.withParams : { ...options, params: current.params });
    const durationUs = Math.round((performance.now() - started) * 1000);
    if (!result.ok) throw new VerdictApiError(422, result.error);
    // the engine's fields in its order, without copying the result twice (a rest and a spread)
    const body: ServerDecision = {
      decision_id: randomUUID(),
      ruleset: this.options.ruleset,
      version: current.version,
      channel: this.options.channel,
      hash: current.hash,
      decision: result.decision,
      compliant: result.compliant,
      score: result.score,
      violations: result.violations,
      outputs: result.outputs,
      errors: result.errors,
      trace: result.trace,
      duration_us: durationUs,
    };
    const ship = this.options.ship;
    // a full queue drops the decision before its record is made
    if (ship !== undefined) {
      if (ship.full) ship.drop();
      else ship.push(pending(current.origin, body, input));
    }
    return body;
  }

  /** Loads the snapshot (if a cache directory is set and nothing is in use yet). */
  async restore(): Promise<void> {
    const dir = this.options.cacheDir;
    if (dir === undefined || this.current !== null) return;
    const snapshot = await loadSnapshot(dir, this.options.ruleset, this.options.channel);
    if (snapshot === null || this.current !== null) return;
    try {
      this.switchTo(this.prepare(snapshot, 'cache'), snapshot.source);
    } catch (error) {
      this.lastError = `the snapshot on disk is unusable: ${messageOf(error)}`;
    }
  }

  /** Fetches the channel and, when it changed, its version; coalesces calls made while one runs. */
  sync(): Promise<void> {
    if (this.syncing !== null) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.again = false;
          await this.syncOnce();
        } while (this.again);
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const { client, ruleset, channel } = this.options;
    try {
      const state = await client.channel(ruleset, channel);
      const current = this.current;
      // every move and every param change makes a new channel revision
      if (current !== null && current.from === 'server' && current.version === state.version && current.revision === state.revision) return;
      const version = current !== null && current.version === state.version ? { hash: current.hash, source: this.sourceOf(), compiled: current.compiled } : await this.load(state.version);
      const snapshot: Snapshot = {
        ruleset,
        channel,
        version: state.version,
        hash: version.hash,
        revision: state.revision,
        source: version.source,
        params: state.params,
        synced_at: new Date().toISOString(),
      };
      const next = this.prepare(snapshot, 'server', version.compiled);
      // on disk before it is used, so a restart right after this sync decides as this process did
      let saveError: string | null = null;
      if (this.options.cacheDir !== undefined) await saveSnapshot(this.options.cacheDir, snapshot).catch((error: unknown) => (saveError = `could not save the snapshot: ${messageOf(error)}`));
      this.syncedAt = new Date();
      this.lastError = saveError;
      this.switchTo(next, snapshot.source);
    } catch (error) {
      this.lastError = messageOf(error);
      throw error;
    }
  }

  private source: string | null = null;
  /** Versions fetched and compiled ahead of use (a publish is usually followed by a move), newest last. */
  private readonly loaded = new Map<number, Promise<LoadedVersion>>();

  /**
   * Fetches and compiles `version` ahead of a move to it, so the move only swaps what is in use.
   * A failure is forgotten (the move fetches again).
   */
  prefetch(version: number): void {
    void this.load(version).catch(() => {});
  }

  private load(version: number): Promise<LoadedVersion> {
    let loading = this.loaded.get(version);
    if (loading === undefined) {
      loading = this.options.client.version(this.options.ruleset, version).then((v) => ({ hash: v.hash, source: v.source, compiled: compileOrThrow(v.source, version) }));
      this.loaded.set(version, loading);
      loading.catch(() => this.loaded.get(version) === loading && this.loaded.delete(version));
      while (this.loaded.size > PREFETCHED_VERSIONS) this.loaded.delete(this.loaded.keys().next().value!);
    }
    return loading;
  }

  private sourceOf(): string {
    if (this.source === null) throw new Error('no source in use');
    return this.source;
  }

  /** Compiles (unless `compiled` is given) and checks the params of `snapshot`, without using it yet. */
  private prepare(snapshot: Snapshot, from: 'server' | 'cache', compiled?: CompiledRuleset): Current {
    const ruleset = compiled ?? compileOrThrow(snapshot.source, snapshot.version);
    const params = this.merged(ruleset, snapshot.params);
    const { ruleset: name, channel, shipInputs } = this.options;
    const origin: ShipOrigin = { ruleset: name, version: snapshot.version, hash: snapshot.hash, channel, sensitive: sensitivePaths(ruleset.inputSchema), shipInputs };
    return { compiled: ruleset, version: snapshot.version, hash: snapshot.hash, revision: snapshot.revision, params, withParams: { params }, origin, from };
  }

  /** Switches in one step: an evaluation sees the old version and params or the new, never a mix. */
  private switchTo(next: Current, source: string): void {
    this.current = next;
    this.source = source;
    this.resolveFirst();
    this.options.onChange?.(this.status());
  }

  /** The ruleset's defaults with the channel's overrides, validated as the server validates them. */
  private merged(compiled: CompiledRuleset, overrides: Record<string, unknown>): Record<string, unknown> {
    const result = compiled.validateParams(overrides);
    if (!result.ok) throw new Error(`the channel's params do not validate: ${result.error.message}`);
    return result.values;
  }
}

interface LoadedVersion {
  hash: string;
  source: string;
  compiled: CompiledRuleset;
}

/** How many versions a follower keeps compiled besides the one in use. */
const PREFETCHED_VERSIONS = 4;

function compileOrThrow(source: string, version: number): CompiledRuleset {
  const result = compile(source);
  if (result.ruleset === undefined) {
    const first = result.diagnostics[0];
    throw new Error(`version ${version} does not compile here${first === undefined ? '' : `: ${first.code} ${first.message}`}`);
  }
  return result.ruleset;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
