/** Generated `insurance.auto_quote` inputs across states, ages, vehicles and coverages. */
import { chance, pick, seeded } from './random.ts';

export interface QuoteInput {
  state: string;
  applicant: { age: number; years_licensed: number; at_fault_claims_3y: number; credit_tier?: 'excellent' | 'good' | 'fair' | 'poor' };
  vehicle: { type: 'sedan' | 'suv' | 'truck' | 'sports' | 'ev'; value: number; annual_miles: number };
  coverage: { liability_limit: number; deductible: number };
}

const STATES = ['CA', 'NY', 'TX', 'FL', 'IL', 'WA', 'MA', 'HI', 'OH', 'GA', 'NV', 'OR'];

export function quoteInputs(count: number, seed = 3): QuoteInput[] {
  const random = seeded(seed);
  const inputs: QuoteInput[] = [];
  for (let i = 0; i < count; i++) {
    const age = 14 + Math.floor(random() * 70);
    const applicant: QuoteInput['applicant'] = {
      age,
      years_licensed: Math.max(0, Math.floor(random() * (age - 15))),
      at_fault_claims_3y: pick(random, [0, 0, 0, 0, 1, 1, 2, 3]),
    };
    if (chance(random, 0.8)) applicant.credit_tier = pick(random, ['excellent', 'good', 'fair', 'poor'] as const);
    inputs.push({
      state: pick(random, STATES),
      applicant,
      vehicle: { type: pick(random, ['sedan', 'suv', 'truck', 'sports', 'ev'] as const), value: pick(random, [12000, 25000, 42000, 60000, 80000, 160000]), annual_miles: pick(random, [3000, 5000, 9000, 15000, 15001, 22000]) },
      coverage: { liability_limit: pick(random, [10000, 20000, 25000, 30000, 50000, 100000]), deductible: pick(random, [250, 500, 750, 1000, 2000]) },
    });
  }
  return inputs;
}
