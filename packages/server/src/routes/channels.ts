/** Channels: move, roll back, history; params per channel: read, patch, reset. Every change is a revision with an audit event. */
import type { ParamsResult } from '@verdict/engine';
import type { ChannelState } from '@verdict/store';
import type { Api } from '../api.ts';
import { actorOf } from '../auth.ts';
import { ApiError, errors, type ErrorDetail } from '../errors.ts';
import { changeKey } from '../events.ts';
import type { LoadedVersion } from '../registry.ts';
import { CHANNEL_NAME, CHANNEL_STATE, VERSION } from '../schemas.ts';

const CHANNEL_PATTERN = new RegExp(CHANNEL_NAME.pattern);
import type { Services } from '../services.ts';

export function channelRoutes(api: Api, services: Services): void {
  const { store, registry } = services;
  const changed = (state: ChannelState, kind: 'channel' | 'params') => {
    const event = { kind, ruleset: state.ruleset, channel: state.channel, version: state.version, revision: state.revision };
    registry.changed(event);
    services.events.publish({ type: kind === 'channel' ? 'channel_moved' : 'params_changed', data: channelJson(state) }, changeKey(event));
  };

  api.add({
    method: 'get',
    path: '/v1/rulesets/{name}/channels',
    operationId: 'listChannels',
    summary: "A ruleset's channels",
    tag: 'channels',
    scope: 'read',
    responses: { 200: { description: 'Channels.', schema: { type: 'object', properties: { items: { type: 'array', items: CHANNEL_STATE } } } } },
    handler: async (c, { params }) => {
      const items = await store.listChannels(params['name']!);
      // No channels may mean no such ruleset: 404 then, as its /versions answers.
      if (items.length === 0) await requireRuleset(services, params['name']!);
      return c.json({ items: items.map(channelJson) });
    },
  });

  api.add({
    method: 'get',
    path: '/v1/rulesets/{name}/channels/{channel}',
    operationId: 'getChannel',
    summary: 'Current state of a channel',
    tag: 'channels',
    scope: 'read',
    responses: { 200: { description: 'The channel.', schema: CHANNEL_STATE } },
    handler: async (c, { params }) => c.json(channelJson(await current(services, params['name']!, params['channel']!))),
  });

  api.add<{ version: number; reason?: string }>({
    method: 'put',
    path: '/v1/rulesets/{name}/channels/{channel}',
    operationId: 'moveChannel',
    summary: 'Point a channel at a version (creates the channel if needed)',
    tag: 'channels',
    scope: 'publish',
    body: { type: 'object', required: ['version'], additionalProperties: false, properties: { version: VERSION, reason: { type: 'string', maxLength: 2000 } } },
    loadsStoredVersion: true,
    responses: {
      200: { description: 'The new channel state (a move to the version the channel is on makes no revision).', schema: CHANNEL_STATE },
      422: { description: "The channel's param overrides (which a move keeps) do not validate against the version; `details` names each param and nothing changes." },
    },
    handler: async (c, { params, body }) => {
      const name = params['name']!;
      // Only names an evaluation can select (`channel` in its body) may be created.
      if (!CHANNEL_PATTERN.test(params['channel']!)) throw errors.invalidRequest([{ path: 'path/channel', message: `a channel name matches ${CHANNEL_NAME.pattern}` }]);
      const target = await registry.version(name, body.version);
      const before = await store.getChannel(name, params['channel']!);
      // a heavy version's params are checked in a worker, before the lock: against the overrides the channel has now
      const prechecked = target.compiled === null ? await prechecking(services, target, before?.params ?? {}) : null;
      // checked under the channel's lock, against the overrides the move really carries
      const state = await store.moveChannel(name, params['channel']!, body.version, actorOf(c), body.reason, (_current, next) => requireOverridesFit(target, next.params, prechecked));
      // a move to the version the channel is already on makes no revision: nothing to announce
      if (state.revision !== before?.revision) changed(state, 'channel');
      return c.json(channelJson(state));
    },
  });

  api.add<{ revision: number; reason?: string }>({
    method: 'post',
    path: '/v1/rulesets/{name}/channels/{channel}/rollback',
    operationId: 'rollbackChannel',
    summary: 'Restore an earlier revision (version and params) as a new revision',
    tag: 'channels',
    scope: 'publish',
    body: { type: 'object', required: ['revision'], additionalProperties: false, properties: { revision: VERSION, reason: { type: 'string', maxLength: 2000 } } },
    responses: { 200: { description: 'The new channel state.', schema: CHANNEL_STATE } },
    handler: async (c, { params, body }) => {
      const state = await store.rollbackChannel(params['name']!, params['channel']!, body.revision, actorOf(c), body.reason);
      changed(state, 'channel');
      return c.json(channelJson(state));
    },
  });

  api.add({
    method: 'get',
    path: '/v1/rulesets/{name}/channels/{channel}/history',
    operationId: 'channelHistory',
    summary: 'Revisions of a channel, newest first',
    tag: 'channels',
    scope: 'read',
    query: { limit: { schema: { type: 'string', pattern: '^[0-9]{1,4}$' }, description: 'At most this many (default 100).' } },
    responses: { 200: { description: 'Revisions.', schema: { type: 'object', properties: { items: { type: 'array', items: CHANNEL_STATE } } } } },
    handler: async (c, { params, query }) => {
      await current(services, params['name']!, params['channel']!);
      const items = await store.channelHistory(params['name']!, params['channel']!, query['limit'] === undefined ? 100 : Number(query['limit']));
      return c.json({ items: items.map(channelJson) });
    },
  });

  api.add({
    method: 'get',
    path: '/v1/rulesets/{name}/channels/{channel}/params',
    operationId: 'getParams',
    summary: "A channel's params: effective values, overrides and declarations",
    tag: 'params',
    scope: 'read',
    loadsStoredVersion: true,
    responses: { 200: { description: 'Params.' } },
    handler: async (c, { params }) => {
      const view = await registry.channel(params['name']!, params['channel']!);
      return c.json(paramsJson(view.state, view.params, view.loaded.info.params));
    },
  });

  api.add<{ params: Record<string, unknown>; reason?: string }>({
    method: 'patch',
    path: '/v1/rulesets/{name}/channels/{channel}/params',
    operationId: 'patchParams',
    summary: 'Change params (validated against type and `where`; a bad value changes nothing); `null` resets one param',
    tag: 'params',
    scope: 'publish',
    body: { type: 'object', required: ['params'], additionalProperties: false, properties: { params: { type: 'object', minProperties: 1 }, reason: { type: 'string', maxLength: 2000 } } },
    loadsStoredVersion: true,
    responses: { 200: { description: 'The effective params after the change (a patch that changes nothing makes no revision).' }, 422: { description: 'A value breaks its type or `where`; `details` names each param.' } },
    handler: async (c, { params, body }) => {
      const view = await registry.channel(params['name']!, params['channel']!);
      // Undeclared names are refused before merging (`__proto__` would otherwise vanish into the prototype).
      const declared = new Set(view.loaded.info.params.map((p) => p.name));
      const unknown = Object.keys(body.params).filter((k) => !declared.has(k) && body.params[k] !== null);
      const next: Record<string, unknown> = { ...view.state.params };
      for (const [k, v] of Object.entries(body.params)) {
        if (v === null) delete next[k];
        else if (declared.has(k)) next[k] = v;
      }
      const checked = await registry.validateParams(view.loaded, next);
      if (!checked.ok || unknown.length > 0) {
        const details = [...unknown.map((n) => ({ path: n, message: `unknown param \`${n}\`` })), ...(checked.ok ? [] : checked.error.details)];
        throw invalidParams(`invalid param override: ${details.map((d) => d.path).join(', ')}`, details);
      }
      // Validated above against the version this server last saw; again under the lock, against what is
      // there now, since another replica may have moved the channel or changed its params meanwhile.
      const state = await store.patchChannelParams(params['name']!, params['channel']!, body.params, actorOf(c), body.reason, (current, merged) => {
        requireSameVersion(current, view.loaded.version);
        requireValid(checkedUnderLock(view.loaded, merged.params, { params: next, result: checked }));
      });
      // The store makes no revision for a patch that changes nothing: then there is nothing to announce.
      // (Only a stale cached view could make the revisions differ without a write; announcing then refreshes it.)
      if (state.revision !== view.state.revision) changed(state, 'params');
      return c.json(paramsJson(state, checked.values, view.loaded.info.params));
    },
  });

  api.add<{ names?: string[]; reason?: string }>({
    method: 'post',
    path: '/v1/rulesets/{name}/channels/{channel}/params/reset',
    operationId: 'resetParams',
    summary: 'Reset params to their defaults (all, or those named)',
    tag: 'params',
    scope: 'publish',
    body: { type: 'object', additionalProperties: false, properties: { names: { type: 'array', items: { type: 'string' }, uniqueItems: true }, reason: { type: 'string', maxLength: 2000 } } },
    loadsStoredVersion: true,
    responses: { 200: { description: 'The effective params after the reset.' } },
    handler: async (c, { params, body }) => {
      const view = await registry.channel(params['name']!, params['channel']!);
      const declared = view.loaded.info.params.map((p) => p.name);
      const unknown = (body.names ?? []).filter((n) => !declared.includes(n));
      if (unknown.length > 0) throw new ApiError(422, 'invalid_params', `unknown param${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `\`${n}\``).join(', ')}`, unknown.map((n) => ({ path: `params/${n}`, message: 'not declared by this ruleset' })));
      // Named params are removed by a merge under the channel's lock, so a change another replica made
      // meanwhile to the other params is kept; all of them, by clearing the overrides.
      const reason = body.reason ?? 'reset';
      const state =
        body.names === undefined
          ? await store.setChannelParams(params['name']!, params['channel']!, {}, actorOf(c), reason)
          : await store.patchChannelParams(params['name']!, params['channel']!, Object.fromEntries(body.names.map((n) => [n, null])), actorOf(c), reason, (current) => requireSameVersion(current, view.loaded.version));
      if (state.revision !== view.state.revision) changed(state, 'params');
      const values = await registry.validateParams(view.loaded, state.params);
      return c.json(paramsJson(state, values.ok ? values.values : {}, view.loaded.info.params));
    },
  });
}

/**
 * A move keeps the channel's param overrides, so it is refused when the target version does not
 * accept them (a param it no longer declares, or one whose type or `where` changed): evaluation
 * would otherwise fall back to the defaults silently. Run as the store's guard, so it sees the
 * overrides the move really carries.
 */
function requireOverridesFit(target: LoadedVersion, overrides: Record<string, unknown>, prechecked: Prechecked | null): void {
  const checked = checkedUnderLock(target, overrides, prechecked);
  if (checked.ok) return;
  const names = [...new Set(checked.error.details.map((d) => paramOf(d.path)))];
  throw invalidParams(
    `version ${target.version} does not accept the channel's override${names.length === 1 ? '' : 's'} of ${names.map((n) => `\`${n}\``).join(', ')}; reset or change ${names.length === 1 ? 'it' : 'them'} before moving`,
    checked.error.details,
  );
}

/** Refuses a params change made against a version the channel is no longer on (another replica moved it). */
function requireSameVersion(current: ChannelState | null, version: number): void {
  if (current !== null && current.version !== version) {
    throw errors.conflict('channel_moved', `the channel moved to version ${current.version} while this change was made against version ${version}; read its params again and retry`);
  }
}

/** Refuses params that do not validate (the same error as the route's own check). */
function requireValid(checked: ParamsResult): void {
  if (!checked.ok) throw invalidParams(`invalid param override: ${checked.error.details.map((d) => d.path).join(', ')}`, checked.error.details);
}

/** Params a heavy version checked in a worker, before the store's lock was taken. */
interface Prechecked {
  params: Record<string, unknown>;
  result: ParamsResult;
}

async function prechecking(services: Services, target: LoadedVersion, params: Record<string, unknown>): Promise<Prechecked> {
  return { params, result: await services.registry.validateParams(target, params) };
}

/**
 * `params` validated under the store's lock (a synchronous guard): on this thread, or for a heavy
 * version the worker's answer for the same params. When another replica changed them meanwhile, the
 * change is refused as a conflict (the caller reads again and retries).
 */
function checkedUnderLock(target: LoadedVersion, params: Record<string, unknown>, prechecked: Prechecked | null): ParamsResult {
  if (target.compiled !== null) return target.compiled.validateParams(params);
  if (prechecked !== null && canonicalJson(prechecked.params) === canonicalJson(params)) return prechecked.result;
  throw errors.conflict('channel_changed', "the channel's params changed while this change was being checked; read them again and retry");
}

/** JSON with every object's keys sorted: params compare equal whatever order they were merged in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The param a validation detail is about (its path may go deeper: `limits.max`, `tiers[0]`). */
export function paramOf(path: string): string {
  return path.split(/[.[/]/)[0]!;
}

/** The error of a param override that does not validate, with one detail per failing param (or part of one). */
function invalidParams(message: string, details: ErrorDetail[]): ApiError {
  return new ApiError(422, 'invalid_params', message, details);
}

async function requireRuleset(services: Services, ruleset: string): Promise<void> {
  if ((await services.store.latestVersion(ruleset)) === null) throw errors.notFound(`ruleset \`${ruleset}\``);
}

async function current(services: Services, ruleset: string, channel: string): Promise<ChannelState> {
  const state = await services.store.getChannel(ruleset, channel);
  if (state === null) throw errors.notFound(`channel \`${channel}\` of ruleset \`${ruleset}\``);
  return state;
}

export function channelJson(s: ChannelState) {
  return { ruleset: s.ruleset, channel: s.channel, revision: s.revision, version: s.version, params: s.params, author: s.author, reason: s.reason, created_at: s.createdAt.toISOString() };
}

function paramsJson(state: ChannelState, values: Record<string, unknown>, declared: ReadonlyArray<{ name: string; type: unknown; default: unknown; doc: string | null }>) {
  return {
    ruleset: state.ruleset,
    channel: state.channel,
    revision: state.revision,
    values,
    overrides: state.params,
    declarations: declared.map((p) => ({ name: p.name, type: p.type, default: p.default, doc: p.doc })),
  };
}
