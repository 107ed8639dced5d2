import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, GENESIS_HASH } from '../src/hash.ts';

/**
 * The first implementation, kept as the reference: every hash already in a
 * decision log was computed with it, so the faster one must give the same text.
 */
function referenceCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value) as string | undefined;
    return text === undefined ? 'null' : text;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => referenceCanonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${referenceCanonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

const FC_SEED = Number(process.env['FC_SEED'] ?? 20261127);

/** Strings that need escaping, surrogates (paired and not), and plain text. */
const awkwardString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u2028', '\ud83d', '\ude00', 'é', 'a', '/') }),
);
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    awkwardString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(awkwardString, tie('any'), { maxKeys: 5 }),
  ),
})).any;

describe('canonicalJson', () => {
  it('gives exactly the reference text on any value (so existing chains still verify)', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(referenceCanonicalJson(v));
      }),
      { seed: FC_SEED, numRuns: 2000 },
    );
  });

  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: undefined }], c: 'x"y' } })).toBe('{"a":{"c":"x\\"y","d":[2,{"z":null}]},"b":1}');
    expect(canonicalJson([undefined, Number.NaN, -0, '\ud800'])).toBe('[null,null,0,"\\ud800"]');
  });

  it('links a row hash to the previous one and to every covered field', () => {
    const content = { id: 'd1', ruleset: 'r', version: 1, channel: null, decision: 'allow', violatedRules: [], outputs: {}, durationUs: 3, input: { a: 1 }, inputHash: null, createdAt: new Date('2026-11-27T00:00:00Z') };
    const h = chainHash(GENESIS_HASH, content);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash('f'.repeat(64), content)).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...content, input: { a: 2 } })).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...content, input: { a: 1 } })).toBe(h);
  });
});
