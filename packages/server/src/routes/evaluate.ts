/** Evaluation: one input or a batch, by version or channel (default `production`). */
import { createHash, randomUUID } from 'node:crypto';
import { StepBudget, type EvaluationError, type EvaluationResult } from '@verdict/engine';
import type { Api } from '../api.ts';
import { isolationOf } from '../config.ts';
import { ApiError, errors } from '../errors.ts';
import type { LoadedVersion } from '../registry.ts';
import { redact, scrubberFor } from '../redact.ts';
import { CHANNEL_NAME, DECISION, VERSION } from '../schemas.ts';
import type { Services } from '../services.ts';

interface Target {
  loaded: LoadedVersion;
  channel: string | null;
  params: Record<string, unknown>;
}

interface EvaluateBody {
  input: unknown;
  version?: number;
  channel?: string;
  explain?: boolean;
}

interface BatchBody {
  inputs: unknown[];
  version?: number;
  channel?: string;
  explain?: boolean;
}

const SELECT = {
  version: { ...VERSION, description: 'Evaluate this version (no channel params apply).' },
  channel: { ...CHANNEL_NAME, description: 'Evaluate the version on this channel with its params (default `production`).' },
  explain: { type: 'boolean', description: 'Include a rule-level trace with the values that decided each rule.' },
};

/** `version` and `channel` select different things (a version with defaults, or a channel with its params): one or the other. */
const VERSION_AND_CHANNEL = { required: ['version', 'channel'], description: 'Give `version` or `channel`, not both.' };

export function evaluationRoutes(api: Api, services: Services): void {
  api.add<EvaluateBody>({
    method: 'post',
    path: '/v1/rulesets/{name}/evaluate',
    operationId: 'evaluate',
    summary: 'Evaluate one input',
    tag: 'evaluation',
    scope: 'evaluate',
    anyText: true,
    loadsStoredVersion: true,
    body: { type: 'object', required: ['input'], additionalProperties: false, properties: { input: { description: 'The input document.' }, ...SELECT }, not: VERSION_AND_CHANNEL },
    responses: {
      200: { description: 'The decision.', schema: DECISION },
      422: { description: 'The input breaks the ruleset\'s input schema (every failing path listed).' },
    },
    handler: async (c, { params, body }) => {
      const target = await resolveTarget(services, params['name']!, body);
      const result = evaluateOne(services, target, body.input, body.explain === true);
      if (!result.ok) throw new ApiError(422, result.error.code, result.error.message, result.error.details);
      await services.log.durable(); // as safe as the log's durability mode promises before the answer leaves
      return c.json(result.body);
    },
  });

  api.add<BatchBody>({
    method: 'post',
    path: '/v1/rulesets/{name}/evaluate/batch',
    operationId: 'evaluateBatch',
    summary: 'Evaluate many inputs; each item gets its own decision or its own error',
    tag: 'evaluation',
    scope: 'evaluate',
    anyText: true,
    loadsStoredVersion: true,
    body: {
      type: 'object',
      required: ['inputs'],
      additionalProperties: false,
      properties: { inputs: { type: 'array', maxItems: 10000, description: 'Input documents.' }, ...SELECT },
      not: VERSION_AND_CHANNEL,
    },
    responses: {
      200: {
        description: 'One result per input, in order: a decision, or `{ index, error }`.',
        schema: { type: 'object', properties: { results: { type: 'array', items: { oneOf: [DECISION, { type: 'object', required: ['index', 'error'] }] } } } },
      },
    },
    handler: async (c, { params, body }) => {
      const target = await resolveTarget(services, params['name']!, body);
      // one budget of steps for the whole batch; the event loop is given back between slices of it
      const budget = new StepBudget(isolationOf(services.config).batchMaxSteps);
      const results: unknown[] = [];
      let slice = performance.now();
      for (let index = 0; index < body.inputs.length; index++) {
        if (budget.exhausted) {
          results.push({ index, error: batchSpent(budget) });
          continue;
        }
        const result = evaluateOne(services, target, body.inputs[index], body.explain === true, budget);
        results.push(result.ok ? result.body : { index, error: result.error });
        if (performance.now() - slice > BATCH_SLICE_MS) {
          await new Promise<void>((next) => setImmediate(next));
          slice = performance.now();
        }
      }
      await services.log.durable();
      return c.json({ results });
    },
  });
}

