/// <reference lib="webworker" />
/** Runs `analyze()` off the main thread; the page sends the latest text and gets diagnostics back. */
import { analyze } from '@verdict/language';
import type { CheckRequest, CheckResponse } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<CheckRequest>) => {
  const { version, text } = event.data;
  const started = performance.now();
  const { diagnostics } = analyze(text);
  const response: CheckResponse = { version, diagnostics, analyzeMs: performance.now() - started };
  scope.postMessage(response);
};
