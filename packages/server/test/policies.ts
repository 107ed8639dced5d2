// Small policies written for the server tests.

export interface PolicyOptions {
  /** Default of `param limit` (deny when amount > limit). */
  limit?: number;
  /** Extra declarations appended to the source (e.g. a const to make the source distinct). */
  extra?: string;
}

/**
 * `amount > limit` denies (high), a restricted country denies (critical),
 * `mode == "lax"` warns (low); `secret` is sensitive (redacted in the log).
 */
export function policy(name: string, options: PolicyOptions = {}): string {
  return `# A test policy.
ruleset ${name}

input {
  amount: number where value > 0
  country: string
  secret: string sensitive
  tags?: list<string>
}

decision deny > warn > allow

param limit: number = ${options.limit ?? 100} where value > 0
param mode: "strict" | "lax" = "strict"

output doubled: number = amount * 2

rule too_large {
  severity high
  deny when amount > limit
  because "amount {amount} exceeds {limit}"
}

rule restricted {
  severity critical
  deny when country in ["KP", "IR"]
  because "country {country} is restricted"
}

rule lax_mode {
  severity low
  warn when mode == "lax"
  because "lax mode"
}
${options.extra ?? ''}
`;
}

export function input(amount: number, country = 'FR', secret = 'hunter2'): Record<string, unknown> {
  return { amount, country, secret };
}

/** A source with a syntax error on line 5 (the condition is cut short). */
export function brokenPolicy(name: string): string {
  return `ruleset ${name}

input { a: number }
decision deny > allow
rule r {
  severity low
  deny when a >
  because "x"
}
`;
}
