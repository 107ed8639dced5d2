// What an embedded evaluator ships of a queued decision, made when its batch is sent: the input's
// hash or redacted copy, sensitive values scrubbed from messages and outputs, the decision's own time.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compile, sensitivePaths } from '@verdict/engine';
import { pending, shipped, type PendingDecision, type ShipInputs } from '../src/embedded/shipment.ts';
import type { ServerDecision } from '../src/index.ts';

const ruleset = compile(`ruleset ship.test
input {
  amount: number
  card: string sensitive
}
decision deny > allow
rule over {
  severity high
  deny when amount > 10
  because "amount {amount} on card {card}"
}
output card_seen: string = card
`).ruleset!;

function queued(input: unknown, shipInputs: ShipInputs, at = Date.UTC(2026, 0, 2, 3, 4, 5, 678)): { item: PendingDecision; decision: ServerDecision } {
  const result = ruleset.evaluate(input);
  if (!result.ok) throw new Error(result.error.message);
  const hash = `sha256:${'a'.repeat(64)}`;
  const decision: ServerDecision = { decision_id: '00000000-0000-4000-8000-000000000001', ruleset: 'ship.test', version: 3, channel: 'production', hash, ...result, duration_us: 2 };
  const origin = { ruleset: 'ship.test', version: 3, hash, channel: 'production', sensitive: sensitivePaths(ruleset.inputSchema), shipInputs };
  return { item: { ...pending(origin, decision, input), at }, decision };
}

describe('a queued decision as it is shipped', () => {
  it('carries the SHA-256 of the input JSON and the time the decision was made', () => {
    const input = { amount: 50, card: 'SECRET-4242' };
    const out = shipped(queued(input, 'hash').item);
    expect(out.input_hash).toBe(`sha256:${createHash('sha256').update(JSON.stringify(input)).digest('hex')}`);
    expect(out.input).toBeUndefined();
    expect(out.created_at).toBe('2026-01-02T03:04:05.678Z');
    expect(out).toMatchObject({ decision_id: '00000000-0000-4000-8000-000000000001', version: 3, channel: 'production', decision: 'deny', duration_us: 2 });
  });

  it('hides the sensitive value in messages, outputs and a redacted input, never in the decision returned', () => {
    const { item, decision } = queued({ amount: 50, card: 'SECRET-4242' }, 'redacted');
    const out = shipped(item);
    expect(JSON.stringify(out)).not.toContain('SECRET-4242');
    expect(out.violations).toEqual([{ rule: 'over', severity: 'high', message: 'amount 50 on card [redacted]' }]);
    expect(out.input).toEqual({ amount: 50, card: '[redacted]' });
    expect(decision.violations[0]!.message).toBe('amount 50 on card SECRET-4242');
    expect(decision.outputs['card_seen']).toBe('SECRET-4242');
  });

  it('leaves the input out with `none`', () => {
    const out = shipped(queued({ amount: 1, card: 'x' }, 'none').item);
    expect(out.input).toBeUndefined();
    expect(out.input_hash).toBeUndefined();
    expect(out.violations).toEqual([]);
  });

  it('gives decisions made in different milliseconds their own times', () => {
    const a = shipped(queued({ amount: 1, card: 'x' }, 'none', 1_000).item);
    const b = shipped(queued({ amount: 1, card: 'x' }, 'none', 1_001).item);
    const c = shipped(queued({ amount: 1, card: 'x' }, 'none', 1_000).item);
    expect([a.created_at, b.created_at, c.created_at]).toEqual(['1970-01-01T00:00:01.000Z', '1970-01-01T00:00:01.001Z', '1970-01-01T00:00:01.000Z']);
  });
});
