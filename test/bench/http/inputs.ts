/** The `marketplace.admission` inputs the HTTP load rotates through, and each target's request body. */
import { admissionInputs, type AdmissionInput } from '../peers/admission-inputs.ts';

/** A handful of realistic services, compliant and violating (rotated per request). */
export const SAMPLE_INPUTS: AdmissionInput[] = admissionInputs(8, 7);

export const verdictBody = (input: AdmissionInput) => JSON.stringify({ input });
export const honoBody = verdictBody;

/** A Cerbos check request: the service as the resource's attributes, action `admit`. */
export const cerbosBody = (input: AdmissionInput) =>
  JSON.stringify({
    requestId: 'bench',
    principal: { id: 'marketplace', roles: ['operator'] },
    resources: [{ actions: ['admit'], resource: { kind: 'service', id: input.service.id, attr: input.service } }],
  });
