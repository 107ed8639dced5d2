/**
 * OpenTelemetry spans through `@opentelemetry/api` only: without an SDK installed by the host
 * process every call here is the API's no-op (a non-recording span, nothing allocated for
 * attributes), so tracing costs nothing unless someone collects it. With an SDK, each request
 * gets a server span continuing the caller's W3C `traceparent`, and evaluation, publishing and
 * decision-log writes get spans of their own.
 */
import { context, INVALID_SPAN_CONTEXT, propagation, ProxyTracerProvider, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import type { Store } from '@verdict/store';
import type { AppEnv } from './env.ts';

const tracer = () => trace.getTracer('@verdict/server');

/** The API's own no-op provider: what a proxy without a registered SDK hands out. */
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();
/** The span the work is given when nothing records. */
const IDLE_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Whether a host registered a tracer provider (an SDK). Without one every span is the API's no-op,
 * but starting, activating and ending them (with a context per request) still cost several µs per
 * request: they are skipped. Asked per request, so an SDK registered after the server started is used.
 */
function tracing(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_PROVIDER;
}

const headerGetter = {
  keys: (headers: Headers) => {
    const names: string[] = [];
    headers.forEach((_value, name) => names.push(name));
    return names;
  },
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};

/** One server span per request, a child of the `traceparent` the request carries (when a propagator is installed). */
export function requestSpans(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!tracing()) return next();
    const parent = propagation.extract(context.active(), c.req.raw.headers, headerGetter);
    const span = tracer().startSpan(`HTTP ${c.req.method}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method, 'url.path': c.req.path } }, parent);
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      if (span.isRecording()) {
        const route = c.req.routePath || 'unmatched';
        span.updateName(`${c.req.method} ${route}`);
        span.setAttributes({ 'http.route': route, 'http.response.status_code': c.res.status, ...(c.get('requestId') ? { 'verdict.request_id': c.get('requestId') } : {}) });
        if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    }
  };
}

/** Runs `work` in a span named `name`; `attributes` is only called when the span records. */
export function inSpan<T>(name: string, work: (span: Span) => T, attributes?: () => Attributes): T {
  if (!tracing()) return work(IDLE_SPAN);
  return tracer().startActiveSpan(name, (span) => {
    if (attributes !== undefined && span.isRecording()) span.setAttributes(attributes());
    let result: T;
    try {
      result = work(span);
    } catch (error) {
      fail(span, error);
      span.end();
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          fail(span, error);
          span.end();
          throw error;
        },
      ) as T;
    }
    span.end();
    return result;
  });
}

function fail(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** `store` with each decision-log write in a `verdict.log.write` span (rows and appended counted). */
export function withLogWriteSpans(store: Store): Store {
  const append = store.appendDecisions.bind(store);
  const appendDecisions = (rows: Parameters<Store['appendDecisions']>[0], options?: Parameters<Store['appendDecisions']>[1]) =>
    inSpan(
      'verdict.log.write',
      async (span) => {
        const result = await append(rows, options);
        if (span.isRecording()) span.setAttributes({ 'verdict.log.appended': result.appended, 'verdict.log.skipped': result.skipped });
        return result;
      },
      () => ({ 'verdict.log.rows': rows.length, 'db.system': store.driver === 'postgres' ? 'postgresql' : 'pglite' }),
    );
  // every other member is the store's own, called on the store itself
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendDecisions') return appendDecisions;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
