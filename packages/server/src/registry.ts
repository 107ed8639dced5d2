/**
 * Compiled rulesets and channel state, kept in memory so an evaluation never
 * touches the database. Versions are immutable; the least recently used are
 * dropped past the cache's limits (`version-cache.ts`), except those a channel
 * points at. Channel state is dropped on every change event (this process's own
 * writes and, via LISTEN/NOTIFY, other replicas') and reloaded on next use.
 */
import { createHash } from 'node:crypto';
import { compile, type CompiledRuleset, type ParamsResult } from '@verdict/engine';
import { analyze, format, hasErrors, type Diagnostic, type Ruleset } from '@verdict/language';
import { NotFoundError, type ChangeEvent, type ChannelState, type Store } from '@verdict/store';
import { errors } from './errors.ts';
import { sensitivePaths } from './redact.ts';
import { estimatedBytes, VERSION_CACHE_DEFAULTS, VersionCache, type VersionCacheLimits } from './version-cache.ts';
import { offThread, workError } from './work/errors.ts';
import type { WorkPool } from './work/pool.ts';
import type { CompileSettings } from './work/tasks.ts';
import { compileStoredSource, sharedSource, versionInfo, type EvaluatedItem, type StoredVersion, type VersionInfo } from './work/versions.ts';

export interface LoadedVersion {
  ruleset: string;
  version: number;
  hash: string;
  source: string;
  /**
   * Compiled on this thread, or null for a heavy version (a source larger than the inline limit):
   * that one is compiled and evaluated in the work pool (`RulesetRegistry.evaluateHeavy`).
   */
  compiled: CompiledRuleset | null;
  /** What the routes read of the version (its name, outcomes, rules, params, input schema, default params). */
  info: VersionInfo;
  /** A heavy version's source as the pool's tasks carry it (shared, not copied into each); null when inline. */
  shared: SharedArrayBuffer | null;
  /** Input paths the schema marks `sensitive` (`*` for every list item or map value). */
  sensitive: string[][];
}

/** Where heavy versions go: the work pool, and the largest source (bytes) compiled on this thread. */
export interface HeavyVersions {
  pool: WorkPool;
  inlineMaxBytes: number;
}

/** What a heavy version's evaluation needs besides its inputs. */
export interface HeavyEvaluation {
  params: Record<string, unknown>;
  explain: boolean;
  /** A batch's shared budget of steps; null for one input. */
  batchMaxSteps: number | null;
  /** The request's: aborted once its deadline passed, so a task still waiting for a worker never runs. */
  signal?: AbortSignal | undefined;
}

export interface ChannelView {
  state: ChannelState;
  loaded: LoadedVersion;
  /** Defaults merged with the channel's overrides, already validated. */
  params: Record<string, unknown>;
}

export type CompileOutcome = { ok: true; compiled: CompiledRuleset; hash: string; canonical: string; ast: Ruleset } | { ok: false; diagnostics: Diagnostic[] };

export class RulesetRegistry {
  private readonly versions: VersionCache<LoadedVersion>;
  private readonly channels = new Map<string, Promise<ChannelView>>();
  /** The version each channel was last seen on (`ruleset/channel` -> `ruleset@version`): kept compiled. */
  private readonly pins = new Map<string, string>();
  private readonly listeners = new Set<(event: ChangeEvent) => void>();

  /**
   * `settings`: the evaluation limits every version is compiled with (published versions kept to the size limits already).
   * `cache`: how many compiled versions, and how much memory, to keep.
   */
  constructor(
    private readonly store: Store,
    private readonly settings?: CompileSettings,
    cache: VersionCacheLimits = VERSION_CACHE_DEFAULTS,
    private readonly heavy?: HeavyVersions,
  ) {
    this.versions = new VersionCache(cache, () => new Set(this.pins.values()));
  }

