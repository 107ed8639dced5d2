import type { Diagnostic } from '@verdict/language';
import type { OutlineItem } from '@verdict/language-service';

/** Page -> analysis worker: check this text of model version `version`. */
export interface CheckRequest {
  version: number;
  text: string;
}

/** Analysis worker -> page, first: what the markers need. */
export interface CheckResponse {
  kind: 'diagnostics';
  version: number;
  diagnostics: Diagnostic[];
  /** Time spent in `analyze()`, ms. */
  analyzeMs: number;
  /** When the worker got the request and posted this response (`performance.timeOrigin + now()`, comparable across threads). */
  receivedAt: number;
  postedAt: number;
}

/** Analysis worker -> page, after the diagnostics: the outline of the same version. */
export interface OutlineResponse {
  kind: 'outline';
  version: number;
  items: OutlineItem[];
}

export type WorkerResponse = CheckResponse | OutlineResponse;
