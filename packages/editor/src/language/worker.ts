/// <reference lib="webworker" />
/**
 * Runs `analyze()` off the main thread; the page sends the latest text and
 * gets diagnostics back, then the outline: markers never wait for extras.
 */
import { analyze } from '@verdict/language';
import { outlineOf } from '@verdict/language-service';
import type { CheckRequest, CheckResponse, OutlineResponse } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<CheckRequest>) => {
  const { version, text } = event.data;
  const started = performance.now();
  const { diagnostics, ast } = analyze(text);
  const response: CheckResponse = { kind: 'diagnostics', version, diagnostics, analyzeMs: performance.now() - started, receivedAt: performance.timeOrigin + started, postedAt: performance.timeOrigin + performance.now() };
  scope.postMessage(response);
  const outline: OutlineResponse = { kind: 'outline', version, items: outlineOf(ast) };
  scope.postMessage(outline);
};
