// OpenTelemetry: with an SDK installed by the host, a request continues the caller's W3C
// traceparent, and evaluation, publishing and decision-log writes get their own spans.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDriver, uniqueName } from './harness.ts';
import { input, policy } from './policies.ts';

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});

afterAll(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

forEachDriver('tracing', (ctx) => {
  it('continues the request traceparent and records evaluate, publish and log-write spans', async () => {
    const name = uniqueName('traced');
    exporter.reset();
    await ctx.t.deploy(name, policy(name));
    const publish = exporter.getFinishedSpans().find((s) => s.name === 'verdict.publish');
    expect(publish?.attributes).toMatchObject({ 'verdict.ruleset': name });

    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const parentSpan = 'b7ad6b7169203331';
    exporter.reset();
    const res = await ctx.t.request('POST', `/v1/rulesets/${name}/evaluate`, { key: 'evaluate', json: { input: input(500) }, headers: { traceparent: `00-${traceId}-${parentSpan}-01` } });
    expect(res.status).toBe(200);
    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.name === 'POST /v1/rulesets/:name/evaluate');
    const evaluate = spans.find((s) => s.name === 'verdict.evaluate');
    expect(server?.spanContext().traceId).toBe(traceId);
    expect(server?.parentSpanContext?.spanId).toBe(parentSpan);
    expect(server?.attributes).toMatchObject({ 'http.response.status_code': 200, 'http.route': '/v1/rulesets/:name/evaluate' });
    expect(evaluate?.spanContext().traceId).toBe(traceId);
    expect(evaluate?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(evaluate?.attributes).toMatchObject({ 'verdict.ruleset': name });

    await ctx.t.services.log.flush();
    const write = exporter.getFinishedSpans().find((s) => s.name === 'verdict.log.write');
    expect(write?.attributes['verdict.log.rows']).toBeGreaterThanOrEqual(1);
    expect(write?.attributes['verdict.log.appended']).toBeGreaterThanOrEqual(1);
  });
});
