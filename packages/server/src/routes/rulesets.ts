/** Rulesets and versions: list, history, source, publish, semantic diff, impact of a candidate, check. */
import type { TestResult } from '@verdict/engine';
import type { Diagnostic } from '@verdict/language';
import { NotFoundError, StaleParentError, type DecisionRecord, type Page } from '@verdict/store';
import type { Api } from '../api.ts';
import { actorOf } from '../auth.ts';
import { ApiError, errors } from '../errors.ts';
import { changeKey } from '../events.ts';
import { boundedJson, maxResponseBytesSchema, responseBound } from '../proportion.ts';
import { CHANNEL_NAME, DIAGNOSTIC, MAX_INT, RULESET_NAME, VERSION } from '../schemas.ts';
import type { Services } from '../services.ts';
import { offThread } from '../work/errors.ts';
import { compileSettings } from '../work/settings.ts';

interface PublishBody {
  source: string;
  message?: string;
  expected_parent?: number | null;
  force?: { reason: string };
}

interface ImpactBody {
  version?: number;
  source?: string;
  channel?: string;
  limit?: number;
  inputs?: unknown[];
  max_response_bytes?: number;
}

/** How an impact replay is done (the OpenAPI description of its answer). */
const IMPACT_DESCRIPTION = [
  'The diff of the candidate against the channel and the impact on real traffic.',
  "Each side evaluates with its own params: the channel's version with the values the channel evaluates with, the candidate with the channel's overrides validated against the candidate.",
  "An override the candidate refuses (a param it does not declare, or whose type or `where` changed) is replayed with the candidate's default and listed in `replay.candidate_defaulted`;",
  'moving the channel to that candidate is refused until the override is reset or changed.',
  '`replay` also counts the inputs each side refused and the logged inputs that could not be replayed as decided (redacted, or logged without the input),',
  'so that `changed: 0` is not mistaken for a comparison that could not really be made.',
].join(' ');

