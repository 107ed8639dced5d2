/**
 * A scratch git repository as a reviewer has it: the insurance ruleset and three commits after
 * the first (a rate change, a new rule, a renamed input field), plus caller inputs in the old shape.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const QUOTE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../rulesets/insurance/auto_quote.policy'), 'utf8');

export const NEW_RULE = `
rule exotic_vehicle {
  severity high
  decline when vehicle.value > 120000
  because "Vehicles worth {vehicle.value} are not written"
}
`;

export const TRAFFIC = [
  { state: 'CA', applicant: { age: 35, years_licensed: 15, at_fault_claims_3y: 0, credit_tier: 'good' }, vehicle: { type: 'sedan', value: 25000, annual_miles: 12000 }, coverage: { liability_limit: 100000, deductible: 500 } },
  { state: 'NY', applicant: { age: 45, years_licensed: 25, at_fault_claims_3y: 0 }, vehicle: { type: 'suv', value: 130000, annual_miles: 9000 }, coverage: { liability_limit: 250000, deductible: 1000 } },
  { state: 'TX', applicant: { age: 19, years_licensed: 1, at_fault_claims_3y: 0 }, vehicle: { type: 'sports', value: 40000, annual_miles: 15000 }, coverage: { liability_limit: 50000, deductible: 500 } },
];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function commit(repo: string, text: string, message: string): void {
  writeFileSync(join(repo, 'rulesets/auto_quote.policy'), text);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

/** Commits on `main`: base, `base_rate` 540 -> 560, rule `exotic_vehicle`, `years_licensed` renamed `licensed_years`. */
export function reviewRepository(): string {
  const repo = mkdtempSync(join(tmpdir(), 'verdict-review-'));
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'reviewer@example.com');
  git(repo, 'config', 'user.name', 'Reviewer');
  mkdirSync(join(repo, 'rulesets'));
  writeFileSync(join(repo, 'traffic.jsonl'), TRAFFIC.map((t) => JSON.stringify(t)).join('\n') + '\n');
  commit(repo, QUOTE, 'base');
  const rate = QUOTE.replace('param base_rate: decimal = 540', 'param base_rate: decimal = 560');
  commit(repo, rate, 'raise the base rate');
  const rule = rate + NEW_RULE;
  commit(repo, rule, 'decline exotic vehicles');
  commit(repo, rule.replaceAll('years_licensed', 'licensed_years'), 'rename years_licensed');
  return repo;
}
