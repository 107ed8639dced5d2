/** Evaluation: one input or a batch, by version or channel (default `production`). */
import { createHash, randomUUID } from 'node:crypto';
import { StepBudget, type EvaluationError, type EvaluationResult } from '@verdict/engine';
import type { Api } from '../api.ts';
import { isolationOf } from '../config.ts';
import { ApiError, errors } from '../errors.ts';
import { boundedJson, maxResponseBytesSchema, responseBound, responseTooLarge } from '../proportion.ts';
import type { LoadedVersion } from '../registry.ts';
import type { EvaluatedItem } from '../work/versions.ts';
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
  max_response_bytes?: number;
}

interface BatchBody {
  inputs: unknown[];
  version?: number;
  channel?: string;
  explain?: boolean;
  max_response_bytes?: number;
}

const EXPLAIN_HINT = 'leave out `explain`, or set `max_response_bytes`';
const BATCH_HINT = 'send fewer inputs or leave out `explain`, or set `max_response_bytes`';

const SELECT = {
  version: { ...VERSION, description: 'Evaluate this version (no channel params apply).' },
  channel: { ...CHANNEL_NAME, description: 'Evaluate the version on this channel with its params (default `production`).' },
  explain: { type: 'boolean', description: 'Include a rule-level trace with the values that decided each rule.' },
};

/** `version` and `channel` select different things (a version with defaults, or a channel with its params): one or the other. */
const VERSION_AND_CHANNEL = { required: ['version', 'channel'], description: 'Give `version` or `channel`, not both.' };

export function evaluationRoutes(api: Api, services: Services): void {
  const maxResponseBytes = maxResponseBytesSchema(services.config);
  api.add<EvaluateBody>({
    method: 'post',
    path: '/v1/rulesets/{name}/evaluate',
    operationId: 'evaluate',
    summary: 'Evaluate one input',
    tag: 'evaluation',
    scope: 'evaluate',
    anyText: true,
    loadsStoredVersion: true,
    body: { type: 'object', required: ['input'], additionalProperties: false, properties: { input: { description: 'The input document.' }, ...SELECT, max_response_bytes: { ...maxResponseBytes, description: `With \`explain\`: ${maxResponseBytes.description}` } }, not: VERSION_AND_CHANNEL },
    responses: {
      200: { description: 'The decision.', schema: DECISION },
      422: { description: 'The input breaks the ruleset\'s input schema (every failing path listed); or, with `explain`, `response_too_large`.' },
    },
    handler: async (c, { params, body }) => {
      const target = await resolveTarget(services, params['name']!, body);
      if (target.loaded.compiled === null) {
        // a heavy version: evaluated in the work pool, answered and logged here as an inline one is
        const [item] = await services.registry.evaluateHeavy(target.loaded, [body.input], { params: target.params, explain: body.explain === true, batchMaxSteps: null, signal: c.get('deadline')?.signal });
        const effects: Array<() => void> = [];
        const result = evaluated(services, target, body.input, item!, null, effects);
        if (!result.ok) throw new ApiError(422, result.error.code, result.error.message, result.error.details);
        const answer = body.explain === true ? boundedJson(c, result.body, responseBound(c, services.config, body.max_response_bytes), EXPLAIN_HINT) : c.json(result.body);
        for (const effect of effects) effect();
        await services.log.durable();
        return answer;
      }
      if (body.explain !== true) {
        const result = evaluateOne(services, target, body.input, false);
        if (!result.ok) throw new ApiError(422, result.error.code, result.error.message, result.error.details);
        await services.log.durable(); // as safe as the log's durability mode promises before the answer leaves
        return c.json(result.body);
      }
      // an explained answer is logged only once it is known to fit
      const effects: Array<() => void> = [];
      const result = evaluateOne(services, target, body.input, true, { deferred: effects });
      if (!result.ok) throw new ApiError(422, result.error.code, result.error.message, result.error.details);
      const answer = boundedJson(c, result.body, responseBound(c, services.config, body.max_response_bytes), EXPLAIN_HINT);
      for (const effect of effects) effect();
      await services.log.durable();
      return answer;
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
      properties: { inputs: { type: 'array', maxItems: 10000, description: 'Input documents.' }, ...SELECT, max_response_bytes: maxResponseBytes },
      not: VERSION_AND_CHANNEL,
    },
    responses: {
      200: {
        description: 'One result per input, in order: a decision, or `{ index, error }`.',
        schema: { type: 'object', properties: { results: { type: 'array', items: { oneOf: [DECISION, { type: 'object', required: ['index', 'error'] }] } } } },
      },
      422: { description: '`response_too_large`: the answer would be larger than this request may receive (see `max_response_bytes`); nothing is logged.' },
    },
    handler: async (c, { params, body }) => {
      const target = await resolveTarget(services, params['name']!, body);
      const bound = responseBound(c, services.config, body.max_response_bytes);
      // Each result is serialised as it is made, so a batch stops as soon as its answer passes the
      // bound; its decisions are logged only once the whole answer is known to fit.
      const effects: Array<() => void> = [];
      const parts: string[] = [];
      let size = '{"results":[]}'.length;
      // one budget of steps for the whole batch; the event loop is given back between slices of it
      const budget = new StepBudget(isolationOf(services.config).batchMaxSteps);
      // a heavy version's batch: evaluated in one task in the work pool, with the same shared budget
      const heavy =
        target.loaded.compiled === null
          ? await services.registry.evaluateHeavy(target.loaded, body.inputs, { params: target.params, explain: body.explain === true, batchMaxSteps: budget.maxSteps, signal: c.get('deadline')?.signal })
          : null;
      let slice = performance.now();
      for (const [index, input] of body.inputs.entries()) {
        const result =
          heavy !== null
            ? evaluated(services, target, input, heavy[index]!, budget, effects)
            : budget.exhausted
              ? { ok: false as const, error: batchSpent(budget) }
              : evaluateOne(services, target, input, body.explain === true, { deferred: effects, budget });
        const part = JSON.stringify(result.ok ? result.body : { index, error: result.error });
        size += Buffer.byteLength(part) + (index > 0 ? 1 : 0);
        if (size > bound.bytes) throw responseTooLarge(bound, null, BATCH_HINT);
        parts.push(part);
        if (performance.now() - slice > BATCH_SLICE_MS) {
          await new Promise<void>((next) => setImmediate(next));
          slice = performance.now();
        }
      }
      for (const effect of effects) effect();
      await services.log.durable();
      return c.body(`{"results":[${parts.join(',')}]}`, 200, { 'Content-Type': 'application/json' });
    },
  });
}

