/** What every engine's answer is reduced to before the engines are compared. */
export interface Normalized {
  decision: string;
  /** Ids of the rules that fired, sorted. */
  rules: string[];
}

/**
 * One engine under test. `evaluate` is what is timed (the engine's own call,
 * input conversion included when the engine needs its own input shape);
 * `normalize` turns its answer into a `Normalized` for the agreement check.
 */
export interface Contender<Input = unknown, Raw = unknown> {
  name: string;
  evaluate(input: Input): Raw;
  normalize(raw: Awaited<Raw>): Normalized;
  async?: boolean;
  note?: string;
}

export function sameDecision(a: Normalized, b: Normalized): boolean {
  return a.decision === b.decision && a.rules.length === b.rules.length && a.rules.every((r, i) => r === b.rules[i]);
}

export function normalized(decision: string, rules: Iterable<string>): Normalized {
  return { decision, rules: [...rules].sort() };
}

/** JSON with object keys sorted, for comparing whole decisions regardless of key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}
