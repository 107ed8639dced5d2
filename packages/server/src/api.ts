/**
 * The route table. Each route is declared once with its scope and JSON
 * Schemas; the same declaration registers the Hono handler (auth, rate
 * limit, body parsing and ajv validation in front of it) and produces the
 * OpenAPI 3.1 document, so the document cannot drift from the routes.
 */
import type { Context, Hono } from 'hono';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import { isStorableText, unstorableTextAt, type ApiScope } from '@verdict/store';
import { readText } from './body.ts';
import { parseJsonBody } from './json.ts';
import { ApiError, errors, type ErrorDetail } from './errors.ts';
import type { AppEnv } from './env.ts';
import { inSpan } from './tracing.ts';

export type Schema = { [key: string]: unknown };
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteRequest<B> {
  params: Record<string, string>;
  query: Record<string, string>;
  body: B;
}

export interface RouteSpec<B = unknown> {
  method: Method;
  /** OpenAPI-style path: `/v1/rulesets/{name}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** The API key scope required, or null for an open route. */
  scope: ApiScope | null;
  body?: Schema;
  /**
   * The body's strings may hold any character (U+0000, a lone surrogate): they are evaluated or
   * checked, never stored as sent. Other routes refuse such strings with a 400, since the database
   * cannot hold them.
   */
  anyText?: boolean;
  query?: Record<string, { schema: Schema; description: string }>;
  /** Compiles a stored version (of a channel or named): 503 `ruleset_unavailable` when it no longer compiles. */
  loadsStoredVersion?: boolean;
  /** A response that stays open (the event stream): no request deadline, so no 504. */
  stream?: boolean;
  responses: Record<number, { description: string; schema?: Schema; contentType?: string }>;
  handler: (c: Context<AppEnv>, request: RouteRequest<B>) => Promise<Response> | Response;
}

export type Guard = (c: Context<AppEnv>, scope: ApiScope | null) => Promise<void>;

const ajv = new Ajv2020({ allErrors: true, strict: false });
// years 1 to 9999: PostgreSQL's timestamps start at 4713 BC, but year 0 (which Date accepts) is not one
ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)) && /^(?!0000)\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value));
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

export class Api {
  private readonly routes: RouteSpec[] = [];
  /** Paths of stream routes (they have no path parameters), exempt from the request deadline. */
  private readonly streamPaths = new Set<string>();

  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly guard: Guard,
  ) {}

  add<B>(spec: RouteSpec<B>): void {
    this.routes.push(spec as RouteSpec);
    if (spec.stream === true) this.streamPaths.add(spec.path);
    const validateBody = spec.body === undefined ? null : ajv.compile(spec.body);
    const validateQuery = spec.query === undefined ? null : ajv.compile(querySchema(spec.query));
    // A body whose schema requires nothing may be left out (`POST .../params/reset` with no body resets all).
    const bodyOptional = spec.body !== undefined && !Array.isArray(spec.body['required']) && spec.body['oneOf'] === undefined && spec.body['anyOf'] === undefined;
    const honoPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
    this.app.on(spec.method.toUpperCase(), honoPath, async (c) => {
      await this.guard(c, spec.scope);
      const params = c.req.param() as Record<string, string>;
      const query = c.req.query();
      const badText = [...textProblems(params, 'path'), ...textProblems(query, 'query')];
      if (badText.length > 0) throw errors.invalidRequest(badText);
      if (validateQuery !== null && !validateQuery(query)) throw errors.invalidRequest(ajvDetails(validateQuery, 'query'));
      const body = validateBody === null ? undefined : await readBody(c, validateBody, bodyOptional);
      const inBody = spec.anyText === true ? null : unstorableTextAt(body, 'body');
      if (inBody !== null) throw errors.invalidRequest([{ path: inBody, message: UNSTORABLE_MESSAGE }]);
      // a span per operation (`verdict.evaluate`, `verdict.publish`, ...): a no-op without an SDK
      return inSpan(`verdict.${spec.operationId}`, () => spec.handler(c, { params, query, body: body as B }), () => ({
        ...(params['name'] === undefined ? {} : { 'verdict.ruleset': params['name'] }),
        ...(params['channel'] === undefined ? {} : { 'verdict.channel': params['channel'] }),
        ...(c.get('caller') === null ? {} : { 'verdict.key': c.get('caller')!.name }),
      }));
    });
  }

  openapi(info: { title: string; version: string; description: string }): Schema {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const parameters = [
        ...[...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
        ...Object.entries(route.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: false, description: q.description, schema: q.schema })),
      ];
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(route.responses)) {
        responses[status] = { description: r.description, ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: r.schema } } } : {}) };
      }
      for (const status of errorStatuses(route)) responses[status] ??= { $ref: `#/components/responses/Error${status}` };
      (paths[route.path] ??= {})[route.method] = {
        operationId: route.operationId,
        summary: route.summary,
        tags: [route.tag],
        ...(route.scope === null ? { security: [] } : { security: [{ bearer: [] }], 'x-verdict-scope': route.scope }),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
        responses,
      };
    }
    const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    return {
      openapi: '3.1.0',
      info,
      paths,
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key created with POST /v1/keys (or the bootstrap admin key).' } },
        schemas: { Error: ERROR_SCHEMA },
        responses: {
          Error400: errorResponse('Malformed JSON, or a body or query that does not match the schema (every failing path listed).'),
          Error401: errorResponse('Missing or unknown API key.'),
          Error403: errorResponse('The API key lacks the scope this route needs.'),
          Error404: errorResponse('Unknown ruleset, version, channel or key.'),
          Error413: errorResponse('The body is larger than the configured limit.'),
          Error415: errorResponse('The body is not application/json.'),
          Error429: errorResponse('Rate limit exceeded; see the Retry-After header.'),
          Error503: errorResponse(
            '`database_unavailable`: the database cannot be reached (see Retry-After). `decision_log_full`: the decision log cannot take more decisions (see Retry-After). `ruleset_unavailable`: the stored version is not one this server can compile; publish a fixed version or move the channel.',
          ),
          Error504: errorResponse('`timeout`: the request took longer than the configured request timeout and was stopped.'),
        },
      },
    };
  }

  list(): ReadonlyArray<Pick<RouteSpec, 'method' | 'path' | 'scope' | 'summary' | 'tag' | 'loadsStoredVersion' | 'stream'>> {
    return this.routes;
  }

  /** Whether a request to `path` runs under the request deadline (see `hasDeadline`). */
  deadlineApplies(path: string): boolean {
    return path.startsWith('/v1/') && !this.streamPaths.has(path);
  }
}