const IMPACT_RESPONSE = {
  type: 'object',
  properties: {
    rulesets: { type: 'array', description: "The semantic diff of the candidate against the channel's version (one item)." },
    impact: { type: 'object', description: 'The impact report, by ruleset name: inputs evaluated, decisions changed, transitions, rules, examples; inputs that become invalid (with the failing path), outputs that change (numbers with their relative change) and scores that change.' },
    base: { type: 'object', properties: { channel: { type: 'string' }, version: { type: 'integer' } } },
    replay: {
      type: 'object',
      description: 'How the replay was done, and what it could not compare.',
      properties: {
        params: {
          type: 'object',
          description: 'The params each side evaluated with.',
          properties: { current: { type: 'object' }, candidate: { type: 'object' } },
        },
        candidate_defaulted: {
          type: 'array',
          description: "The channel's overrides the candidate refuses (one item per failing param or part of one); the candidate was replayed with its defaults for them.",
          items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
        },
        invalid: {
          type: 'object',
          description: 'Replayed inputs (logged and given) each side refused, e.g. because they do not match its input schema.',
          properties: { current: { type: 'integer' }, candidate: { type: 'integer' } },
        },
        redacted: { type: 'integer', description: "Recent logged decisions whose input could not be replayed as decided: it holds a `[redacted]` value (replayed as such), or it was not logged at all (not replayed; see `without_input`)." },
        without_input: { type: 'integer', description: 'Of `redacted`, the decisions logged with only a hash of the input, or none.' },
      },
    },
  },
};

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
        force: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          description: "Publish although the source's own tests fail; the reason and the failing tests are recorded in the audit log.",
          properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
      },
    },
    responses: {
      201: { description: 'A new version.', schema: VERSION_SUMMARY },
      200: { description: 'The same canonical source was already published: the existing version.', schema: VERSION_SUMMARY },
      409: { description: '`expected_parent` is not the latest version.' },
      422: {
        description:
          "The source does not compile (`compile_failed`; `details` holds its diagnostics), is larger than the size limits (`ruleset_too_large`, naming the limit), compiling it took longer than the work time limit (`work_timeout`; 503 `work_busy` with `Retry-After` when too many such tasks wait), or `tests_failed`: some of its own `test` blocks fail (`details`: one item per failing test, with its name, line and failures); send `force` with a reason to publish anyway.",
      },
    },
    handler: async (c, { params, body }) => {
      const name = params['name']!;
      // compiled off the main thread (and stopped at the time limit); the registry compiles its own copy when it is evaluated
      const compiled = await offThread('compiling the source', () => services.work.run({ kind: 'compile', source: body.source, settings: compileSettings(services.config) }));
      if (!compiled.ok) throw compileFailed(compiled.diagnostics);
      if (compiled.name !== name) {
        throw nameMismatch(compiled.name, name);
      }
      const failing = compiled.failingTests;
      const reason = body.force?.reason.trim() ?? '';
      if (failing.length > 0 && reason === '') throw testsFailed(failing, body.force !== undefined);
      try {
        const published = await store.publishVersion({
          ruleset: name,
          source: body.source,
          hash: compiled.hash,
          author: actorOf(c),
          message: body.message ?? '',
          ...(body.expected_parent === undefined ? {} : { expectedParent: body.expected_parent }),
          ...(failing.length > 0 ? { forced: { reason, failingTests: failing.map((t) => t.name) } } : {}),
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
    loadsStoredVersion: true,
    query: { from: { schema: { type: 'string', pattern: '^[1-9][0-9]*$' }, description: 'The old version.' }, to: { schema: { type: 'string', pattern: '^[1-9][0-9]*$' }, description: 'The new version.' } },
    responses: { 200: { description: 'The diff report (the same JSON as `verdict diff --format json`).' } },
    handler: async (c, { params, query }) => {
      const name = params['name']!;
      if (query['from'] === undefined || query['to'] === undefined) throw errors.invalidRequest([{ path: 'query', message: 'both `from` and `to` are required' }]);
      // the sources only: both are analysed in a worker, not compiled here
      const [from, to] = await Promise.all([storedSource(services, name, parseVersion(query['from'], 'query/from')), storedSource(services, name, parseVersion(query['to'], 'query/to'))]);
      const diff = await offThread('diffing the versions', () => services.work.run({ kind: 'diff', from: from.source, to: to.source }));
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
    loadsStoredVersion: true,
    body: {
      type: 'object',
      additionalProperties: false,
      properties: {
        version: { ...VERSION, description: 'A published candidate version.' },
        source: { type: 'string', maxLength: 2_000_000, description: 'Or unsaved candidate source.' },
        channel: { ...CHANNEL_NAME, description: 'The channel to compare against and replay (default `production`).' },
        limit: { type: 'integer', minimum: 1, maximum: 100000, description: "How many of the channel's most recent logged decisions to replay (default 1000); those logged without their input count in `replay.redacted`." },
        inputs: { type: 'array', maxItems: 10000, description: 'Extra inputs to evaluate.' },
        max_response_bytes: maxResponseBytesSchema(services.config),
      },
      oneOf: [{ required: ['version'] }, { required: ['source'] }],
    },
    responses: {
      200: { description: IMPACT_DESCRIPTION, schema: IMPACT_RESPONSE },
      422: { description: 'The candidate source does not compile, the replay took longer than the work time limit (`work_timeout`), or `response_too_large` (see `max_response_bytes`).' },
    },
    handler: async (c, { params, body }) => {
      const name = params['name']!;
      const channel = body.channel ?? 'production';
      const bound = responseBound(c, services.config, body.max_response_bytes);
      const current = await registry.channel(name, channel);
      const candidateSource = await candidateSourceOf(services, name, body);
      // Decisions still queued in memory are part of the traffic to replay.
      await services.log.flush();
      const logged = await recentLoggedInputs(services, name, channel, body.limit ?? 1000);
      // both sides compiled and replayed off the main thread, within the time limit
      const replayed = await offThread('the impact replay', () =>
        services.work.run({
          kind: 'impact',
          request: {
            current: { source: current.loaded.source, params: current.params },
            candidate: { source: candidateSource },
            overrides: current.state.params,
            logged: logged.inputs,
            given: body.inputs ?? [],
          },
          settings: compileSettings(services.config),
        }),
      );
      if (!replayed.ok) throw compileFailed(replayed.diagnostics);
      if (replayed.candidateName !== name) throw nameMismatch(replayed.candidateName, name);
      const answer = {
        rulesets: [replayed.diff],
        impact: { [name]: replayed.impact },
        base: { channel, version: current.loaded.version },
        replay: {
          params: { current: current.params, candidate: replayed.candidateParams },
          candidate_defaulted: replayed.candidateDefaulted,
          invalid: replayed.invalid,
          redacted: replayed.redactedLogged + logged.withoutInput,
          without_input: logged.withoutInput,
        },
      };
      return boundedJson(c, answer, bound, 'replay fewer logged decisions (`limit`) or send fewer `inputs`, or set `max_response_bytes`');
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
    handler: async (c, { body }) => {
      const checked = await offThread('checking the source', () => services.work.run({ kind: 'check', source: body.source }));
      return c.json(checked);
    },
  });
}

/** A stored version (its source), or 404. */
async function storedSource(services: Services, name: string, version: number): Promise<{ source: string }> {
  const record = await services.store.getVersion(name, version).catch(notFound(`version ${version} of ruleset \`${name}\``));
  if (record === null) throw errors.notFound(`version ${version} of ruleset \`${name}\``);
  return { source: record.source };
}

/** The candidate of an impact request: a published version's source, or unsaved source (compiled and checked by the worker). */
async function candidateSourceOf(services: Services, name: string, body: ImpactBody): Promise<string> {
  if (body.version === undefined) return body.source!;
  return (await storedSource(services, name, body.version)).source;
}

/** The store's largest page of decisions. */
const DECISIONS_PAGE = 1000;

/**
 * The inputs of the channel's `limit` most recent logged decisions, newest first, and how many of
 * those were logged without their input (the server kept only a hash, or nothing).
 */
async function recentLoggedInputs(services: Services, ruleset: string, channel: string, limit: number): Promise<{ inputs: unknown[]; withoutInput: number }> {
  const inputs: unknown[] = [];
  let withoutInput = 0;
  let cursor: string | null = null;
  let seen = 0;
  do {
    const page: Page<DecisionRecord> = await services.store.queryDecisions({ ruleset, channel, limit: Math.min(DECISIONS_PAGE, limit - seen), ...(cursor === null ? {} : { cursor }) });
    for (const row of page.items) {
      if (row.input === null) withoutInput++;
      else inputs.push(row.input);
    }
    seen += page.items.length;
    cursor = page.nextCursor;
  } while (cursor !== null && seen < limit);
  return { inputs, withoutInput };
}

/** The engine's publish size limits (a const, a table, the program): answered as `ruleset_too_large`, naming the limit. */
const SIZE_LIMIT_CODES = new Set(['VD5020', 'VD5021', 'VD5022']);

export function compileFailed(diagnostics: Diagnostic[]): ApiError {
  const errorsOnly = diagnostics.filter((d) => d.severity === 'error');
  const tooLarge = errorsOnly.find((d) => SIZE_LIMIT_CODES.has(d.code));
  return new ApiError(
    422,
    tooLarge === undefined ? 'compile_failed' : 'ruleset_too_large',
    tooLarge === undefined ? `the source does not compile: ${errorsOnly.length} error${errorsOnly.length === 1 ? '' : 's'}` : `the ruleset is larger than this server takes: ${tooLarge.message}`,
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

/** 422 `tests_failed`: the version's own tests fail; each failing test is one detail. */
function testsFailed(failing: TestResult[], blankReason: boolean): ApiError {
  const count = `${failing.length} test${failing.length === 1 ? '' : 's'}`;
  return errors.unprocessable(
    'tests_failed',
    blankReason
      ? `${count} of this version fail; \`force.reason\` must say why it is published anyway`
      : `${count} of this version fail; fix them, or publish anyway with \`force: { reason }\` (recorded in the audit log)`,
    failing.map((t) => ({ path: 'source', test: t.name, line: t.line, message: t.failures.join('; '), failures: t.failures })),
  );
}
