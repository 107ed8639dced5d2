import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * JSON with object keys sorted at every level, so the text does not depend on
 * key order (jsonb reorders keys). `undefined` members are dropped like JSON.stringify.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

/** prev_hash of the first row of the decision log. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of a decision log row covered by its hash. */
export interface ChainedContent {
  id: string;
  ruleset: string;
  version: number;
  channel: string | null;
  decision: string;
  violatedRules: string[];
  outputs: Record<string, unknown>;
  durationUs: number;
  input: unknown;
  inputHash: string | null;
  createdAt: Date;
}

export function chainHash(prevHash: string, content: ChainedContent): string {
  const body = canonicalJson({
    id: content.id,
    ruleset: content.ruleset,
    version: content.version,
    channel: content.channel,
    decision: content.decision,
    violatedRules: content.violatedRules,
    outputs: content.outputs,
    durationUs: content.durationUs,
    input: content.input ?? null,
    inputHash: content.inputHash,
    createdAt: content.createdAt.toISOString(),
  });
  return sha256Hex(prevHash + body);
}
