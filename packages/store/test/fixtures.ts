// Shared fixtures of the Store behaviour suites: unique names, publish inputs, decisions, change events.
import { sha256Hex, type ChangeEvent, type DecisionInput } from '../src/index.ts';

export const SLOW = 120_000;
let counter = 0;
export const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${(counter++).toString(36)}`;

export function publishInput(ruleset: string, source: string, extra: { expectedParent?: number | null } = {}) {
  return { ruleset, source, hash: sha256Hex(source), author: 'ana', message: `publish ${source}`, ...extra };
}

/** Collects change events and lets a test wait for one (the timeout only guards against hangs). */
export function eventRecorder() {
  const events: ChangeEvent[] = [];
  const waiters: { match: (e: ChangeEvent) => boolean; resolve: (e: ChangeEvent) => void }[] = [];
  return {
    events,
    onChange(event: ChangeEvent) {
      events.push(event);
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(event)) waiter.resolve(event);
        else waiters.push(waiter);
      }
    },
    next(match: (e: ChangeEvent) => boolean): Promise<ChangeEvent> {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching change event within 20s')), 20_000);
        waiters.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
  };
}

export function decision(ruleset: string, i: number, extra: Partial<DecisionInput> = {}): DecisionInput {
  const deny = i % 3 === 0;
  return {
    id: unique(`d${i}`),
    ruleset,
    version: 1,
    channel: 'production',
    decision: deny ? 'deny' : 'allow',
    violations: deny
      ? [
          { rule: 'restricted_countries', severity: 'critical', message: `blocked ${i}` },
          { rule: 'too_large', severity: 'low' },
        ]
      : [],
    // Keys out of order, floats and non-ASCII text: the hash must survive the jsonb round trip.
    outputs: { z: 0.1 + 0.2, a: { y: [1, 2.5, 'é'], b: null }, premium: i * 1.28 },
    durationUs: 10 + i,
    input: { service: { id: `s${i}`, secret: '[redacted]' }, amount: i },
    ...extra,
  };
}
