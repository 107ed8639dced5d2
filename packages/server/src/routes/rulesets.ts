/** Rulesets and versions: list, history, source, publish, semantic diff, impact of a candidate, check. */
import { analyze, type Diagnostic } from '@verdict/language';
import { computeImpact, diffRuleset } from '@verdict/review';
import { NotFoundError, StaleParentError } from '@verdict/store';
import type { Api } from '../api.ts';
import { actorOf } from '../auth.ts';
import { ApiError, errors } from '../errors.ts';
import { changeKey } from '../events.ts';
import { RulesetRegistry } from '../registry.ts';
import { CHANNEL_NAME, DIAGNOSTIC, MAX_INT, RULESET_NAME, VERSION } from '../schemas.ts';
import type { Services } from '../services.ts';

interface PublishBody {
  source: string;
  message?: string;
  expected_parent?: number | null;
}

interface ImpactBody {
  version?: number;
  source?: string;
  channel?: string;
  limit?: number;
  inputs?: unknown[];
}

const VERSION_SUMMARY = {
  type: 'object',
  properties: {
    ruleset: { type: 'string' },
    version: { type: 'integer' },
    hash: { type: 'string' },
    author: { type: 'string' },
    message: { type: 'string' },
    parent_version: { type: ['integer', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
  },
};

export function rulesetRoutes(api: Api, services: Services): void {
  const { store, registry } = services;

  api.add({
    method: 'get',
    path: '/v1/rulesets',
    operationId: 'listRulesets',
    summary: 'List rulesets',
    tag: 'rulesets',
    scope: 'read',
    responses: { 200: { description: 'Rulesets with their latest version.' } },
    handler: async (c) => {
      const list = await store.listRulesets();
      return c.json({ items: list.map((r) => ({ name: r.name, description: r.description, latest_version: r.latestVersion, created_at: r.createdAt })) });
    },
  });

  api.add({
    method: 'get',
    path: '/v1/rulesets/{name}/versions',
    operationId: 'listVersions',
    summary: 'Version history, newest first',
    tag: 'rulesets',
    scope: 'read',
    responses: { 200: { description: 'Versions.', schema: { type: 'object', properties: { items: { type: 'array', items: VERSION_SUMMARY } } } } },
    handler: async (c, { params }) => {
      const versions = await store.listVersions(params['name']!);
      if (versions.length === 0 && (await store.latestVersion(params['name']!)) === null) throw errors.notFound(`ruleset \`${params['name']}\``);
      return c.json({ items: versions.map(versionJson) });
    },
  });

  api.add({
    method: 'get',
    path: '/v1/rulesets/{name}/versions/{version}',
    operationId: 'getVersion',
    summary: 'One version: source, hash and metadata',
    tag: 'rulesets',
    scope: 'read',
    responses: { 200: { description: 'The version.', schema: { ...VERSION_SUMMARY, properties: { ...VERSION_SUMMARY.properties, source: { type: 'string' } } } } },
    handler: async (c, { params }) => {
      const version = parseVersion(params['version']!);
      const record = await store.getVersion(params['name']!, version).catch(notFound(`version ${version} of ruleset \`${params['name']}\``));
      if (record === null) throw errors.notFound(`version ${version} of ruleset \`${params['name']}\``);
      return c.json({ ...versionJson(record), source: record.source });
    },
  });

  api.add<PublishBody>({
    method: 'post',
    path: '/v1/rulesets/{name}/versions',
    operationId: 'publish',
    summary: 'Publish a new version (compiled first; identical canonical source returns the existing version)',
    tag: 'rulesets',
    scope: 'publish',
    body: {
      type: 'object',
      required: ['source'],
      additionalProperties: false,
      properties: {
        source: { type: 'string', maxLength: 2_000_000 },
        message: { type: 'string', maxLength: 2000 },
        expected_parent: { type: ['integer', 'null'], minimum: 1, maximum: MAX_INT, description: 'The version this edit was based on; a publish on a stale base is refused (409).' },
      },
    },
    responses: {
      201: { description: 'A new version.', schema: VERSION_SUMMARY },
      200: { description: 'The same canonical source was already published: the existing version.', schema: VERSION_SUMMARY },
      409: { description: '`expected_parent` is not the latest version.' },
      422: { description: 'The source does not compile; `details` holds its diagnostics.' },
    },
    handler: async (c, { params, body }) => {
      const name = params['name']!;
      const compiled = RulesetRegistry.compileSource(body.source);
      if (!compiled.ok) throw compileFailed(compiled.diagnostics);
      if (compiled.compiled.name !== name) {
        throw nameMismatch(compiled.compiled.name, name);
      }
      try {
        const published = await store.publishVersion({
          ruleset: name,
          source: body.source,
          hash: compiled.hash,
          author: actorOf(c),
          message: body.message ?? '',
          ...(body.expected_parent === undefined ? {} : { expectedParent: body.expected_parent }),
        });
        const event = { kind: 'version' as const, ruleset: name, version: published.version };
        registry.changed(event);
        if (published.created) services.events.publish({ type: 'version_published', data: { ruleset: name, version: published.version, hash: compiled.hash } }, changeKey(event));
        const record = await store.getVersion(name, published.version);
        return c.json({ ...versionJson(record!), created: published.created }, published.created ? 201 : 200);
      } catch (error) {
        if (error instanceof StaleParentError) {
          throw errors.conflict('stale_parent', `version ${String(error.expected)} is not the latest version of \`${name}\` (the latest is ${String(error.actual)}); rebase your change`, [
            { message: 'reload the latest version and publish again', expected: error.expected, actual: error.actual },
          ]);
        }
        throw error;
      }
    },
  });

  api.add({
    method: 'get',
    path: '/v1/rulesets/{name}/diff',
    operationId: 'diff',
    summary: 'Semantic diff between two versions',
    tag: 'review',
    scope: 'read',
    query: { from: { schema: { type: 'string', pattern: '^[1-9][0-9]*$' }, description: 'The old version.' }, to: { schema: { type: 'string', pattern: '^[1-9][0-9]*$' }, description: 'The new version.' } },
    responses: { 200: { description: 'The diff report (the same JSON as `verdict diff --format json`).' } },
    handler: async (c, { params, query }) => {
      const name = params['name']!;
      if (query['from'] === undefined || query['to'] === undefined) throw errors.invalidRequest([{ path: 'query', message: 'both `from` and `to` are required' }]);
      const [from, to] = await Promise.all([registry.version(name, parseVersion(query['from'], 'query/from')), registry.version(name, parseVersion(query['to'], 'query/to'))]);
      const diff = diffRuleset({ source: from.source, ast: analyze(from.source).ast }, { source: to.source, ast: analyze(to.source).ast });
      return c.json({ rulesets: [diff], impact: {} });
    },
  });

  api.add<ImpactBody>({
    method: 'post',
    path: '/v1/rulesets/{name}/impact',
    operationId: 'impact',
    summary: "Replay a channel's recent logged inputs (and/or given inputs) through a candidate and report the decisions that would change",
    tag: 'review',
    scope: 'read',
    anyText: true,
    body: {
      type: 'object',
      additionalProperties: false,
      properties: {
        version: { ...VERSION, description: 'A published candidate version.' },
        source: { type: 'string', maxLength: 2_000_000, description: 'Or unsaved candidate source.' },
        channel: { ...CHANNEL_NAME, description: 'The channel to compare against and replay (default `production`).' },
        limit: { type: 'integer', minimum: 1, maximum: 100000, description: 'How many recent logged inputs to replay (default 1000).' },
        inputs: { type: 'array', maxItems: 10000, description: 'Extra inputs to evaluate.' },
      },
      oneOf: [{ required: ['version'] }, { required: ['source'] }],
    },
    responses: { 200: { description: 'The diff of the candidate against the channel and the impact on real traffic.' }, 422: { description: 'The candidate source does not compile.' } },
    handler: async (c, { params, body }) => {
      const name = params['name']!;
      const channel = body.channel ?? 'production';
      const current = await registry.channel(name, channel);
      let candidateSource: string;
      let candidate;
      if (body.version !== undefined) {
        const loaded = await registry.version(name, body.version);
        candidateSource = loaded.source;
        candidate = loaded.compiled;
      } else {
        const compiled = RulesetRegistry.compileSource(body.source!);
        if (!compiled.ok) throw compileFailed(compiled.diagnostics);
        if (compiled.compiled.name !== name) throw nameMismatch(compiled.compiled.name, name);
        candidateSource = body.source!;
        candidate = compiled.compiled;
      }
      // Decisions still queued in memory are part of the traffic to replay.
      await services.log.flush();
      const logged = await store.recentInputs(name, channel, body.limit ?? 1000);
      const samples = [
        ...logged.map((input, index) => ({ source: 'decision_log', index, input })),
        ...(body.inputs ?? []).map((input, index) => ({ source: 'request', index, input })),
      ];
      const impact = computeImpact(current.loaded.compiled, candidate, samples, { params: current.state.params });
      const diff = diffRuleset({ source: current.loaded.source, ast: analyze(current.loaded.source).ast }, { source: candidateSource, ast: analyze(candidateSource).ast });
      return c.json({ rulesets: [diff], impact: { [name]: impact }, base: { channel, version: current.loaded.version } });
    },
  });

  api.add<{ source: string }>({
    method: 'post',
    path: '/v1/check',
    operationId: 'check',
    summary: 'Diagnostics for unsaved source (what the editor shows)',
    tag: 'rulesets',
    scope: 'read',
    anyText: true,
    body: { type: 'object', required: ['source'], additionalProperties: false, properties: { source: { type: 'string', maxLength: 2_000_000 } } },
    responses: { 200: { description: 'Diagnostics, sorted by position.', schema: { type: 'object', properties: { ruleset: { type: 'string' }, diagnostics: { type: 'array', items: DIAGNOSTIC } } } } },
    handler: (c, { body }) => {
      const analysis = analyze(body.source);
      return c.json({ ruleset: analysis.ast.name.name, errors: analysis.diagnostics.filter((d) => d.severity === 'error').length, diagnostics: analysis.diagnostics });
    },
  });
}

export function compileFailed(diagnostics: Diagnostic[]): ApiError {
  const errorsOnly = diagnostics.filter((d) => d.severity === 'error');
  return new ApiError(
    422,
    'compile_failed',
    `the source does not compile: ${errorsOnly.length} error${errorsOnly.length === 1 ? '' : 's'}`,
    errorsOnly.map((d) => ({ path: `source:${d.span.line}:${d.span.column}`, message: d.message, code: d.code, line: d.span.line, column: d.span.column, ...(d.hint ? { hint: d.hint } : {}) })),
  );
}

function nameMismatch(declared: string, name: string): ApiError {
  return new ApiError(422, 'name_mismatch', `the source declares ruleset \`${declared}\`, not \`${name}\``, [{ path: 'body/source', message: `change the header to \`ruleset ${name}\`` }]);
}

function parseVersion(raw: string, path = 'path/version'): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1 || v > MAX_INT) throw errors.invalidRequest([{ path, message: `a version is a whole number from 1 to ${MAX_INT}` }]);
  return v;
}

function notFound(what: string) {
  return (error: unknown) => {
    if (error instanceof NotFoundError) throw errors.notFound(what);
    throw error;
  };
}

function versionJson(v: { ruleset: string; version: number; hash: string; author: string; message: string; parentVersion: number | null; createdAt: Date }) {
  return { ruleset: v.ruleset, version: v.version, hash: v.hash, author: v.author, message: v.message, parent_version: v.parentVersion, created_at: v.createdAt.toISOString() };
}
