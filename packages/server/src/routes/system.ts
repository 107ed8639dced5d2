/** Health, readiness, metrics, the OpenAPI document and its browsable page, and the event stream. */
import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Api } from '../api.ts';
import type { BearerAuth } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { EVENT_TYPES, type EventFilter, type EventType } from '../events.ts';
import type { Services } from '../services.ts';
import { docsPage } from '../docs-page.ts';

export function systemRoutes(api: Api, services: Services, openapi: () => Record<string, unknown>, stillAllowed: BearerAuth['stillAllowed']): void {
  api.add({
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    summary: 'The process is up',
    tag: 'system',
    scope: null,
    responses: { 200: { description: 'OK.' } },
    handler: (c) => c.json({ status: 'ok' }),
  });

  api.add({
    method: 'get',
    path: '/readyz',
    operationId: 'ready',
    summary: 'The database is reachable and the server is not shutting down',
    tag: 'system',
    scope: null,
    responses: { 200: { description: 'Ready.' }, 503: { description: 'The database did not answer its last probe (`unavailable`), the decision log cannot take more (`log_full`), or the server is shutting down (`draining`). Answered at once from the last probe (every second, 1 s timeout).' } },
    // From the last known state, never waiting on the database: a hung one must not hang the check.
    handler: (c) => {
      const status = { database: services.store.driver, log_queue: services.log.depth, log_write_failures: services.log.failingWrites };
      if (services.lifecycle.draining) return c.json({ status: 'draining', ...status }, 503, { 'Retry-After': '5' });
      const admission = services.log.admit();
      if (!admission.ok) return c.json({ status: 'log_full', ...status, message: 'the decision log cannot take more decisions' }, 503, { 'Retry-After': String(admission.retryAfterSeconds) });
      if (services.health.current().up) return c.json({ status: 'ready', ...status });
      // the driver's text can name hosts, users and databases: it is in the server log, not shown to an unauthenticated caller
      return c.json({ status: 'unavailable', ...status, message: 'the database is not reachable; see the server log' }, 503, { 'Retry-After': '5' });
    },
  });

  api.add({
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    tag: 'system',
    scope: null,
    responses: { 200: { description: 'Metrics in the Prometheus text format.', contentType: 'text/plain' } },
    handler: async (c) => c.text(await services.metrics.registry.metrics(), 200, { 'Content-Type': services.metrics.registry.contentType }),
  });

  api.add({
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This document',
    tag: 'system',
    scope: null,
    responses: { 200: { description: 'OpenAPI 3.1.' } },
    handler: (c) => c.json(openapi()),
  });

  api.add({
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    summary: 'The API reference, browsable',
    tag: 'system',
    scope: null,
    responses: { 200: { description: 'HTML.', contentType: 'text/html' } },
    handler: (c) => c.html(docsPage(openapi())),
  });

  api.add({
    method: 'get',
    path: '/v1/events',
    operationId: 'events',
    summary: 'Server-sent events: `policy_validation_completed` per decision, `channel_moved`, `params_changed`, `version_published`',
    tag: 'events',
    scope: 'read',
    query: {
      ruleset: { schema: { type: 'string', maxLength: 200 }, description: 'Only events of this ruleset.' },
      types: {
        schema: { type: 'string', pattern: `^(${EVENT_TYPES.join('|')})(,(${EVENT_TYPES.join('|')}))*$` },
        description: `Only events of these types, comma-separated (${EVENT_TYPES.map((t) => `\`${t}\``).join(', ')}); default all.`,
      },
    },
    stream: true,
    responses: {
      200: {
        description: [
          'An event stream. It starts with a `ready` event naming its filter. A stream whose unread events pass the server\'s buffer bound',
          '(`VERDICT_EVENT_BUFFER`) ends with a `dropped` event (`reason: slow_reader`); one whose key is revoked ends with `revoked`.',
        ].join(' '),
        contentType: 'text/event-stream',
      },
      429: { description: '`too_many_streams`: the key already has `VERDICT_EVENT_STREAMS_PER_KEY` streams open, or the server `VERDICT_EVENT_STREAMS`.' },
    },
    handler: (c, { query }) => {
      const filter: EventFilter = {
        ruleset: query['ruleset'] ?? null,
        types: query['types'] === undefined ? null : new Set(query['types'].split(',') as EventType[]),
      };
      const headers = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' };
      // HEAD opens nothing: its answer has no body, so a stream would never be read or closed
      if (c.req.method === 'HEAD') return c.body(null, 200, headers);
      const opened = services.events.open(c.get('caller')?.keyId ?? 'anonymous', filter);
      if (typeof opened === 'string') {
        const limits = services.events.limits;
        throw new ApiError(
          429,
          'too_many_streams',
          opened === 'per_key' ? `this API key already has ${limits.perKey} event streams open; close one first` : `the server already has ${limits.total} event streams open; retry later`,
          [],
          { 'Retry-After': '5' },
        );
      }
      const ready = `event: ready\ndata: ${JSON.stringify({ ruleset: filter.ruleset, types: filter.types === null ? null : [...filter.types] })}\n\n`;
      // The key was checked when the stream opened; a key revoked since (or stripped of `read`) must
      // not go on receiving decisions: checked again before each write (answered from the key cache,
      // which a revocation here clears at once), and the stream ends with `revoked`.
      const allowed = () => stillAllowed(c, 'read');

      // On Node, written straight to the connection: one write per flush, no stream machinery between.
      const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
      if (outgoing !== undefined && typeof outgoing.writeHead === 'function') {
        outgoing.writeHead(200, { ...headers, 'X-Request-Id': c.get('requestId') });
        outgoing.write(ready);
        outgoing.once('close', () => opened.close());
        opened.attach({
          buffered: () => outgoing.writableLength,
          allowed,
          write: (text) => {
            if (!outgoing.writableEnded) outgoing.write(text);
          },
          end: (text) => {
            if (!outgoing.writableEnded) outgoing.end(text);
          },
        });
        return RESPONSE_ALREADY_SENT;
      }

      // Elsewhere (`app.request` in tests): a web stream whose queue is what the reader has not taken.
      const encoder = new TextEncoder();
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>(
        {
          start(start) {
            controller = start;
            start.enqueue(encoder.encode(ready));
          },
          cancel() {
            opened.close();
          },
        },
        // nothing is read ahead: what waits in this queue is what the reader has not taken
        { highWaterMark: 0, size: (chunk) => chunk.byteLength },
      );
      let ended = false;
      opened.attach({
        buffered: () => Math.max(0, -(controller.desiredSize ?? 0)),
        allowed,
        write: (text) => {
          if (!ended) controller.enqueue(encoder.encode(text));
        },
        end: (text) => {
          if (ended) return;
          ended = true;
          try {
            if (text !== undefined) controller.enqueue(encoder.encode(text));
            controller.close();
          } catch {
            // already cancelled by the client
          }
        },
      });
      // the client went away (the adapter also cancels the body then)
      const signal = c.req.raw.signal;
      if (signal.aborted) opened.close();
      else signal.addEventListener('abort', () => opened.close(), { once: true });
      return c.body(body, 200, headers);
    },
  });
}
