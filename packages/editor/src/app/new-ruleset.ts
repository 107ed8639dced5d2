/** The New ruleset action: a dotted name and a starter template that checks and passes its test. */

/** A ruleset name: dotted lowercase words, e.g. `payments.refunds`. */
export const RULESET_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

export function starterTemplate(name: string): string {
  return `# What this ruleset decides, and for whom.
ruleset ${name}

input {
  # The amount asked for, in the account's currency.
  amount: number
  country: string
}

decision deny > allow

# Countries we do not serve.
const BLOCKED_COUNTRIES = ["KP", "IR"]

# Largest amount approved without review.
param max_amount: number = 1000 where value > 0

rule amount_limit {
  severity high
  deny when amount > max_amount
  because "Amount {amount} is over the limit of {max_amount}"
}

rule blocked_country {
  severity critical
  deny when country in BLOCKED_COUNTRIES
  because "Country {country} is not served"
}

test "a small amount from a served country is allowed" {
  input { amount: 10, country: "FR" }
  expect allow by []
}

test "a large amount is denied" {
  input { amount: 5000, country: "FR" }
  expect deny by [amount_limit]
}
`;
}
