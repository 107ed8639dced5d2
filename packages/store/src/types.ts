// Public record and input types of the store, and the Store interface both drivers implement.

export type Json = unknown;
export type Params = Record<string, unknown>;

export interface RulesetSummary {
  name: string;
  description: string | null;
  createdAt: Date;
  latestVersion: number | null;
}

export interface VersionSummary {
  ruleset: string;
  version: number;
  hash: string;
  author: string;
  message: string;
  parentVersion: number | null;
  createdAt: Date;
}

export interface VersionRecord extends VersionSummary {
  source: string;
  compiled: Json | null;
}

export interface PublishInput {
  ruleset: string;
  source: string;
  /** Content hash of the canonical source (computed by the caller). */
  hash: string;
  compiled?: Json;
  author: string;
  message?: string;
  /** Used only when the ruleset row is created by this publish. */
  description?: string;
  /**
   * The version the author edited; `null` means "the ruleset has no version yet".
   * Omit to publish on top of whatever is latest.
   */
  expectedParent?: number | null;
  /** Published although its in-file tests fail: why, and which tests (recorded in the audit log). */
  forced?: { reason: string; failingTests: string[] };
}

export interface PublishResult {
  version: number;
  /** false when a version with the same hash already existed (no-op publish). */
  created: boolean;
}

/**
 * Called inside a channel change's transaction, under the channel's lock, with the state as it is
 * now (null: no channel yet) and the revision about to be written; throwing refuses the change
 * (nothing is written) and the error reaches the caller. It must not query the store: on the
 * embedded database the transaction holds the only connection. Replicas that validate a change
 * against what they read earlier use it to validate against what is actually there.
 */
export type ChannelGuard = (current: ChannelState | null, next: { version: number; params: Params }) => void;

export interface ChannelState {
  ruleset: string;
  channel: string;
  revision: number;
  version: number;
  params: Params;
  author: string;
  reason: string | null;
  createdAt: Date;
}

export type DecisionViolation = {
  rule: string;
  severity: string;
  message?: string;
};

export interface DecisionInput {
  id: string;
  ruleset: string;
  version: number;
  channel?: string | null;
  decision: string;
  violations: DecisionViolation[];
  outputs?: Record<string, unknown>;
  durationUs: number;
  /** The input with sensitive fields already redacted, or omitted when only its hash is kept. */
  input?: Json;
  inputHash?: string | null;
  /** Defaults to now. */
  createdAt?: Date;
}

export interface DecisionRecord {
  seq: number;
  id: string;
  ruleset: string;
  version: number;
  channel: string | null;
  decision: string;
  violatedRules: string[];
  outputs: Record<string, unknown>;
  durationUs: number;
  input: Json | null;
  inputHash: string | null;
  prevHash: string;
  rowHash: string;
  createdAt: Date;
}

export interface AppendResult {
  appended: number;
  lastSeq: number | null;
  /** Rows left out because their id was already logged (only with `skipExisting`). */
  skipped: number;
}

export interface AppendOptions {
  /** Leave out rows whose id is already in the log (idempotent retries and replays); costs one indexed lookup per 1,000 rows. */
  skipExisting?: boolean;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface DecisionQuery {
  ruleset?: string;
  channel?: string;
  decision?: string;
  /** Decisions that violated this rule. */
  rule?: string;
  since?: Date;
  until?: Date;
  limit?: number;
  cursor?: string;
}

export interface ViolationRecord {
  id: number;
  decisionId: string;
  ruleset: string;
  rule: string;
  severity: string;
  message: string;
  resolved: boolean;
  createdAt: Date;
}

export interface ViolationQuery {
  ruleset?: string;
  rule?: string;
  severity?: string;
  resolved?: boolean;
  decisionId?: string;
  since?: Date;
  until?: Date;
  limit?: number;
  cursor?: string;
}

export type ChainVerification =
  | { ok: true; rows: number }
  | { ok: false; firstBrokenSeq: number; reason: string; rows: number };

export interface AuditEvent {
  id: number;
  actor: string;
  action: string;
  ruleset: string | null;
  channel: string | null;
  detail: { old?: Json; new?: Json };
  createdAt: Date;
}

export interface AuditInput {
  actor: string;
  action: string;
  ruleset?: string | null;
  channel?: string | null;
  detail?: { old?: Json; new?: Json };
}

export interface AuditQuery {
  ruleset?: string;
  action?: string;
  limit?: number;
  cursor?: string;
}

/** `log`: append decisions made elsewhere (an embedded evaluator shipping its decisions). */
export const API_SCOPES = ['evaluate', 'read', 'publish', 'log', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: ApiScope[];
  createdAt: Date;
  revokedAt: Date | null;
}

/** A key's plain text is `unknown` until created, then `active` until revoked. */
export type ApiKeyStatus = 'unknown' | 'active' | 'revoked';

export interface CreatedApiKey {
  id: string;
  /** The plain key (`vd_...`); shown once, only its sha256 is stored. */
  key: string;
}

export interface ChangeEvent {
  kind: 'version' | 'channel' | 'params';
  ruleset: string;
  channel?: string;
  version?: number;
  revision?: number;
}

export type Unsubscribe = () => Promise<void>;

export interface Store {
  readonly driver: 'pglite' | 'pglite-thread' | 'postgres';

