/// <reference types="vite/client" />

declare module 'monaco-editor/esm/vs/editor/editor.worker.js?worker' {
  const WorkerFactory: new () => Worker;
  export default WorkerFactory;
}
declare module 'monaco-editor/esm/vs/language/json/json.worker.js?worker' {
  const WorkerFactory: new () => Worker;
  export default WorkerFactory;
}

interface Window {
  /** Edit-to-markers time of the last check, in ms, for the browser tests. */
  __verdictLastCheckMs?: number;
  /** Time the worker spent in `analyze()` for that check, in ms. */
  __verdictLastAnalyzeMs?: number;
  /** The model version the last markers were computed for. */
  __verdictCheckedVersion?: number;
  __verdictEditor?: unknown;
  /** Where the last check's time went, ms: messaging = toWorker + fromWorker (+ posting the response). */
  __verdictLastCheckBreakdown?: { waitMs: number; analyzeMs: number; messagingMs: number; applyMs: number; toWorkerMs: number; fromWorkerMs: number };
}