async function resolveTarget(services: Services, name: string, body: { version?: number; channel?: string }): Promise<Target> {
  // refused before any work when the decision could not be logged (VERDICT_LOG_OVERFLOW=refuse)
  const admission = services.log.admit();
  if (!admission.ok) throw errors.logUnavailable(admission.reason, admission.retryAfterSeconds);
  if (body.version !== undefined) {
    const loaded = await services.registry.version(name, body.version);
    return { loaded, channel: null, params: loaded.info.defaults };
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

/**
 * Evaluates one input. The decision is logged and announced at once, or, when `deferred` is given,
 * by the functions pushed onto it (run once the answer is known to be sent). With `budget`, the
 * steps are taken from a batch's shared budget.
 */
function evaluateOne(services: Services, target: Target, input: unknown, explain: boolean, options: { deferred?: Array<() => void>; budget?: StepBudget } = {}): Evaluated {
  const { loaded } = target;
  const { deferred, budget } = options;
  const started = performance.now();
  const result: EvaluationResult = loaded.compiled!.evaluate(input, budget === undefined ? { params: target.params, explain } : { params: target.params, explain, budget });
  const durationUs = Math.round((performance.now() - started) * 1000);
  // a decision cut short by the batch's budget is not answered (nor logged) as a decision
  if (budget?.exhausted === true) return { ok: false, error: batchSpent(budget) };
  return decided(services, target, input, result, durationUs, deferred);
}

/** A heavy version's evaluation of one input (`spent`: the batch's budget ran out, `budget` holds its size), answered as `evaluateOne` answers. */
function evaluated(services: Services, target: Target, input: unknown, item: EvaluatedItem, budget: StepBudget | null, deferred: Array<() => void>): Evaluated {
  if ('spent' in item) return { ok: false, error: batchSpent(budget!) };
  return decided(services, target, input, item.result, item.durationUs, deferred);
}

/** The answer to an evaluated input, its decision logged and announced (or, with `deferred`, once the answer is known to be sent). */
function decided(services: Services, target: Target, input: unknown, result: EvaluationResult, durationUs: number, deferred: Array<() => void> | undefined): Evaluated {
  const { loaded } = target;
  if (!result.ok) return { ok: false, error: result.error };
  const decision = result;
  const id = randomUUID();
  services.metrics.decision(loaded.ruleset, decision.decision, durationUs / 1e6);
  // the engine's fields in its order, without copying its result twice (a rest and a spread)
  const body = {
    decision_id: id,
    ruleset: loaded.ruleset,
    version: loaded.version,
    channel: target.channel,
    hash: loaded.hash,
    decision: decision.decision,
    compliant: decision.compliant,
    score: decision.score,
    violations: decision.violations,
    outputs: decision.outputs,
    errors: decision.errors,
    trace: decision.trace,
    duration_us: durationUs,
  };
  const record = () => {
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
  };
  if (deferred === undefined) record();
  else deferred.push(record);
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
