import * as apiKeys from './apiKeys.ts';
import * as audit from './audit.ts';
import * as channels from './channels.ts';
import type { Db } from './db.ts';
import * as decisions from './decisions.ts';
import type { Store } from './types.ts';
import * as versions from './versions.ts';

/** The driver-specific parts of a Store. */
export type DriverParts = Pick<Store, 'driver' | 'listen' | 'unsafeQuery' | 'close'>;

export interface StoreTuning {
  /** Decisions per INSERT statement when appending to the log (see `appendDecisions`). */
  logChunkRows?: number;
}

/** Binds the driver-independent repository functions to one drizzle database. */
export function createStore(db: Db, parts: DriverParts, tuning: StoreTuning = {}): Store {
  return {
    driver: parts.driver,
    publishVersion: (input) => versions.publishVersion(db, input),
    listRulesets: () => versions.listRulesets(db),
    listVersions: (ruleset) => versions.listVersions(db, ruleset),
    getVersion: (ruleset, version) => versions.getVersion(db, ruleset, version),
    latestVersion: (ruleset) => versions.latestVersion(db, ruleset),

    getChannel: (ruleset, channel) => channels.getChannel(db, ruleset, channel),
    listChannels: (ruleset) => channels.listChannels(db, ruleset),
    moveChannel: (ruleset, channel, version, actor, reason, guard) =>
      channels.moveChannel(db, ruleset, channel, version, actor, reason, guard),
    setChannelParams: (ruleset, channel, params, actor, reason, guard) =>
      channels.setChannelParams(db, ruleset, channel, params, actor, reason, guard),
    patchChannelParams: (ruleset, channel, patch, actor, reason, guard) =>
      channels.patchChannelParams(db, ruleset, channel, patch, actor, reason, guard),
    channelHistory: (ruleset, channel, limit) => channels.channelHistory(db, ruleset, channel, limit),
    rollbackChannel: (ruleset, channel, toRevision, actor, reason) =>
      channels.rollbackChannel(db, ruleset, channel, toRevision, actor, reason),

    appendDecisions: (rows, options) => decisions.appendDecisions(db, rows, options, tuning.logChunkRows),
    queryDecisions: (query) => decisions.queryDecisions(db, query),
    queryViolations: (query) => decisions.queryViolations(db, query),
    setViolationResolved: (id, resolved) => decisions.setViolationResolved(db, id, resolved),
    verifyChain: () => decisions.verifyChain(db),
    recentInputs: (ruleset, channel, n) => decisions.recentInputs(db, ruleset, channel, n),

    recordAudit: (event) => audit.recordAudit(db, event),
    listAuditEvents: (query) => audit.listAuditEvents(db, query),

    createApiKey: (input) => apiKeys.createApiKey(db, input),
    findApiKey: (plainKey) => apiKeys.findApiKey(db, plainKey),
    apiKeyStatus: (plainKey) => apiKeys.apiKeyStatus(db, plainKey),
    revokeApiKey: (id, actor) => apiKeys.revokeApiKey(db, id, actor),
    listApiKeys: () => apiKeys.listApiKeys(db),
    hasAnyAdminKey: () => apiKeys.hasAnyAdminKey(db),

    listen: parts.listen,
    unsafeQuery: parts.unsafeQuery,
    close: parts.close,
  };
}