  // Rulesets and versions
  publishVersion(input: PublishInput): Promise<PublishResult>;
  listRulesets(): Promise<RulesetSummary[]>;
  /** Newest first. */
  listVersions(ruleset: string): Promise<VersionSummary[]>;
  getVersion(ruleset: string, version: number): Promise<VersionRecord | null>;
  latestVersion(ruleset: string): Promise<VersionRecord | null>;

  // Channels
  getChannel(ruleset: string, channel: string): Promise<ChannelState | null>;
  /** Current state of every channel (of one ruleset, or all). */
  listChannels(ruleset?: string): Promise<ChannelState[]>;
  /** `guard` (see ChannelGuard) may refuse the move under the channel lock. A move to the version the channel is on makes no revision (the current state is returned). */
  moveChannel(ruleset: string, channel: string, version: number, actor: string, reason?: string, guard?: ChannelGuard): Promise<ChannelState>;
  /** Replaces the channel's parameter overrides (the same overrides again make no revision). */
  setChannelParams(ruleset: string, channel: string, params: Params, actor: string, reason?: string, guard?: ChannelGuard): Promise<ChannelState>;
  /** Merges into the current params; a null value removes that key. Atomic under the channel lock. */
  patchChannelParams(ruleset: string, channel: string, patch: Params, actor: string, reason?: string, guard?: ChannelGuard): Promise<ChannelState>;
  /** Newest first. */
  channelHistory(ruleset: string, channel: string, limit?: number): Promise<ChannelState[]>;
  rollbackChannel(ruleset: string, channel: string, toRevision: number, actor: string, reason?: string): Promise<ChannelState>;

  // Decision log
  appendDecisions(rows: DecisionInput[], options?: AppendOptions): Promise<AppendResult>;
  /** Newest first, paginated by seq. */
  queryDecisions(query?: DecisionQuery): Promise<Page<DecisionRecord>>;
  queryViolations(query?: ViolationQuery): Promise<Page<ViolationRecord>>;
  setViolationResolved(id: number, resolved: boolean): Promise<boolean>;
  verifyChain(): Promise<ChainVerification>;
  /** Most recent stored inputs (newest first) for impact replay; channel null = any channel. */
  recentInputs(ruleset: string, channel: string | null, n: number): Promise<Json[]>;

  // Audit
  recordAudit(event: AuditInput): Promise<AuditEvent>;
  /** Newest first. */
  listAuditEvents(query?: AuditQuery): Promise<Page<AuditEvent>>;

  // API keys
  createApiKey(input: { name: string; scopes: ApiScope[]; actor?: string; key?: string }): Promise<CreatedApiKey>;
  findApiKey(plainKey: string): Promise<{ id: string; name: string; scopes: ApiScope[] } | null>;
  /** Whether this plain key was created and whether it was revoked (revoked keys stay, so they cannot be made again). */
  apiKeyStatus(plainKey: string): Promise<ApiKeyStatus>;
  revokeApiKey(id: string, actor?: string): Promise<boolean>;
  listApiKeys(): Promise<ApiKeyInfo[]>;
  hasAnyAdminKey(): Promise<boolean>;

  /**
   * Calls `onChange` after a version publish, channel move or params change commits,
   * in this process or (PostgreSQL) any process sharing the database.
   * Resolves once listening has started.
   *
   * `onReconnect` is called when listening resumes after its connection was lost (PostgreSQL):
   * changes committed meanwhile were not notified, so whatever was cached from them must be
   * read again.
   */
  listen(onChange: (event: ChangeEvent) => void, onReconnect?: () => void): Promise<Unsubscribe>;

  /** Raw SQL for maintenance and tests (bypasses every invariant, e.g. the hash chain). */
  unsafeQuery(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;

  close(): Promise<void>;
}
