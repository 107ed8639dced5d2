import { hash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * JSON with object keys sorted at every level, so the text does not depend on
 * key order (jsonb reorders keys). `undefined` members are dropped like JSON.stringify.
 *
 * Written as plain loops over one output string: it runs for every logged
 * decision (the chain hash), where the map/filter/join version cost more than
 * serialising the whole row.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || typeof value !== 'object') {
    // undefined, functions and symbols have no JSON text; a bigint throws, as in JSON.stringify
    const text = JSON.stringify(value) as string | undefined;
    return text === undefined ? 'null' : text;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${quote(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
}

/** Characters JSON.stringify escapes in a string: quote, backslash, controls and (unpaired) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(s), without its call for the common string that needs no escape. */
function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
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
  return sha256Hex(prevHash + chainedBody(content));
}

/**
 * The canonical JSON a row's hash covers (`chainHash` is the SHA-256 of the previous row's hash
 * followed by this text). It is also valid JSON of the row's content, so the log writer sends it
 * to the database as it is instead of serialising the row a second time.
 */
export function chainedBody(content: ChainedContent): string {
  // canonicalJson of the eleven fields, written out in their sorted order (none is undefined)
  return (
    `{"channel":${canonicalJson(content.channel)},"createdAt":"${content.createdAt.toISOString()}","decision":${canonicalJson(content.decision)}` +
    `,"durationUs":${canonicalJson(content.durationUs)},"id":${canonicalJson(content.id)},"input":${canonicalJson(content.input ?? null)}` +
    `,"inputHash":${canonicalJson(content.inputHash)},"outputs":${canonicalJson(content.outputs)},"ruleset":${canonicalJson(content.ruleset)}` +
    `,"version":${canonicalJson(content.version)},"violatedRules":${canonicalJson(content.violatedRules)}}`
  );
}
