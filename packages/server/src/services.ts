/** What the routes share: one instance per server process. */
import type { Logger } from 'pino';
import type { Store } from '@verdict/store';
import type { ServerConfig } from './config.ts';
import type { DatabaseHealth } from './db-health.ts';
import type { DecisionLog } from './decision-log.ts';
import type { EventHub } from './events.ts';
import type { Metrics } from './metrics.ts';
import type { RulesetRegistry } from './registry.ts';
import type { WorkPool } from './work/pool.ts';

/** Process state the routes read: `draining` once shutdown began (readiness then answers 503). */
export interface Lifecycle {
  draining: boolean;
}

export interface Services {
  store: Store;
  registry: RulesetRegistry;
  log: DecisionLog;
  /** The database's last known state (readiness answers from it at once). */
  health: DatabaseHealth;
  events: EventHub;
  metrics: Metrics;
  config: ServerConfig;
  logger: Logger;
  lifecycle: Lifecycle;
  /** Worker threads for checking, compiling, diffing and impact replay. */
  work: WorkPool;
}
