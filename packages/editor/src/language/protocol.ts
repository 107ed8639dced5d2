import type { Diagnostic } from '@verdict/language';

/** Page -> analysis worker: check this text of model version `version`. */
export interface CheckRequest {
  version: number;
  text: string;
}

/** Analysis worker -> page. */
export interface CheckResponse {
  version: number;
  diagnostics: Diagnostic[];
  /** Time spent in `analyze()`, ms. */
  analyzeMs: number;
}
