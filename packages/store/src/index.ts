export { openStore, type OpenStoreOptions } from './open.ts';
export { InvalidCursorError, NotFoundError, StaleParentError, type NotFoundKind } from './errors.ts';
export { canonicalJson, chainHash, GENESIS_HASH, sha256Hex, type ChainedContent } from './hash.ts';
export { MIGRATIONS_FOLDER } from './migrations.ts';
export { isStorableText, unstorableTextAt } from './text.ts';
export { API_SCOPES } from './types.ts';
export type {
  ApiKeyInfo,
  ApiScope,
  AppendOptions,
  AppendResult,
  AuditEvent,
  AuditInput,
  AuditQuery,
  ChainVerification,
  ChangeEvent,
  ChannelGuard,
  ChannelState,
  CreatedApiKey,
  DecisionInput,
  DecisionQuery,
  DecisionRecord,
  DecisionViolation,
  Json,
  Page,
  Params,
  PublishInput,
  PublishResult,
  RulesetSummary,
  Store,
  Unsubscribe,
  VersionRecord,
  VersionSummary,
  ViolationQuery,
  ViolationRecord,
} from './types.ts';
export { postgresUnreachableReason } from './probe.ts';
