/** The decision log, violations and audit events: filtered, newest first, cursor-paginated. */
import { API_SCOPES, type ApiScope } from '@verdict/store';
import type { Api } from '../api.ts';
import { actorOf } from '../auth.ts';
import { errors } from '../errors.ts';
import { PAGE } from '../schemas.ts';
import type { Services } from '../services.ts';

const str = (description: string) => ({ schema: { type: 'string', maxLength: 200 }, description });
const time = (description: string) => ({ schema: { type: 'string', format: 'date-time' }, description });
const LIMIT = { schema: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' }, description: 'Page size, 1 to 1000 (default 100).' };

/** `forgetKeys` drops the auth cache, so a key revoked here stops working on this server at once. */
export function recordRoutes(api: Api, services: Services, forgetKeys: () => void = () => {}): void {
  const { store } = services;

  api.add({
    method: 'get',
    path: '/v1/decisions',
    operationId: 'queryDecisions',
    summary: 'The decision log',
    tag: 'records',
    scope: 'read',
    query: {
      ruleset: str('Only this ruleset.'),
      channel: str('Only this channel.'),
      decision: str('Only this outcome.'),
      rule: str('Only decisions that violated this rule.'),
      since: time('Not before (RFC 3339).'),
      until: time('Before (RFC 3339).'),
      limit: LIMIT,
      cursor: str('From `next_cursor` of the previous page.'),
    },
    responses: { 200: { description: 'A page of decisions.', schema: PAGE({ type: 'object' }) } },
    handler: async (c, { query }) => {
      await services.log.flush();
      const page = await store.queryDecisions({ ...filters(query), ...pick(query, ['ruleset', 'channel', 'decision', 'rule', 'cursor']) });
      return c.json({
        items: page.items.map((d) => ({
          seq: d.seq,
          decision_id: d.id,
          ruleset: d.ruleset,
          version: d.version,
          channel: d.channel,
          decision: d.decision,
          violated_rules: d.violatedRules,
          outputs: d.outputs,
          duration_us: d.durationUs,
          input: d.input,
          input_hash: d.inputHash,
          row_hash: d.rowHash,
          created_at: d.createdAt.toISOString(),
        })),
        next_cursor: page.nextCursor,
      });
    },
  });

  api.add({
    method: 'get',
    path: '/v1/violations',
    operationId: 'queryViolations',
    summary: 'Violations across decisions',
    tag: 'records',
    scope: 'read',
    query: {
      ruleset: str('Only this ruleset.'),
      rule: str('Only this rule.'),
      severity: { schema: { enum: ['critical', 'high', 'medium', 'low'] }, description: 'Only this severity.' },
      resolved: { schema: { enum: ['true', 'false'] }, description: 'Only resolved or unresolved.' },
      decision_id: str('Only this decision.'),
      since: time('Not before.'),
      until: time('Before.'),
      limit: LIMIT,
      cursor: str('From `next_cursor`.'),
    },
    responses: { 200: { description: 'A page of violations.', schema: PAGE({ type: 'object' }) } },
    handler: async (c, { query }) => {
      await services.log.flush();
      const page = await store.queryViolations({
        ...filters(query),
        ...pick(query, ['ruleset', 'rule', 'severity', 'cursor']),
        ...(query['decision_id'] ? { decisionId: query['decision_id'] } : {}),
        ...(query['resolved'] ? { resolved: query['resolved'] === 'true' } : {}),
      });
      return c.json({
        items: page.items.map((v) => ({ id: v.id, decision_id: v.decisionId, ruleset: v.ruleset, rule: v.rule, severity: v.severity, message: v.message, resolved: v.resolved, created_at: v.createdAt.toISOString() })),
        next_cursor: page.nextCursor,
      });
    },
  });

  api.add({
    method: 'get',
    path: '/v1/audit',
    operationId: 'auditEvents',
    summary: 'Audit events: publishes, channel moves, param changes, key changes',
    tag: 'records',
    scope: 'admin',
    query: { ruleset: str('Only this ruleset.'), action: str('Only this action.'), limit: LIMIT, cursor: str('From `next_cursor`.') },
    responses: { 200: { description: 'A page of audit events.', schema: PAGE({ type: 'object' }) } },
    handler: async (c, { query }) => {
      const page = await store.listAuditEvents({ ...pick(query, ['ruleset', 'action', 'cursor']), ...(query['limit'] ? { limit: Number(query['limit']) } : {}) });
      return c.json({
        items: page.items.map((e) => ({ id: e.id, actor: e.actor, action: e.action, ruleset: e.ruleset, channel: e.channel, old: e.detail.old ?? null, new: e.detail.new ?? null, created_at: e.createdAt.toISOString() })),
        next_cursor: page.nextCursor,
      });
    },
  });

  api.add<{ name: string; scopes: ApiScope[] }>({
    method: 'post',
    path: '/v1/keys',
    operationId: 'createKey',
    summary: 'Create an API key (the plain key is returned once)',
    tag: 'keys',
    scope: 'admin',
    body: {
      type: 'object',
      required: ['name', 'scopes'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, scopes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...API_SCOPES] } } },
    },
    responses: { 201: { description: 'The key.', schema: { type: 'object', properties: { id: { type: 'string' }, key: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'array' } } } } },
    handler: async (c, { body }) => {
      const created = await store.createApiKey({ name: body.name, scopes: body.scopes, actor: actorOf(c) });
      return c.json({ id: created.id, key: created.key, name: body.name, scopes: body.scopes }, 201);
    },
  });

  api.add({
    method: 'get',
    path: '/v1/keys',
    operationId: 'listKeys',
    summary: 'API keys (never the keys themselves)',
    tag: 'keys',
    scope: 'admin',
    responses: { 200: { description: 'Keys.' } },
    handler: async (c) => {
      const keys = await store.listApiKeys();
      return c.json({ items: keys.map((k) => ({ id: k.id, name: k.name, scopes: k.scopes, created_at: k.createdAt.toISOString(), revoked_at: k.revokedAt?.toISOString() ?? null })) });
    },
  });

  api.add({
    method: 'delete',
    path: '/v1/keys/{id}',
    operationId: 'revokeKey',
    summary: 'Revoke an API key',
    tag: 'keys',
    scope: 'admin',
    responses: { 204: { description: 'Revoked.' } },
    handler: async (c, { params }) => {
      if (!(await store.revokeApiKey(params['id']!, actorOf(c)))) throw errors.notFound(`API key \`${params['id']}\``);
      forgetKeys();
      return c.body(null, 204);
    },
  });
}

function filters(query: Record<string, string>) {
  return {
    ...(query['since'] ? { since: new Date(query['since']) } : {}),
    ...(query['until'] ? { until: new Date(query['until']) } : {}),
    ...(query['limit'] ? { limit: Number(query['limit']) } : {}),
  };
}

function pick(query: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => query[k] !== undefined && query[k] !== '').map((k) => [k, query[k]!]));
}
