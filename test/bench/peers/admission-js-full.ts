/**
 * `marketplace.admission` by hand, producing the same full decision as
 * Verdict (messages, severities, locations, the input values each rule read,
 * the score), minus input validation: the baseline for "the same work".
 */
import type { CompiledRuleset, Decision, Violation } from '@verdict/engine';
import type { AdmissionInput } from './admission-inputs.ts';
import { normalized, type Contender } from './decision.ts';

const RESTRICTED = new Set(['KP', 'IR', 'SY', 'CU']);
const WEIGHTS = { critical: 5, high: 3, medium: 2, low: 1 } as const;
type Severity = keyof typeof WEIGHTS;

export function admissionFullByHand(ruleset: CompiledRuleset): Contender<AdmissionInput, Decision> {
  // locations come from the compiled ruleset, so line moves in the source do not break the comparison
  const located = new Map(ruleset.rules.map((r) => [r.id, { line: r.span.line, column: r.span.column }]));
  const total = ruleset.rules.reduce((sum, r) => sum + r.weight, 0);
  return {
    name: 'hand-written JS (full decision)',
    evaluate: (input) => {
      const s = input.service;
      const violations: Violation[] = [];
      let violated = 0;
      const deny = (rule: string, severity: Severity, message: string, reads: Record<string, unknown>) => {
        violated += WEIGHTS[severity];
        violations.push({ rule, outcome: 'deny', severity, message, suggestion: null, location: located.get(rule)!, reads });
      };
      const production = s.environment === 'production';
      if (s.data_residency.length === 0) deny('data_residency_required', 'high', `Service ${s.id} declares no data residency`, { 'service.data_residency': [] });
      const blocked = s.data_residency.filter((c) => RESTRICTED.has(c));
      if (blocked.length > 0) deny('restricted_countries', 'critical', `Data may not reside in ${blocked.join(', ')}`, { 'service.data_residency': [...s.data_residency] });
      if (s.data_classification === 'confidential' && !s.certifications.some((c) => c === 'SOC2' || c === 'ISO27001')) {
        const held = s.certifications.length === 0 ? 'none' : s.certifications.join(', ');
        deny('confidential_certification_required', 'high', `Confidential data requires SOC2 or ISO27001 certification; service ${s.id} holds ${held}`, { 'service.data_classification': s.data_classification, 'service.certifications': [...s.certifications] });
      }
      if (production && !s.endpoint.startsWith('https://')) deny('https_required', 'critical', `Production endpoint ${s.endpoint} must start with https://`, { 'service.environment': s.environment, 'service.endpoint': s.endpoint });
      if (s.tier === 'enterprise' && (s.sla?.availability ?? 0) < 99.9) {
        const reads: Record<string, unknown> = { 'service.tier': s.tier };
        if (s.sla) reads['service.sla.availability'] = s.sla.availability;
        deny('enterprise_sla_minimum', 'medium', `Enterprise tier needs at least 99.9% availability; the SLA offers ${s.sla ? `${s.sla.availability}%` : 'none'}`, reads);
      }
      if (production && (s.tls_version ?? 0) < 1.2) {
        const reads: Record<string, unknown> = { 'service.environment': s.environment };
        if (s.tls_version !== undefined) reads['service.tls_version'] = s.tls_version;
        deny('tls_minimum', 'high', `Production needs TLS 1.2 or later; the service declares ${s.tls_version !== undefined ? String(s.tls_version) : 'no version'}`, reads);
      }
      if (s.data_classification !== 'public' && s.authentication === 'none') deny('authentication_required', 'high', `Service ${s.id} handles ${s.data_classification} data but uses no authentication`, { 'service.data_classification': s.data_classification, 'service.authentication': s.authentication });
      const decision = violations.length > 0 ? 'deny' : 'allow';
      return { decision, compliant: decision === 'allow', score: 1 - violated / total, violations, outputs: {}, errors: [], trace: null };
    },
    normalize: (raw) => normalized(raw.decision, raw.violations.map((v) => v.rule)),
    note: 'messages, reads, score; no input validation',
  };
}
