/** `insurance.auto_quote` written by hand: the factor tables as object lookups and ifs. */
import type { QuoteInput } from './auto-quote-inputs.ts';
import { normalized, type Contender } from './decision.ts';

const TERRITORY: Record<string, number> = { CA: 1.28, NY: 1.35, TX: 1.12, FL: 1.4, IL: 1.08, WA: 1.05, MA: 1.22, HI: 1.15, OH: 0.95, GA: 1.1 };
const VEHICLE: Record<string, number> = { sports: 1.5, suv: 1.1, truck: 1.05, ev: 0.97, sedan: 1.0 };
const DEDUCTIBLE: Record<number, number> = { 250: 1.1, 500: 1.0, 1000: 0.9, 2000: 0.82 };
const CREDIT: Record<string, number> = { excellent: 0.9, good: 1.0, fair: 1.1, poor: 1.25 };
const NO_CREDIT_RATING = new Set(['CA', 'MA', 'HI']);
const MINIMUM_LIABILITY: Record<string, number> = { CA: 30000, NY: 25000, TX: 30000, FL: 10000 };
const SUPPORTED = new Set(Object.keys(TERRITORY));

/** Cents, half away from zero, as on paper: strip float noise (1592.8649999999998) before rounding. */
function roundCents(x: number): number {
  const cents = Number((Math.abs(x) * 100).toPrecision(12));
  return (Math.sign(x) * Math.round(cents)) / 100;
}

export interface QuoteDecision {
  decision: 'decline' | 'refer' | 'approve';
  violations: string[];
  premium: number;
}

export function quoteByHand(input: QuoteInput, baseRate = 540, maxVehicleValue = 150000): QuoteDecision {
  const { state, applicant: a, vehicle: v, coverage: c } = input;
  const age = a.age < 21 ? 1.9 : a.age < 25 ? 1.55 : a.age < 70 ? 1.0 : 1.25;
  const vehicle = v.type === 'sports' && v.value > 60000 ? 1.9 : (VEHICLE[v.type] ?? 1.0);
  const mileage = v.annual_miles > 15000 ? 1.1 : v.annual_miles < 5000 ? 0.92 : 1.0;
  const credit = NO_CREDIT_RATING.has(state) ? 1.0 : (CREDIT[a.credit_tier ?? ''] ?? 1.0);
  const claims = 1 + 0.25 * a.at_fault_claims_3y;
  const premium = roundCents(baseRate * (TERRITORY[state] ?? 1.0) * vehicle * (DEDUCTIBLE[c.deductible] ?? 1.0) * age * claims * mileage * credit);
  const declines: string[] = [];
  const refers: string[] = [];
  if (!SUPPORTED.has(state)) declines.push('unsupported_state');
  if (a.age < 16) declines.push('minimum_age');
  if (c.liability_limit < (MINIMUM_LIABILITY[state] ?? 25000)) declines.push('minimum_liability');
  if (a.at_fault_claims_3y >= 3) declines.push('claims_history');
  if (a.at_fault_claims_3y === 2) refers.push('claims_review');
  if (a.years_licensed < 2 && v.type === 'sports') refers.push('new_driver_sports');
  if (v.value > maxVehicleValue) refers.push('high_value_vehicle');
  const decision = declines.length > 0 ? 'decline' : refers.length > 0 ? 'refer' : 'approve';
  return { decision, violations: [...declines, ...refers], premium };
}

export const quoteJs: Contender<QuoteInput, QuoteDecision> = {
  name: 'hand-written JS',
  evaluate: (input) => quoteByHand(input),
  normalize: (raw) => normalized(`${raw.decision} premium=${raw.premium}`, raw.violations),
};
