/**
 * The Hono application: request ids, structured logs, metrics, body limit,
 * request timeout and one error handler in front of the route table.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { InvalidCursorError, NotFoundError, StaleParentError } from '@verdict/store';
import { Api } from './api.ts';
import { bearerGuard } from './auth.ts';
import { bodySizeGuard } from './body.ts';
import { Deadlines } from './deadline.ts';
import type { AppEnv } from './env.ts';
import { describeDbError, isUnavailableError } from './db-errors.ts';
import { ApiError, errorBody, errors, type ErrorStatus } from './errors.ts';
import { RateLimiter } from './rate-limit.ts';
import { channelRoutes } from './routes/channels.ts';
import { evaluationRoutes } from './routes/evaluate.ts';
import { shippedDecisionRoutes } from './routes/shipped.ts';
import { recordRoutes } from './routes/records.ts';
import { rulesetRoutes } from './routes/rulesets.ts';
import { systemRoutes } from './routes/system.ts';
import type { Services } from './services.ts';
import { requestSpans } from './tracing.ts';

export const API_VERSION = '0.1.0';

export interface VerdictApp {
  app: Hono<AppEnv>;
  api: Api;
  openapi: () => Record<string, unknown>;
}

export function createApp(services: Services, extra: (app: Hono<AppEnv>) => void = () => {}): VerdictApp {
  const app = new Hono<AppEnv>();
  const limiter = new RateLimiter(services.config.rateLimitPerSecond);
  const { guard, forget, stillAllowed } = bearerGuard(services.store, limiter);
  let nextId = 0;
  const prefix = Math.random().toString(36).slice(2, 8);

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || `${prefix}-${(nextId++).toString(36)}`;
    c.set('requestId', requestId);
    c.set('caller', null);
    // Set before the handler answers: adding a header to a finished response makes Hono rebuild it
    // around a body stream, which cost more than the evaluation itself.
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    const seconds = (performance.now() - started) / 1000;
    services.metrics.request(c.req.method, route, c.res.status, seconds);
    if (c.res.status >= 400 || services.logger.isLevelEnabled('debug')) {
      services.logger[c.res.status >= 500 ? 'error' : c.res.status >= 400 ? 'info' : 'debug']({ request_id: requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1e4) / 10 }, 'request');
    }
  });
  app.use('*', requestSpans());
  app.use('/v1/*', bodySizeGuard(services.config.bodyLimitBytes));
  // Request deadlines with one interval timer for all requests in flight, not a timer each
  // (Hono's `timeout` arms one per request); stream routes (the event stream) are exempt.
  const deadlines = new Deadlines(services.config.requestTimeoutMs, () => new HTTPException(504, { message: 'timeout' }));
  const api = new Api(app, guard);
  app.use('/v1/*', async (c, next) =>
    api.deadlineApplies(c.req.path)
      ? deadlines.run((deadline) => {
          c.set('deadline', deadline);
          return next();
        })
      : next(),
  );

  app.onError((error, c) => {
    const apiError = toApiError(error);
    // a timeout is the client's or the load's doing, not a fault: no stack, not at error level
    if (apiError.status === 504) services.logger.info({ request_id: c.get('requestId'), path: c.req.path }, 'request timed out');
    else if (apiError.code === 'database_unavailable') services.logger.warn({ request_id: c.get('requestId'), path: c.req.path, error: describeDbError(error) }, 'request needs the database, which cannot be reached');
    else if (apiError.status >= 500) services.logger.error({ request_id: c.get('requestId'), err: error }, 'request failed');
    return respond(c, apiError);
  });
  app.notFound((c) => respond(c, new ApiError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}; see /docs`)));

  const openapi = () =>
    api.openapi({ title: 'Verdict', version: API_VERSION, description: 'Policy decisions over HTTP: evaluate rulesets, publish versions, move channels, change params, read the decision log.' });
  evaluationRoutes(api, services);
  rulesetRoutes(api, services);
  channelRoutes(api, services);
  recordRoutes(api, services, forget);
  shippedDecisionRoutes(api, services);
  systemRoutes(api, services, openapi, stillAllowed);
  extra(app);
  return { app, api, openapi };
}

function respond(c: Context<AppEnv>, error: ApiError): Response {
  for (const [k, v] of Object.entries(error.headers)) c.header(k, v);
  return c.json(errorBody(error.code, error.message, error.details, c.get('requestId')), error.status);
}

/** Maps anything thrown to the API's error shape; unknown errors become a 500 without internals. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // The store's message already says what is missing ("... has no revision 9"): not suffixed again.
  if (error instanceof NotFoundError) return errors.missing(error.message.replace(/^./, (c) => c.toLowerCase()));
  if (error instanceof InvalidCursorError) return errors.invalidRequest([{ path: 'query/cursor', message: 'not a cursor this server produced' }]);
  if (error instanceof StaleParentError) return errors.conflict('stale_parent', error.message);
  if (error instanceof HTTPException) {
    if (error.status === 504) return errors.timeout();
    if (error.status === 413) return new ApiError(413, 'payload_too_large', 'the request body is too large');
    return new ApiError(error.status as ErrorStatus, 'bad_request', error.message || 'bad request');
  }
  // the database out of reach or unable to serve: the client may retry, the operator is told by /readyz and the log
  if (isUnavailableError(error)) return errors.databaseUnavailable();
  return new ApiError(500, 'internal_error', 'the server failed to handle this request; it has been logged');
}
