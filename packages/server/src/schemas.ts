/** JSON Schemas shared by several routes (request validation and the OpenAPI document). */
import type { Schema } from './api.ts';

export const RULESET_NAME = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$' };
export const CHANNEL_NAME = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' };
/** Versions and revisions are PostgreSQL `integer`s: anything larger cannot exist (and must not reach the database). */
export const MAX_INT = 2147483647;
export const VERSION = { type: 'integer', minimum: 1, maximum: MAX_INT };

const LOCATION = { type: 'object', properties: { line: { type: 'integer' }, column: { type: 'integer' } } };

export const VIOLATION: Schema = {
  type: 'object',
  required: ['rule', 'outcome', 'severity', 'message', 'suggestion'],
  properties: {
    rule: { type: 'string' },
    outcome: { type: 'string' },
    severity: { enum: ['critical', 'high', 'medium', 'low'] },
    message: { type: 'string' },
    suggestion: { type: ['object', 'null'] },
    location: LOCATION,
    reads: { type: 'object', description: 'Input paths the condition read and their values.' },
  },
};

export const DECISION: Schema = {
  type: 'object',
  required: ['decision_id', 'ruleset', 'version', 'hash', 'decision', 'compliant', 'score', 'violations', 'outputs', 'errors', 'duration_us'],
  properties: {
    decision_id: { type: 'string', format: 'uuid' },
    ruleset: { type: 'string' },
    version: { type: 'integer' },
    channel: { type: ['string', 'null'] },
    hash: { type: 'string' },
    decision: { type: 'string', description: 'The outcome: the highest-precedence outcome among fired rules, else the default.' },
    compliant: { type: 'boolean', description: 'True exactly when the decision is a compliant outcome: the default, or one `decision ... compliant` lists.' },
    score: { type: 'number' },
    violations: { type: 'array', items: VIOLATION },
    outputs: { type: 'object' },
    errors: { type: 'array', items: { type: 'object' } },
    trace: { type: ['object', 'null'] },
    duration_us: { type: 'number' },
  },
};

export const DIAGNOSTIC: Schema = {
  type: 'object',
  required: ['code', 'severity', 'message', 'span'],
  properties: {
    code: { type: 'string' },
    severity: { enum: ['error', 'warning', 'info'] },
    message: { type: 'string' },
    hint: { type: 'string' },
    span: { type: 'object', properties: { line: { type: 'integer' }, column: { type: 'integer' }, start: { type: 'integer' }, end: { type: 'integer' } } },
  },
};

export const CHANNEL_STATE: Schema = {
  type: 'object',
  properties: {
    ruleset: { type: 'string' },
    channel: { type: 'string' },
    revision: { type: 'integer' },
    version: { type: 'integer' },
    params: { type: 'object' },
    author: { type: 'string' },
    reason: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
  },
};

export const PAGE = (items: Schema): Schema => ({
  type: 'object',
  required: ['items', 'next_cursor'],
  properties: { items: { type: 'array', items }, next_cursor: { type: ['string', 'null'] } },
});
