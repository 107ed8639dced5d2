/** A decision as an embedded evaluator ships it to `POST /v1/decisions` (sensitive values already hidden). */
export interface ShippedDecision {
  decision_id: string;
  ruleset: string;
  version: number;
  hash: string;
  channel: string | null;
  decision: string;
  violations: Array<{ rule: string; severity: string; message: string }>;
  outputs: Record<string, unknown>;
  duration_us: number;
  input?: unknown;
  input_hash?: string;
  created_at: string;
}
