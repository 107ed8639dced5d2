/**
 * What an embedded evaluator keeps of a decision until it is shipped, and how that becomes the
 * `ShippedDecision` the server's log takes. `evaluate()` only queues a small record (ids, outcome,
 * rules and messages, outputs, the input, the time); the input's hash or redacted copy, the
 * scrubbing of sensitive values and the timestamp's text are made when the batch is sent, still
 * before anything leaves the process. So the input must not be changed after it was evaluated
 * (see `EmbeddedRuleset.evaluate`).
 */
import { hash } from 'node:crypto';
import { redact, scrubberFor } from '@verdict/engine';
import type { ServerDecision } from '../index.ts';
import type { ShippedDecision } from './types.ts';

/** What an embedded evaluator writes to the log of an input (as the server's `log.inputs` setting). */
export type ShipInputs = 'hash' | 'redacted' | 'none';

/** What the decisions of one version on one channel share in the queue (made once per version in use). */
export interface ShipOrigin {
  readonly ruleset: string;
  readonly version: number;
  readonly hash: string;
  readonly channel: string | null;
  /** The sensitive input paths of the version. */
  readonly sensitive: readonly string[][];
  readonly shipInputs: ShipInputs;
}

/**
 * A decision waiting in the shipping queue: only what the log needs of it (not the engine's whole
 * answer, with its locations and reads), since a full queue holds 100,000 of them.
 */
export interface PendingDecision {
  readonly origin: ShipOrigin;
  readonly id: string;
  readonly decision: string;
  readonly violations: ReadonlyArray<{ readonly rule: string; readonly severity: string; readonly message: string }>;
  readonly outputs: Record<string, unknown>;
  readonly durationUs: number;
  /** The input as evaluated; left out when nothing of it is shipped. */
  readonly input: unknown;
  /** When it was made (`Date.now()`). */
  readonly at: number;
}

const NO_VIOLATIONS: PendingDecision['violations'] = Object.freeze([]);

/** What the queue keeps of `decision`, made by `origin` from `input`. */
export function pending(origin: ShipOrigin, decision: ServerDecision, input: unknown): PendingDecision {
  const { violations } = decision;
  return {
    origin,
    id: decision.decision_id,
    decision: decision.decision,
    violations: violations.length === 0 ? NO_VIOLATIONS : violations.map((v) => ({ rule: v.rule, severity: v.severity, message: v.message })),
    outputs: decision.outputs,
    durationUs: decision.duration_us,
    input: origin.shipInputs === 'none' && origin.sensitive.length === 0 ? undefined : input,
    at: Date.now(),
  };
}

/** The decision as the log receives it: sensitive values hidden, the input as its hash, redacted, or left out. */
export function shipped(item: PendingDecision): ShippedDecision {
  const { origin, input } = item;
  const scrubber = scrubberFor(input, origin.sensitive);
  const out: ShippedDecision = {
    decision_id: item.id,
    ruleset: origin.ruleset,
    version: origin.version,
    hash: origin.hash,
    channel: origin.channel,
    decision: item.decision,
    violations: scrubber === null ? (item.violations as ShippedDecision['violations']) : item.violations.map((v) => ({ rule: v.rule, severity: v.severity, message: scrubber.message(v.message) })),
    outputs: scrubber === null ? item.outputs : scrubber.outputs(item.outputs),
    duration_us: item.durationUs,
    created_at: isoTime(item.at),
  };
  if (origin.shipInputs === 'hash') out.input_hash = `sha256:${hash('sha256', JSON.stringify(input) ?? 'null', 'hex')}`;
  else if (origin.shipInputs === 'redacted') out.input = redact(input, origin.sensitive);
  return out;
}

/** The last millisecond formatted: decisions made in the same millisecond share its text. */
let lastMs = -1;
let lastIso = '';

function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
