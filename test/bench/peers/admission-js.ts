/** `marketplace.admission` written by hand in plain JavaScript: the baseline. */
import type { AdmissionInput } from './admission-inputs.ts';
import { normalized, type Contender } from './decision.ts';

const RESTRICTED = new Set(['KP', 'IR', 'SY', 'CU']);

export interface JsDecision {
  decision: 'deny' | 'allow';
  violations: string[];
}

export function admissionByHand(input: AdmissionInput): JsDecision {
  const s = input.service;
  const violations: string[] = [];
  const production = s.environment === 'production';
  if (s.data_residency.length === 0) violations.push('data_residency_required');
  if (s.data_residency.some((c) => RESTRICTED.has(c))) violations.push('restricted_countries');
  if (s.data_classification === 'confidential' && !s.certifications.some((c) => c === 'SOC2' || c === 'ISO27001')) violations.push('confidential_certification_required');
  if (production && !s.endpoint.startsWith('https://')) violations.push('https_required');
  if (s.tier === 'enterprise' && (s.sla?.availability ?? 0) < 99.9) violations.push('enterprise_sla_minimum');
  if (production && (s.tls_version ?? 0) < 1.2) violations.push('tls_minimum');
  if (s.data_classification !== 'public' && s.authentication === 'none') violations.push('authentication_required');
  return { decision: violations.length > 0 ? 'deny' : 'allow', violations };
}

export const admissionJs: Contender<AdmissionInput, JsDecision> = {
  name: 'hand-written JS',
  evaluate: admissionByHand,
  normalize: (raw) => normalized(raw.decision, raw.violations),
};
