/**
 * `POST /v1/decisions`: decisions made elsewhere (an embedded evaluator in a service, see
 * `@verdict/client`'s `connect`) appended to the same hash-chained log as the server's own.
 *
 * Each decision must name a stored version by its hash and keep to that version's outcomes
 * and rules, so the log only ever holds decisions a published version could have made. The
 * append is idempotent on `decision_id` (a retried shipment adds nothing twice), and the
 * answer comes once the rows are committed: a shipper may drop what was acknowledged.
 */
import { NotFoundError, type DecisionInput, type Json } from '@verdict/store';
import type { Api } from '../api.ts';
import { ApiError, type ErrorDetail } from '../errors.ts';
import type { LoadedVersion } from '../registry.ts';
import { redact } from '../redact.ts';
import { CHANNEL_NAME, RULESET_NAME, VERSION } from '../schemas.ts';
import type { Services } from '../services.ts';

/** Decisions per request: a shipper sends in batches of at most this many. */
export const MAX_SHIPPED_DECISIONS = 1000;

export interface ShippedDecision {
  decision_id: string;
  ruleset: string;
  version: number;
  hash: string;
  channel: string | null;
  decision: string;
  violations: Array<{ rule: string; severity: string; message: string }>;
  outputs?: Record<string, unknown>;
  duration_us: number;
  input?: unknown;
  input_hash?: string;
  created_at: string;
}

const SHIPPED_DECISION = {
  type: 'object',
  additionalProperties: false,
  required: ['decision_id', 'ruleset', 'version', 'hash', 'channel', 'decision', 'violations', 'duration_us', 'created_at'],
  properties: {
    decision_id: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', description: 'The id the evaluator gave the decision (a UUID); a second shipment of the same id is ignored.' },
    ruleset: RULESET_NAME,
    version: VERSION,
    hash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$', description: "The version's hash, as the server reports it." },
    channel: { anyOf: [CHANNEL_NAME, { type: 'null' }] },
    decision: { type: 'string', maxLength: 200 },
    violations: {
      type: 'array',
      maxItems: 10000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'severity', 'message'],
        properties: { rule: { type: 'string', maxLength: 200 }, severity: { type: 'string', maxLength: 50 }, message: { type: 'string', maxLength: 10000 } },
      },
    },
    outputs: { type: 'object' },
    duration_us: { type: 'integer', minimum: 0, maximum: 2147483647 },
    input: { description: 'The input, sensitive fields already redacted (redacted here again).' },
    input_hash: { type: 'string', maxLength: 200 },
    created_at: { type: 'string', format: 'date-time', description: 'When the decision was made.' },
  },
};

export function shippedDecisionRoutes(api: Api, services: Services): void {
  api.add<{ decisions: ShippedDecision[] }>({
    method: 'post',
    path: '/v1/decisions',
    operationId: 'appendDecisions',
    summary: 'Append decisions made by an embedded evaluator to the decision log (idempotent on decision_id)',
    tag: 'records',
    scope: 'log',
    // 503 also when the log cannot be written now (`log_unavailable`: retry later, nothing was appended)
    loadsStoredVersion: true,
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['decisions'],
      properties: { decisions: { type: 'array', minItems: 1, maxItems: MAX_SHIPPED_DECISIONS, items: SHIPPED_DECISION } },
    },
    responses: {
      200: {
        description: 'Every decision is in the log: `appended` new ones, `duplicates` already there.',
        schema: { type: 'object', properties: { appended: { type: 'integer' }, duplicates: { type: 'integer' } } },
      },
      422: { description: 'A decision names a version that is not stored, a wrong hash, or an outcome or rule that version does not have (every failing path listed); nothing is appended.' },
    },
    handler: async (c, { body }) => {
      const rows = await checkedRows(services, body.decisions);
      let result;
      try {
        result = await services.store.appendDecisions(rows, { skipExisting: true });
      } catch (error) {
        services.logger.warn({ err: error, decisions: rows.length }, 'shipped decisions could not be appended');
        throw new ApiError(503, 'log_unavailable', 'the decision log cannot be written now; retry later', [], { 'Retry-After': '1' });
      }
      return c.json({ appended: result.appended, duplicates: result.skipped });
    },
  });
}

/** The shipped decisions as log rows, or a 422 listing every decision that no stored version could have made. */
async function checkedRows(services: Services, shipped: ShippedDecision[]): Promise<DecisionInput[]> {
  const versions = new Map<string, Promise<LoadedVersion | null>>();
  const load = (ruleset: string, version: number) => {
    const key = `${ruleset}@${version}`;
    let loading = versions.get(key);
    if (loading === undefined) {
      loading = services.registry.version(ruleset, version).catch((error: unknown) => {
        if ((error instanceof ApiError && error.status === 404) || error instanceof NotFoundError) return null;
        throw error;
      });
      versions.set(key, loading);
    }
    return loading;
  };
  const problems: ErrorDetail[] = [];
  const rows: DecisionInput[] = [];
  for (const [i, d] of shipped.entries()) {
    const at = `body/decisions/${i}`;
    const loaded = await load(d.ruleset, d.version);
    if (loaded === null) {
      problems.push({ path: `${at}/version`, message: `version ${d.version} of ruleset \`${d.ruleset}\` is not stored` });
      continue;
    }
    if (loaded.hash !== d.hash) problems.push({ path: `${at}/hash`, message: `version ${d.version} of \`${d.ruleset}\` has hash ${loaded.hash}` });
    if (!loaded.info.outcomes.includes(d.decision)) problems.push({ path: `${at}/decision`, message: `\`${d.decision}\` is not an outcome of \`${d.ruleset}\` (${loaded.info.outcomes.join(', ')})` });
    d.violations.forEach((v, j) => {
      if (!loaded.info.rules.some((rule) => rule.id === v.rule)) problems.push({ path: `${at}/violations/${j}/rule`, message: `version ${d.version} of \`${d.ruleset}\` has no rule \`${v.rule}\`` });
    });
    const createdAt = new Date(d.created_at);
    rows.push({
      id: d.decision_id,
      ruleset: d.ruleset,
      version: d.version,
      channel: d.channel,
      decision: d.decision,
      violations: d.violations,
      outputs: d.outputs ?? {},
      durationUs: d.duration_us,
      ...(d.input === undefined ? {} : { input: redact(d.input, loaded.sensitive) as Json }),
      ...(d.input_hash === undefined ? {} : { inputHash: d.input_hash }),
      createdAt,
    });
  }
  if (problems.length > 0) throw new ApiError(422, 'invalid_decisions', `${problems.length} problem${problems.length === 1 ? '' : 's'} in the shipped decisions; nothing was appended`, problems.slice(0, 100));
  return rows;
}