  /** The compiled-version cache's state (for metrics and tests). */
  get cachedVersions(): { versions: number; estimatedBytes: number; evictions: number } {
    return { versions: this.versions.size, estimatedBytes: this.versions.estimatedBytes, evictions: this.versions.evictions };
  }

  /**
   * Compiles a source; the hash is of its canonical (formatted) text, so formatting-only edits publish
   * nothing new. With `settings`, with those evaluation limits and within those size limits.
   */
  static compileSource(source: string, settings?: CompileSettings): CompileOutcome {
    const analysis = analyze(source);
    if (hasErrors(analysis.diagnostics)) return { ok: false, diagnostics: analysis.diagnostics };
    const result = compile(analysis, settings === undefined ? {} : { limits: settings.limits, sizes: settings.sizes });
    if (result.ruleset === undefined) return { ok: false, diagnostics: result.diagnostics };
    const canonical = format(source).text ?? source;
    return { ok: true, compiled: result.ruleset, hash: `sha256:${createHash('sha256').update(canonical).digest('hex')}`, canonical, ast: analysis.ast };
  }

  /**
   * Compiles a stored version, on this thread (docs/operations.md, "Compiled versions in memory",
   * gives what it costs). Only what evaluating needs: no rule-analysis warnings, no canonical text or
   * hash (the store has it), no size limits (it was held to them when it was published).
   */
  static compileStored(source: string, settings?: CompileSettings): { ok: true; compiled: CompiledRuleset } | { ok: false; diagnostics: Diagnostic[] } {
    return compileStoredSource(source, settings);
  }

  /** A version's params validated (`validateParams`): on this thread, or for a heavy version in the work pool. */
  async validateParams(loaded: LoadedVersion, overrides: Record<string, unknown>): Promise<ParamsResult> {
    if (loaded.compiled !== null) return loaded.compiled.validateParams(overrides);
    const answers = await offThread('checking the params', () => this.pool().run({ kind: 'params', ...this.stored(loaded), overrides: [overrides] }));
    return answers[0]!;
  }

  /** Evaluates inputs with a heavy version, in the work pool (a batch's inputs in one task, sharing one budget). */
  evaluateHeavy(loaded: LoadedVersion, inputs: unknown[], options: HeavyEvaluation): Promise<EvaluatedItem[]> {
    const request = { kind: 'evaluate' as const, ...this.stored(loaded), inputs, params: options.params, explain: options.explain, batchMaxSteps: options.batchMaxSteps };
    return offThread('evaluating', () => this.pool().run(request, options.signal));
  }

  private pool(): WorkPool {
    if (this.heavy === undefined) throw new Error('heavy versions need the work pool');
    return this.heavy.pool;
  }

  private stored(loaded: { ruleset: string; version: number; hash: string; shared: SharedArrayBuffer | null }): StoredVersion {
    if (loaded.shared === null) throw new Error(`version ${loaded.version} of \`${loaded.ruleset}\` is compiled on this thread`);
    return { key: `${loaded.ruleset}@${loaded.version}#${loaded.hash}`, source: loaded.shared, settings: this.settings ?? NO_SETTINGS };
  }

  version(ruleset: string, version: number): Promise<LoadedVersion> {
    const key = `${ruleset}@${version}`;
    const cached = this.versions.get(key);
    if (cached !== undefined) return cached;
    const loading = this.load(ruleset, version);
    // sized once loaded; a failed load is forgotten
    // a heavy version holds its source and metadata here; its compiled copies are the workers'
    this.versions.set(key, loading, (loaded) => (loaded.shared !== null ? loaded.source.length * 2 + loaded.shared.byteLength : estimatedBytes(loaded.source)));
    return loading;
  }

  channel(ruleset: string, channel: string): Promise<ChannelView> {
    const key = `${ruleset}/${channel}`;
    const cached = this.channels.get(key);
    if (cached !== undefined) return cached;
    const loading = this.loadChannel(ruleset, channel);
    this.channels.set(key, loading);
    loading.catch(() => this.channels.get(key) === loading && this.channels.delete(key));
    return loading;
  }