async function resolveTarget(services: Services, name: string, body: { version?: number; channel?: string }): Promise<Target> {
  // refused before any work when the decision could not be logged (VERDICT_LOG_OVERFLOW=refuse)
  const admission = services.log.admit();
  if (!admission.ok) throw errors.logUnavailable(admission.reason, admission.retryAfterSeconds);
  if (body.version !== undefined) {
    const loaded = await services.registry.version(name, body.version);
    const defaults = loaded.compiled.validateParams({});
    return { loaded, channel: null, params: defaults.ok ? defaults.values : {} };
  }
  const channel = body.channel ?? 'production';
  const view = await services.registry.channel(name, channel);
  return { loaded: view.loaded, channel, params: view.params };
}

type Evaluated = { ok: true; body: Record<string, unknown> } | { ok: false; error: EvaluationError };

/** How long a batch evaluates before it lets other requests in. */
const BATCH_SLICE_MS = 5;

/** An input of a batch whose budget ran out (during it, or before it began): an error, never a decision. */
function batchSpent(budget: StepBudget): EvaluationError {
  return { code: 'limit_exceeded', message: `the batch spent its budget of ${budget.maxSteps} steps (VERDICT_BATCH_MAX_STEPS); send the rest in another request`, details: [] };
}

function evaluateOne(services: Services, target: Target, input: unknown, explain: boolean, budget?: StepBudget): Evaluated {
  const { loaded } = target;
  const started = performance.now();
  const result: EvaluationResult = loaded.compiled.evaluate(input, budget === undefined ? { params: target.params, explain } : { params: target.params, explain, budget });
  const durationUs = Math.round((performance.now() - started) * 1000);
  // a decision cut short by the batch's budget is not answered (nor logged) as a decision
  if (budget?.exhausted === true) return { ok: false, error: batchSpent(budget) };
  if (!result.ok) return { ok: false, error: result.error };
  const { ok: _ok, ...decision } = result;
  const id = randomUUID();
  services.metrics.decision(loaded.ruleset, decision.decision, durationUs / 1e6);
  const body = {
    decision_id: id,
    ruleset: loaded.ruleset,
    version: loaded.version,
    channel: target.channel,
    hash: loaded.hash,
    ...decision,
    duration_us: durationUs,
  };
  if (services.config.logSampleRate >= 1 || Math.random() < services.config.logSampleRate) {
    // the log copy only: the response keeps the real values (the caller sent them)
    const scrubber = scrubberFor(input, loaded.sensitive);
    services.log.append({
      id,
      ruleset: loaded.ruleset,
      version: loaded.version,
      channel: target.channel,
      decision: decision.decision,
      violations: decision.violations.map((v) => ({ rule: v.rule, severity: v.severity, message: scrubber === null ? v.message : scrubber.message(v.message) })),
      outputs: scrubber === null ? decision.outputs : scrubber.outputs(decision.outputs),
      durationUs,
      ...logInput(services, loaded, input),
    });
  }
  // built only for a subscriber: most decisions have none, and this runs per decision
  if (services.events.size > 0) services.events.publish({
    type: 'policy_validation_completed',
    data: { decision_id: id, ruleset: loaded.ruleset, version: loaded.version, channel: target.channel, decision: decision.decision, compliant: decision.compliant, violations: decision.violations.map((v) => v.rule) },
  });
  return { ok: true, body };
}

function logInput(services: Services, loaded: LoadedVersion, input: unknown): { input?: unknown; inputHash?: string } {
  switch (services.config.logInputs) {
    case 'none':
      return {};
    case 'hash':
      return { inputHash: `sha256:${createHash('sha256').update(JSON.stringify(input)).digest('hex')}` };
    default:
      return { input: redact(input, loaded.sensitive) };
  }
}