/** Every /v1 route runs under the request deadline (and so may answer 504), except a stream. */
function hasDeadline(route: RouteSpec): boolean {
  return route.path.startsWith('/v1/') && route.stream !== true;
}

const UNSTORABLE_MESSAGE = 'must not contain U+0000 or an unpaired UTF-16 surrogate';

/** Path or query values the database could not store (they would name nothing it holds). */
function textProblems(values: Record<string, string>, where: string): ErrorDetail[] {
  return Object.entries(values)
    .filter(([, value]) => !isStorableText(value))
    .map(([name]) => ({ path: `${where}/${name}`, message: UNSTORABLE_MESSAGE }));
}

function errorStatuses(route: RouteSpec): number[] {
  const statuses: number[] = [];
  if (route.body || route.query || route.path.includes('{')) statuses.push(400);
  if (route.scope !== null) statuses.push(401, 403, 429);
  if (route.path.includes('{')) statuses.push(404);
  if (route.body) statuses.push(413, 415);
  // a key is looked up in the database (when not cached), as is most of what routes read
  if (route.scope !== null || route.loadsStoredVersion === true) statuses.push(503);
  if (hasDeadline(route)) statuses.push(504);
  return statuses;
}

function querySchema(query: Record<string, { schema: Schema }>): Schema {
  return { type: 'object', properties: Object.fromEntries(Object.entries(query).map(([k, q]) => [k, q.schema])), additionalProperties: false };
}

async function readBody(c: Context<AppEnv>, validate: ValidateFunction, optional: boolean): Promise<unknown> {
  const type = c.req.header('content-type');
  const text = await readText(c);
  let body: unknown;
  if (optional && text.trim() === '') body = {};
  else {
    if (type === undefined || !/^application\/(.+\+)?json\b/i.test(type)) throw errors.unsupportedMediaType(type);
    const parsed = parseJsonBody(text);
    if (!parsed.ok) throw 'syntax' in parsed ? errors.invalidJson(parsed.syntax) : errors.unacceptableJson(parsed.details);
    body = parsed.value;
  }
  if (!validate(body)) throw errors.invalidRequest(ajvDetails(validate, 'body'));
  return body;
}

export function ajvDetails(validate: ValidateFunction, where: string): ErrorDetail[] {
  return (validate.errors ?? []).map((e) => {
    const path = `${where}${e.instancePath}`;
    const extra = e.keyword === 'additionalProperties' ? ` (\`${String((e.params as { additionalProperty?: string }).additionalProperty)}\`)` : '';
    return { path, message: `${e.message ?? 'is invalid'}${extra}` };
  });
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

const ERROR_SCHEMA: Schema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', description: 'A stable snake_case code, e.g. `invalid_input`.' },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } }, required: ['message'] } },
        request_id: { type: 'string' },
      },
    },
  },
};