  /** Drops cached channel state touched by a change (ours or another replica's). */
  /** Forgets every channel's state (not the immutable versions): the next use reads it again. */
  forgetChannels(): void {
    this.channels.clear();
  }

  /**
   * Drops the cached state of the channels a change touches (this process's or another replica's), and
   * reads them again in the background: a channel moved to a version this process has not compiled
   * is compiled now, when the change is announced, not in the first request that evaluates it.
   */
  changed(event: ChangeEvent): void {
    const dropped: string[] = [];
    for (const key of [...this.channels.keys()]) {
      if (key.startsWith(`${event.ruleset}/`) && (event.channel === undefined || key === `${event.ruleset}/${event.channel}`)) {
        this.channels.delete(key);
        dropped.push(key.slice(event.ruleset.length + 1));
      }
    }
    if (dropped.length > 0) {
      setImmediate(() => {
        // a failure here (the database away, a version that does not compile) is the next request's to report
        for (const channel of dropped) this.channel(event.ruleset, channel).catch(() => {});
      });
    }
    for (const listener of this.listeners) listener(event);
  }

  onChange(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async load(ruleset: string, version: number): Promise<LoadedVersion> {
    const record = await this.store.getVersion(ruleset, version).catch(nullIfNotFound);
    if (record === null) throw errors.notFound(`version ${version} of ruleset \`${ruleset}\``);
    const base = { ruleset, version, hash: record.hash, source: record.source };
    if (this.heavy !== undefined && Buffer.byteLength(record.source) > this.heavy.inlineMaxBytes) {
      // heavy: compiled in a worker (which keeps it for the evaluations that follow); only its metadata comes back
      const shared = sharedSource(record.source);
      const answer = await this.pool()
        .run({ kind: 'load', ...this.stored({ ...base, shared }) })
        .catch((error: unknown) => {
          throw workError(error, `compiling version ${version} of ruleset \`${ruleset}\``);
        });
      if (!answer.ok) throw errors.rulesetUnavailable(ruleset, version, answer.diagnostics.filter((d) => d.severity === 'error'));
      return { ...base, compiled: null, info: answer.info, shared, sensitive: sensitivePaths(answer.info.inputSchema) };
    }
    const outcome = RulesetRegistry.compileStored(record.source, this.settings);
    // The server cannot serve it (e.g. a language change broke an old source): unavailable, not an
    // internal error; the load is retried on the next request (failed loads are not cached).
    if (!outcome.ok) throw errors.rulesetUnavailable(ruleset, version, outcome.diagnostics.filter((d) => d.severity === 'error'));
    return { ...base, compiled: outcome.compiled, info: versionInfo(outcome.compiled), shared: null, sensitive: sensitivePaths(outcome.compiled.inputSchema) };
  }

  private async loadChannel(ruleset: string, channel: string): Promise<ChannelView> {
    const state = await this.store.getChannel(ruleset, channel).catch(nullIfNotFound);
    if (state === null) throw errors.notFound(`channel \`${channel}\` of ruleset \`${ruleset}\``);
    this.pins.set(`${ruleset}/${channel}`, `${ruleset}@${state.version}`);
    const loaded = await this.version(ruleset, state.version);
    const params = await this.validateParams(loaded, state.params);
    // A stored override that no longer fits (e.g. after a publish changed a param's type) falls back to the defaults, loudly.
    return { state, loaded, params: params.ok ? params.values : loaded.info.defaults };
  }
}

const NO_SETTINGS: CompileSettings = { limits: {}, sizes: {} };

/** A missing ruleset reads as "not found"; any other failure (the database is down) stays an error, not a 404. */
function nullIfNotFound(error: unknown): null {
  if (error instanceof NotFoundError) return null;
  throw error;
}
