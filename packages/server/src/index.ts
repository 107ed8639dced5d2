/** @verdict/server: the HTTP API over the engine and the store. */
export { createApp, toApiError, API_VERSION, type VerdictApp } from './app.ts';
export { startServer, type RunningServer } from './serve.ts';
export { configFromEnv, ConfigError, type ServerConfig } from './config.ts';
export { RulesetRegistry, type LoadedVersion, type ChannelView } from './registry.ts';
export { DecisionLog } from './decision-log.ts';
export { EventHub, type ServerEvent } from './events.ts';
export { Metrics } from './metrics.ts';
export { ApiError, errorBody } from './errors.ts';
export type { Services } from './services.ts';
export { createServices, type ServicesOptions } from './serve.ts';
