/** Health, readiness, metrics, the OpenAPI document and its browsable page, and the event stream. */
import { streamSSE } from 'hono/streaming';
import type { Api } from '../api.ts';
import type { BearerAuth } from '../auth.ts';
import type { ServerEvent } from '../events.ts';
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
    query: { ruleset: { schema: { type: 'string', maxLength: 200 }, description: 'Only events of this ruleset.' } },
    stream: true,
    responses: { 200: { description: 'An event stream.', contentType: 'text/event-stream' } },
    handler: (c, { query }) =>
      streamSSE(c, async (stream) => {
        const queue: Array<ServerEvent & { id: number }> = [];
        let wake: (() => void) | null = null;
        const unsubscribe = services.events.subscribe((event) => {
          if (query['ruleset'] !== undefined && event.data['ruleset'] !== query['ruleset']) return;
          if (queue.length < 10_000) queue.push(event);
          wake?.();
        });
        let open = true;
        const end = () => {
          open = false;
          unsubscribe();
          wake?.();
        };
        const offClose = services.events.onClose(end);
        stream.onAbort(() => {
          offClose();
          end();
        });
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ ruleset: query['ruleset'] ?? null }) });
        while (open) {
          // The key was checked when the stream opened; a key revoked since (or stripped of `read`)
          // must not go on receiving decisions: checked again before each event and keep-alive
          // (answered from the key cache, which a revocation here clears at once).
          if (!(await stillAllowed(c, 'read'))) {
            await stream.writeSSE({ event: 'revoked', data: JSON.stringify({ message: 'the API key of this stream is no longer valid' }) });
            break;
          }
          const event = queue.shift();
          if (event !== undefined) {
            await stream.writeSSE({ event: event.type, id: String(event.id), data: JSON.stringify(event.data) });
            continue;
          }
          // Wait for an event, or send a comment every 15 s so proxies keep the stream open.
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, 15_000).unref();
          });
          clearTimeout(timer);
          wake = null;
          if (open && queue.length === 0) await stream.write(': keep-alive\n\n');
        }
        // ended here (a revoked key) or by the client or shutdown: either way, no longer subscribed
        offClose();
        end();
      }),
  });
}
